// test/helpers/http.ts: an HTTP server on loopback that hands each request, with its whole body, to `handle`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface Loopback {
  url: string;
  close(): Promise<void>;
}

export async function loopback(handle: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<Loopback> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => handle(req, body, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
