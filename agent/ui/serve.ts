// agent/ui/serve.ts: starts `sentra ui`'s HTTP server (Node's, through @hono/node-server) on the address
// configured, loopback by default. Reach it from elsewhere through an SSH tunnel (see the README).
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { SentraError } from '../errors.js';
import { parseListen } from '../config/listen.js';
import { uiApp, type UiOptions } from './app.js';
import { isLoopback } from './security.js';

export interface RunningUi { server: ServerType; url: string; port: number; /** Only this machine can reach it. */ loopback: boolean }

export async function startUi(listen: string, o: Omit<UiOptions, 'listenHost'>): Promise<RunningUi> {
  let host: string;
  let port: number;
  try {
    ({ host, port } = parseListen(listen, '--listen', '127.0.0.1:8443'));
  } catch (err) {
    throw new SentraError('ERR_USAGE', (err as Error).message);
  }
  const app = uiApp({ ...o, listenHost: host });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({ server, port: info.port, url: `http://${shown}:${info.port}/`, loopback: isLoopback(host) });
    });
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new SentraError('ERR_USAGE', `cannot listen on ${listen}: ${err.code ?? err.message}`));
    });
  });
}
