#!/usr/bin/env node
// scripts/make-scenarios.mjs: writes the scenario logs under test/fixtures/scenarios/<name>/input.log.
// Each scenario is a short story in Ubuntu 22.04 auth.log format (year 2026, UTC). The expectations beside
// each log (expected.json) are written by hand; rerun this script only to change a story on purpose.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'scenarios');
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

class Log {
  constructor(host = 'web-01') { this.host = host; this.lines = []; this.pid = 2000; }
  at(iso) { this.t = Date.parse(iso); return this; }
  wait(seconds) { this.t += seconds * 1000; return this; }
  stamp() {
    const d = new Date(this.t);
    const p = (n) => String(n).padStart(2, '0');
    return `${MON[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  }
  line(prog, msg) { this.lines.push({ t: this.t, s: `${this.stamp()} ${this.host} ${prog}: ${msg}` }); return this; }
  nextPid() { return ++this.pid; }
  text() { return this.lines.sort((a, b) => a.t - b.t).map((l) => l.s).join('\n') + '\n'; }

  login(user, ip, { method = 'publickey', uid = 1000, session = 1, minutes = 40 } = {}) {
    const pid = this.nextPid();
    const port = 40000 + (pid % 20000);
    const key = method === 'publickey' ? ': ED25519 SHA256:mJ4n0tR3alK3yF0rT3st1ngPurp0s3sOnlyAAAAAA' : '';
    this.line(`sshd[${pid}]`, `Accepted ${method} for ${user} from ${ip} port ${port} ssh2${key}`);
    this.line(`sshd[${pid}]`, `pam_unix(sshd:session): session opened for user ${user}(uid=${uid}) by (uid=0)`);
    this.line('systemd-logind[612]', `New session ${session} of user ${user}.`);
    const start = this.t;
    this.wait(minutes * 60);
    this.line(`sshd[${pid}]`, `Received disconnect from ${ip} port ${port}:11: disconnected by user`);
    this.line(`sshd[${pid}]`, `Disconnected from user ${user} ${ip} port ${port}`);
    this.line(`sshd[${pid}]`, `pam_unix(sshd:session): session closed for user ${user}`);
    this.line('systemd-logind[612]', `Session ${session} logged out. Waiting for processes to exit.`);
    this.t = start + 5000;
    return this;
  }
  sudo(user, command, { uid = 1000, tty = 'pts/0', target = 'root' } = {}) {
    this.line('sudo', `   ${user} : TTY=${tty} ; PWD=/home/${user} ; USER=${target} ; COMMAND=${command}`);
    this.line('sudo', `pam_unix(sudo:session): session opened for user ${target}(uid=0) by ${user}(uid=${uid})`);
    this.wait(2);
    this.line('sudo', `pam_unix(sudo:session): session closed for user ${target}`);
    return this.wait(30);
  }
  failed(user, ip, { invalid = false, tries = 1 } = {}) {
    const pid = this.nextPid();
    const port = 30000 + (pid % 30000);
    if (invalid) this.line(`sshd[${pid}]`, `Invalid user ${user} from ${ip} port ${port}`);
    for (let i = 0; i < tries; i++) {
      if (invalid) this.line(`sshd[${pid}]`, 'pam_unix(sshd:auth): check pass; user unknown');
      this.line(`sshd[${pid}]`, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}${invalid ? '' : `  user=${user}`}`);
      this.wait(2);
      this.line(`sshd[${pid}]`, `Failed password for ${invalid ? 'invalid user ' : ''}${user} from ${ip} port ${port} ssh2`);
    }
    this.line(`sshd[${pid}]`, `Connection closed by ${invalid ? 'invalid' : 'authenticating'} user ${user} ${ip} port ${port} [preauth]`);
    return this.wait(3);
  }
  cronHourly() {
    const pid = this.nextPid();
    this.line(`CRON[${pid}]`, 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)');
    this.line(`CRON[${pid + 1}]`, '(root) CMD (   cd / && run-parts --report /etc/cron.hourly)');
    this.line(`CRON[${pid}]`, 'pam_unix(cron:session): session closed for user root');
    return this;
  }
  /** Internet background noise: `n` addresses trying common names, all failing. */
  noise(dayIso, n, seed) {
    const names = ['admin', 'test', 'oracle', 'ubuntu', 'user', 'guest', 'postgres', 'ftp', 'git', 'pi', 'support', 'root'];
    let x = seed;
    const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < n; i++) {
      this.at(new Date(Date.parse(dayIso) + Math.floor(rnd() * 86_000) * 1000).toISOString());
      const ip = `${[45, 61, 103, 185, 193][i % 5]}.${Math.floor(rnd() * 250) + 1}.${Math.floor(rnd() * 250) + 1}.${Math.floor(rnd() * 250) + 1}`;
      const tries = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < tries; k++) {
        const name = names[Math.floor(rnd() * names.length)];
        this.failed(name, ip, { invalid: name !== 'root' });
      }
      if (rnd() < 0.3) this.line(`sshd[${this.nextPid()}]`, `Connection closed by ${ip} port ${20000 + i} [preauth]`);
    }
    return this;
  }
}

function cronDays(log, fromIso, days) {
  for (let d = 0; d < days; d++) for (let h = 0; h < 24; h += 6) log.at(new Date(Date.parse(fromIso) + d * 86_400_000 + h * 3_600_000 + 17 * 60_000).toISOString()).cronHourly();
}

const scenarios = {
  // A targeted password spray from one address (mostly real account names) finds alice's password; the
  // intruder then uses sudo, creates an account, adds it to sudo and clears the shell history.
  'spray-then-compromise': () => {
    const log = new Log();
    for (let d = 9; d <= 11; d++) {
      log.at(`2026-03-${String(d).padStart(2, '0')}T09:0${d - 9}:10Z`).login('alice', '198.51.100.20', { session: d });
      log.at(`2026-03-${String(d).padStart(2, '0')}T10:12:00Z`).login('deploy', '198.51.100.30', { uid: 1001, session: 100 + d });
    }
    log.at('2026-03-12T02:10:00Z');
    for (const name of ['admin', 'webmaster']) log.failed(name, '203.0.113.50', { invalid: true });
    log.failed('alice', '203.0.113.50', { tries: 3 }).failed('deploy', '203.0.113.50', { tries: 3 });
    log.at('2026-03-12T02:31:07Z').login('alice', '203.0.113.50', { method: 'password', session: 40, minutes: 20 });
    log.at('2026-03-12T02:33:00Z').sudo('alice', '/usr/sbin/useradd -m -s /bin/bash support', { tty: 'pts/1' });
    const pid = log.nextPid();
    log.line(`useradd[${pid}]`, 'new group: name=support, GID=1005');
    log.line(`useradd[${pid}]`, 'new user: name=support, UID=1005, GID=1005, home=/home/support, shell=/bin/bash, from=/dev/pts/1');
    log.wait(40).sudo('alice', '/usr/sbin/usermod -aG sudo support', { tty: 'pts/1' });
    log.line(`usermod[${pid + 1}]`, "add 'support' to group 'sudo'");
    log.line(`usermod[${pid + 1}]`, "add 'support' to shadow group 'sudo'");
    log.wait(20).sudo('alice', '/usr/bin/bash -c history -c', { tty: 'pts/1' });
    return log;
  },
  // root normally logs in from the admin jump host during the day; one Saturday night it comes from elsewhere.
  'root-login-at-night': () => {
    const log = new Log('db-01');
    for (let d = 2; d <= 6; d++) log.at(`2026-02-0${d}T11:15:00Z`).login('root', '198.51.100.5', { uid: 0, session: d });
    log.at('2026-02-07T03:12:44Z').login('root', '192.0.2.77', { uid: 0, session: 99, minutes: 9 });
    return log;
  },
  // Many addresses each try bob's password a few times over a day: slow, distributed guessing.
  'distributed-guessing': () => {
    const log = new Log('app-02');
    for (let d = 1; d <= 3; d++) log.at(`2026-04-0${d}T08:30:00Z`).login('bob', '198.51.100.44', { method: 'password', uid: 1002, session: d });
    for (let i = 0; i < 12; i++) log.at(`2026-04-04T${String(i * 2).padStart(2, '0')}:07:00Z`).failed('bob', `203.0.113.${100 + i}`, { tries: 2 });
    return log;
  },
  // A quiet week: internet noise, admins working, planned patching at night (covered by overrides.json),
  // and a new colleague's account created and used.
  'benign-week': () => {
    const log = new Log();
    cronDays(log, '2026-11-02T00:00:00Z', 7);
    for (let d = 2; d <= 8; d++) log.noise(`2026-11-0${d}T00:00:00Z`, 25, d * 7919);
    for (let d = 2; d <= 6; d++) {
      const day = `2026-11-0${d}`;
      log.at(`${day}T08:4${d}:00Z`).login('alice', '198.51.100.20', { session: 10 + d, minutes: 300 });
      log.at(`${day}T09:10:00Z`).sudo('alice', '/usr/bin/systemctl restart nginx');
      log.at(`${day}T13:02:00Z`).sudo('alice', '/usr/bin/apt-get install -y htop');
      log.at(`${day}T10:30:00Z`).login('bob', '198.51.100.44', { uid: 1002, session: 20 + d, minutes: 120 });
    }
    // New colleague carol: account created on Wednesday, first login Thursday.
    log.at('2026-11-04T11:00:00Z').sudo('alice', '/usr/sbin/adduser carol');
    const pid = log.nextPid();
    log.line(`useradd[${pid}]`, 'new group: name=carol, GID=1006');
    log.line(`useradd[${pid}]`, 'new user: name=carol, UID=1006, GID=1006, home=/home/carol, shell=/bin/bash, from=/dev/pts/0');
    log.line(`passwd[${pid + 2}]`, 'pam_unix(passwd:chauthtok): password changed for carol');
    log.line(`chfn[${pid + 3}]`, "changed user 'carol' information");
    log.at('2026-11-05T09:30:00Z').login('carol', '198.51.100.21', { uid: 1006, session: 60, minutes: 200 });
    log.at('2026-11-05T09:40:00Z').login('carol', '198.51.100.21', { uid: 1006, session: 61, minutes: 30 });
    // Saturday 01:00-04:00 Europe/Berlin patch window (00:00-03:00 UTC in November).
    log.at('2026-11-07T00:05:00Z').login('deploy', '198.51.100.30', { uid: 1001, session: 90, minutes: 100 });
    log.at('2026-11-07T00:06:00Z').sudo('deploy', '/usr/bin/apt-get update', { uid: 1001 });
    log.sudo('deploy', '/usr/bin/apt-get -y upgrade', { uid: 1001 });
    log.sudo('deploy', '/usr/bin/systemctl restart postgresql', { uid: 1001 });
    return log;
  },
};

for (const [name, build] of Object.entries(scenarios)) {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'input.log'), build().text());
  console.log(`wrote ${join(dir, 'input.log')}`);
}
