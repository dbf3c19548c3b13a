// test/helpers/clickhouse.ts: a real clickhouse-server (Debian's package) on loopback, in a temporary
// directory with a config of its own. scripts/test.sh installs the package when it is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './agent.js';

export interface TestClickHouse {
  url: string;
  dir: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function ready(url: string, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      const r = await fetch(`${url}/?query=SELECT%201`);
      if (r.ok) return;
    } catch { /* not yet */ }
    if (Date.now() - start > timeoutMs) throw new Error(`clickhouse-server did not answer at ${url}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startClickHouse(): Promise<TestClickHouse> {
  const dir = tempDir('sentra-ch-');
  const [http, tcp] = [await freePort(), await freePort()];
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(join(dir, 'config.xml'), `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><console>1</console></logger>
  <http_port>${http}</http_port><tcp_port>${tcp}</tcp_port><listen_host>127.0.0.1</listen_host>
  <path>${data}/</path><tmp_path>${data}/tmp/</tmp_path><user_files_path>${data}/user_files/</user_files_path>
  <format_schema_path>${data}/format_schemas/</format_schema_path>
  <mark_cache_size>5368709</mark_cache_size>
  <users_config>${join(dir, 'users.xml')}</users_config>
  <default_profile>default</default_profile><default_database>default</default_database>
</yandex>
`);
  writeFileSync(join(dir, 'users.xml'), `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
  </users>
  <quotas><default></default></quotas>
</yandex>
`);
  const url = `http://127.0.0.1:${http}`;
  let child: ChildProcess | undefined;
  const ch: TestClickHouse = {
    url, dir,
    async start() {
      child = spawn('clickhouse-server', [`--config-file=${join(dir, 'config.xml')}`], { stdio: 'ignore' });
      await ready(url);
    },
    async stop() {
      if (!child) return;
      const c = child;
      child = undefined;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await exited;
    },
  };
  await ch.start();
  return ch;
}
