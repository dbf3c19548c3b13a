// scripts/bench-agent.ts: the live agent's footprint, measured from /proc: resident memory when idle, and
// CPU (% of one core) and memory while it follows a file written at a steady rate (default 1,000 lines/s
// for 60 s). Lines come from the benchmark's generated auth.log.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Node flags of the service (keep in step with ExecStart in systemd/sentra.service). */
export const AGENT_NODE_FLAGS = ['--max-semi-space-size=1'];

const TICK = 100; // clock ticks per second for /proc/<pid>/stat (getconf CLK_TCK on Linux)

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface AgentBench {
  idle_rss_mb: number;
  follow_rate_lines_per_s: number;
  follow_seconds: number;
  follow_cpu_percent: number;
  follow_peak_rss_mb: number;
  follow_lines_written: number;
  follow_lines_read: number;
}

export async function benchAgent(root: string, sourceLog: string, rate = 1000, seconds = 60): Promise<AgentBench> {
  const dir = mkdtempSync(join(tmpdir(), 'sentra-bench-agent-'));
  const log = join(dir, 'auth.log');
  writeFileSync(log, '');
  const config = join(dir, 'config.yaml');
  writeFileSync(config, stringify({ state_dir: join(dir, 'state'), timezone: 'UTC',
    sources: { mode: 'files', files: { paths: [log], poll_ms: 1000 } } }));
  // Started the way the service unit starts it (systemd/sentra.service): with a 1 MB young generation.
  const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, join(root, 'dist', 'agent', 'cli', 'main.js'), 'agent', '--config', config], { stdio: 'ignore' });
  const pid = child.pid!;
  await sleep(10_000);
  const idle = rssMb(pid);
  const lines = readFileSync(sourceLog, 'utf8').split('\n', rate * seconds + 1).slice(0, rate * seconds);
  const t0 = Date.now();
  const c0 = cpuTicks(pid);
  let peak = idle;
  let written = 0;
  for (let s = 0; s < seconds; s++) {
    // Ten writes a second, like a busy syslog daemon.
    for (let k = 0; k < 10; k++) {
      const part = lines.slice(written, written + rate / 10);
      appendFileSync(log, `${part.join('\n')}\n`);
      written += part.length;
      await sleep(Math.max(0, t0 + (s * 10 + k + 1) * 100 - Date.now()));
    }
    peak = Math.max(peak, rssMb(pid));
  }
  const cpu = ((cpuTicks(pid) - c0) / TICK) / ((Date.now() - t0) / 1000) * 100;
  await sleep(2000);
  const status = JSON.parse(readFileSync(join(dir, 'state', 'status.json'), 'utf8')) as { pipeline: { read: number } };
  child.kill('SIGTERM');
  return {
    idle_rss_mb: Math.round(idle), follow_rate_lines_per_s: rate, follow_seconds: seconds,
    follow_cpu_percent: Number(cpu.toFixed(2)), follow_peak_rss_mb: Math.round(peak),
    follow_lines_written: written, follow_lines_read: status.pipeline.read,
  };
}
