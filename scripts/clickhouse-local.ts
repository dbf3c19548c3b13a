// scripts/clickhouse-local.ts: runs Debian's clickhouse-server on loopback in a temporary directory with a
// config of its own, for the benchmark and the tests (test/helpers/clickhouse.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Extra users.xml entries: `<profiles>` and `<users>` children besides the password-less `default`. */
export interface LocalUsers {
  profiles?: string;
  users?: string;
}

export async function localClickHouse(extra: LocalUsers = {}): Promise<{ url: string; stop(): Promise<void>; start(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sentra-bench-ch-'));
  const data = join(dir, 'data');
  mkdirSync(data);
  const [http, tcp] = [await freePort(), await freePort()];
  writeFileSync(join(dir, 'config.xml'), `<?xml version="1.0"?><yandex><logger><level>warning</level><console>1</console></logger>
<http_port>${http}</http_port><tcp_port>${tcp}</tcp_port><listen_host>127.0.0.1</listen_host><path>${data}/</path>
<tmp_path>${data}/tmp/</tmp_path><user_files_path>${data}/uf/</user_files_path><format_schema_path>${data}/fs/</format_schema_path>
<mark_cache_size>5368709</mark_cache_size><users_config>${join(dir, 'users.xml')}</users_config>
<default_profile>default</default_profile><default_database>default</default_database></yandex>`);
  writeFileSync(join(dir, 'users.xml'), `<?xml version="1.0"?><yandex><profiles><default></default>${extra.profiles ?? ''}</profiles><users><default>
<password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>${extra.users ?? ''}</users>
<quotas><default></default></quotas></yandex>`);
  const url = `http://127.0.0.1:${http}`;
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    // The server keeps the real clock: a suite run under faketime moves Sentra's clock, not ClickHouse's
    // (libfaketime in a server's threads only stalls its start).
    const { LD_PRELOAD: _preload, FAKETIME: _faketime, ...env } = process.env;
    child = spawn('clickhouse-server', [`--config-file=${join(dir, 'config.xml')}`], { stdio: 'ignore', env });
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${url}/?query=SELECT%201`)).ok) return;
      } catch { /* starting */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('clickhouse-server did not start');
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url, start, stop };
}
