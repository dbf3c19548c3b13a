#!/usr/bin/env bash
# scripts/test-deb.sh: the clean-machine install test. Builds the package twice (a release and a newer
# build), makes (and caches) a minimal Debian bookworm root with debootstrap that has no Node.js, and in it:
# installs with dpkg -i; runs sentra --version, sentra check and a scan of a sample log; edits
# /etc/sentra/overrides.json; upgrades and checks that the edit survived; purges and checks that the state
# and the user are gone. Also checks the unit with systemd-analyze. Needs root. Prints figures at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${SENTRA_TEST_CACHE:-/var/cache/sentra-test}
# systemd and procps as on any server (the unit is verified against them); no Node.js.
base="$cache/bookworm-minbase-systemd.tar"
work=$(mktemp -d)
root="$work/root"
cleanup() { umount "$root/proc" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "test-deb: FAILED: $*" >&2; exit 1; }
step() { echo "test-deb: $*"; }

version=$(node -p "require('./package.json').version")
step "building sentra $version and $version+newer"
deb1=$(bash scripts/package-deb.sh "$work/out1" "$version" | tail -1)
deb2=$(bash scripts/package-deb.sh "$work/out2" "$version+newer" | tail -1)

step "lintian"
lintian --tag-display-limit 0 "$deb1" >"$work/lintian.txt" 2>&1 || true
if grep -q '^E:' "$work/lintian.txt"; then cat "$work/lintian.txt"; fail "lintian reports errors"; fi
lintian_warnings=$(grep -c '^W:' "$work/lintian.txt" || true)

if [ ! -f "$base" ]; then
  step "making a minimal Debian bookworm root with debootstrap (cached in $base)"
  mkdir -p "$cache"
  debootstrap --variant=minbase --include=systemd,procps bookworm "$work/boot" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; fail debootstrap; }
  tar -C "$work/boot" -cf "$base.tmp" . && mv "$base.tmp" "$base" && rm -rf "$work/boot"
fi
mkdir "$root" && tar -C "$root" -xf "$base"
mount -t proc proc "$root/proc"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TZ=UTC "$@"; }

in_root sh -c 'command -v node nodejs' && fail "the clean root already has Node.js"
cp "$deb1" "$deb2" "$root/tmp/"
cp test/fixtures/scenarios/spray-then-compromise/input.log "$root/tmp/sample.log"

step "installing with dpkg -i"
t0=$(date +%s.%N)
in_root dpkg -i "/tmp/$(basename "$deb1")" >"$work/dpkg1.log" 2>&1 || { cat "$work/dpkg1.log"; fail "dpkg -i"; }
install_seconds=$(echo "$(date +%s.%N) - $t0" | bc)

[ "$(in_root sentra --version)" = "$version" ] || fail "sentra --version"
in_root sentra check | grep -q '^ok: ' || fail "sentra check"
in_root sentra scan --year 2026 --timezone UTC /tmp/sample.log >"$work/scan.txt" || fail "sentra scan"
grep -q 'Likely intrusion on web-01: alice from 203.0.113.50' "$work/scan.txt" || { cat "$work/scan.txt"; fail "scan output"; }
grep -q '203.0.113.50 logged in as alice after 8 failed' "$work/scan.txt" || { cat "$work/scan.txt"; fail "scan output (timeline)"; }
in_root getent passwd sentra | grep -q ':/usr/sbin/nologin$' || fail "the sentra user has a login shell or is missing"
in_root id -nG sentra | grep -qw adm || fail "sentra is not in adm"
in_root id -nG sentra | grep -qw systemd-journal || fail "sentra is not in systemd-journal"
[ -L "$root/etc/systemd/system/multi-user.target.wants/sentra.service" ] || fail "the service was not enabled"
[ "$(in_root stat -c '%U:%G %a' /var/lib/sentra)" = "sentra:sentra 700" ] || fail "/var/lib/sentra ownership"
[ "$(in_root stat -c '%G %a' /etc/sentra/config.yaml)" = "sentra 640" ] || fail "/etc/sentra/config.yaml permissions"
[ -f "$root/lib/systemd/system/sentra.service" ] || fail "the unit is missing"

step "read commands as root leave the service's state directory alone"
state_before=$(cd "$root/var/lib/sentra" && find . -printf '%p %u:%g %m\n' | sort)
in_root sentra signals --since 2000-01-01 >/dev/null || fail "sentra signals as root"
in_root sentra report weekly --week 2026-W10 --format text >/dev/null || fail "sentra report weekly as root"
rc=0; in_root sentra status >/dev/null 2>&1 || rc=$?
[ "$rc" -le 1 ] || fail "sentra status as root exited $rc"
[ "$(cd "$root/var/lib/sentra" && find . -printf '%p %u:%g %m\n' | sort)" = "$state_before" ] \
  || fail "a read command as root changed /var/lib/sentra"

step "sentra check without --config checks the installed config and its rules.d"
printf 'rules:\n  - id: broken\n    title: [\n' >"$root/etc/sentra/rules.d/broken.yaml"
in_root sentra check >"$work/check-broken.txt" 2>&1 && fail "sentra check accepted a broken file in /etc/sentra/rules.d"
grep -q 'broken.yaml' "$work/check-broken.txt" || { cat "$work/check-broken.txt"; fail "sentra check did not name the broken rule file"; }
rm "$root/etc/sentra/rules.d/broken.yaml"

step "running the packaged agent as the service user over a real log: start, SIGTERM, append, restart"
node ../shared/tools/gen-authlog.mjs --lines 6000 --seed 7 --start 2026-03-02T00:00:00Z --rfc3339 --out "$work/full.log"
mkdir -p "$root/var/log/sentra-test"
head -n 3500 "$work/full.log" >"$root/var/log/sentra-test/auth.log"
chmod 0644 "$root/var/log/sentra-test/auth.log"
cat >"$root/tmp/agent.yaml" <<'YAML'
state_dir: /var/lib/sentra
timezone: UTC
sources: { mode: files, files: { paths: [/var/log/sentra-test/auth.log], poll_ms: 100 } }
agent: { checkpoint_seconds: 1, status_seconds: 1 }
YAML
chmod 0644 "$root/tmp/agent.yaml"
run_agent() {  # as the unit runs it: the service user, its groups, no privileges
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TZ=UTC \
    setpriv --reuid=sentra --regid=sentra --init-groups --no-new-privs /usr/bin/sentra agent --config /tmp/agent.yaml >>"$work/agent.log" 2>&1 &
  agent_pid=$!
}
caught_up() {  # the checkpoint covers every byte of the log
  local size; size=$(stat -c %s "$root/var/log/sentra-test/auth.log")
  for _ in $(seq 1 600); do
    if [ -f "$root/var/lib/sentra/state.json" ] && node -e 'const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
      process.exit(Object.values(s.sources).some((c)=>c.offset===Number(process.argv[2]))?0:1)' "$root/var/lib/sentra/state.json" "$size"; then return 0; fi
    kill -0 "$agent_pid" 2>/dev/null || { cat "$work/agent.log"; fail "the agent exited before catching up"; }
    sleep 0.2
  done
  cat "$work/agent.log"; fail "the agent did not reach the end of the log"
}
stop_agent() {
  kill -TERM "$agent_pid"; local rc=0; wait "$agent_pid" || rc=$?
  [ "$rc" = 0 ] || { cat "$work/agent.log"; fail "the agent exited $rc on SIGTERM"; }
}
run_agent; caught_up; stop_agent
[ -f "$root/var/lib/sentra/state.json" ] || { cat "$work/agent.log"; fail "no state.json after SIGTERM"; }
[ "$(in_root stat -c %U /var/lib/sentra/state.json)" = sentra ] || fail "state.json is not owned by sentra"
grep -q '"resumed":false' "$work/agent.log" || fail "the first start did not start afresh"
tail -n +3501 "$work/full.log" >>"$root/var/log/sentra-test/auth.log"
run_agent; caught_up; stop_agent
grep -q '"resumed":true' "$work/agent.log" || { cat "$work/agent.log"; fail "the second start did not resume from state.json"; }
if grep -q '"level":"error"' "$work/agent.log"; then cat "$work/agent.log"; fail "the agent logged errors"; fi
in_root sentra signals --since 2000-01-01 --format jsonl >"$work/stored.jsonl" || fail "sentra signals after the agent"
cp "$work/full.log" "$root/tmp/full.log"
in_root sentra scan --format jsonl --timezone UTC -q /tmp/full.log >"$work/scanned.jsonl" || fail "sentra scan of the whole log"
node -e 'const fs=require("fs"); const key=(f)=>fs.readFileSync(f,"utf8").trim().split("\n").filter(Boolean).map((l)=>JSON.parse(l))
  .map((s)=>`${s.id} ${s.kind} ${s.count} ${s.risk} ${s.first_seen} ${s.last_seen}`).sort();
  const a=key(process.argv[1]), b=key(process.argv[2]);
  if (a.length<5 || JSON.stringify(a)!==JSON.stringify(b)) { console.error("stored:\n"+a.join("\n")+"\nscanned:\n"+b.join("\n")); process.exit(1); }
  console.log(a.length)' "$work/stored.jsonl" "$work/scanned.jsonl" >"$work/agent-signals.txt" \
  || fail "the packaged agent's stored signals differ from one scan of the whole log"
agent_signals=$(cat "$work/agent-signals.txt")

step "a writing command as root keeps the state directory's owner"
sid=$(head -1 "$work/stored.jsonl" | node -e 'let d="";process.stdin.on("data",(c)=>d+=c).on("end",()=>console.log(JSON.parse(d).id))')
in_root sentra decide "$sid" --status reviewed --by maria --note "packaged agent test" >/dev/null || fail "sentra decide as root"
[ "$(in_root stat -c '%U:%G %a' /var/lib/sentra/decisions.jsonl)" = "sentra:sentra 600" ] || fail "decisions.jsonl is not sentra:sentra 600"

step "editing /etc/sentra/overrides.json and upgrading"
overrides_mode=$(in_root stat -c '%U:%G %a' /etc/sentra/overrides.json)
in_root sentra overrides add --file /etc/sentra/overrides.json --id nightly-backup --reason "Nightly backup, CHG-7" \
  --reviewer maria --user backup >/dev/null || fail "overrides add"
in_root dpkg -i "/tmp/$(basename "$deb2")" >"$work/dpkg2.log" 2>&1 || { cat "$work/dpkg2.log"; fail "upgrade"; }
[ "$(in_root sentra --version)" = "$version+newer" ] || fail "the upgrade did not take"
[ "$(in_root stat -c '%U:%G %a' /etc/sentra/overrides.json)" = "$overrides_mode" ] || fail "overrides add changed the owner or mode of overrides.json"
grep -q nightly-backup "$root/etc/sentra/overrides.json" || fail "the edit of overrides.json did not survive the upgrade"

step "checking the unit"
analyze=$(systemd-analyze security --offline=yes "$root/lib/systemd/system/sentra.service" 2>/dev/null | tail -1)
exposure=$(echo "$analyze" | grep -o '[0-9]\+\.[0-9]')
awk -v e="$exposure" 'BEGIN { exit !(e <= 2.0) }' || fail "exposure $exposure is above 2.0"
systemd-analyze verify --root="$root" /lib/systemd/system/sentra.service >"$work/verify.log" 2>&1 \
  || { cat "$work/verify.log"; fail "systemd-analyze verify"; }

step "purging"
in_root dpkg --purge sentra >"$work/dpkg3.log" 2>&1 || { cat "$work/dpkg3.log"; fail purge; }
[ ! -e "$root/var/lib/sentra" ] || fail "/var/lib/sentra is still there after purge"
in_root getent passwd sentra && fail "the sentra user is still there after purge"
[ ! -e "$root/etc/sentra/config.yaml" ] || fail "the config is still there after purge"

echo "test-deb: the packaged agent stopped and resumed cleanly; $agent_signals stored signals equal one scan of the whole log"
echo "test-deb: package $(basename "$deb1") $(stat -c %s "$deb1") bytes ($(dpkg-deb -f "$deb1" Installed-Size) KiB installed); install ${install_seconds}s; exposure $exposure; lintian: 0 errors, $lintian_warnings warnings"
echo "test-deb: passed"
