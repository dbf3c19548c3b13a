#!/usr/bin/env bash
# scripts/test-deb.sh [amd64|arm64]: the clean-machine install test. Builds the package (twice more for
# amd64: a newer build for the upgrade, and the same build again, which must be byte-identical), makes (and
# caches) a minimal Debian bookworm root of that architecture with debootstrap that has no Node.js (arm64:
# `--foreign`, the second stage run under Debian's qemu-user-static), and in it: installs with dpkg -i; runs
# sentra --version, sentra check and a scan of a sample log; runs the packaged agent as the service user
# (start, SIGTERM, append, restart: the store equals one scan). amd64 also: read commands as root, edits
# /etc/sentra/overrides.json, upgrades and checks that the edit survived, checks the unit with
# systemd-analyze and the agent's system calls against the unit's filter. Both purge and check that the state
# and the user are gone. Needs root. Prints figures at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:-amd64}
case "$arch" in amd64|arm64) ;; *) echo "test-deb: the architecture must be amd64 or arm64" >&2; exit 2 ;; esac
cache=${SENTRA_TEST_CACHE:-/var/cache/sentra-test}
# amd64: systemd and procps as on any server (the unit is verified against them). arm64: the smallest root
# that runs the package (its second stage runs under emulation). Neither has Node.js.
base="$cache/bookworm-minbase-systemd.tar"
[ "$arch" = arm64 ] && base="$cache/bookworm-arm64-minbase.tar"
export SENTRA_DEB_XZ_LEVEL=${SENTRA_DEB_XZ_LEVEL:-1}
npm run --silent build >/dev/null
export SENTRA_SKIP_BUILD=1
work=$(mktemp -d)
root="$work/root"
cleanup() { umount "$root/proc" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "test-deb: FAILED: $*" >&2; exit 1; }
step() { echo "test-deb: $*"; }

version=$(node -p "require('./package.json').version")
step "building sentra $version for $arch"
deb1=$(bash scripts/package-deb.sh "$work/out1" "$version" "$arch" | tail -1)
[ "$(dpkg-deb -f "$deb1" Architecture)" = "$arch" ] || fail "the package is labelled $(dpkg-deb -f "$deb1" Architecture), not $arch"
dpkg-deb -x "$deb1" "$work/unpacked"
file -b "$work/unpacked/usr/lib/sentra/node" | grep -q "$([ "$arch" = arm64 ] && echo aarch64 || echo x86-64)" \
  || fail "the packaged node is not an $arch binary"
rm -rf "$work/unpacked"
dpkg-deb --info "$deb1" md5sums >/dev/null 2>&1 || fail "the package has no md5sums"
if [ "$arch" = amd64 ]; then
  step "building $version+newer, and $version again: it must be the same bytes"
  deb2=$(bash scripts/package-deb.sh "$work/out2" "$version+newer" "$arch" | tail -1)
  again=$(bash scripts/package-deb.sh "$work/out3" "$version" "$arch" | tail -1)
  cmp -s "$deb1" "$again" || fail "two builds of the same sources differ (not reproducible)"

  step "lintian"
  lintian --tag-display-limit 0 "$deb1" >"$work/lintian.txt" 2>&1 || true
  if grep -q '^E:' "$work/lintian.txt"; then cat "$work/lintian.txt"; fail "lintian reports errors"; fi
  lintian_warnings=$(grep -c '^W:' "$work/lintian.txt" || true)
fi

if [ ! -f "$base" ]; then
  step "making a minimal Debian bookworm $arch root with debootstrap (cached in $base)"
  mkdir -p "$cache"
  if [ "$arch" = amd64 ]; then
    debootstrap --variant=minbase --include=systemd,procps bookworm "$work/boot" >"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log"; fail debootstrap; }
  else
    bash scripts/binfmt-arm64.sh || fail "arm64 binaries cannot run here (qemu-user-static and binfmt_misc are needed)"
    debootstrap --arch=arm64 --foreign --variant=minbase bookworm "$work/boot" >"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log"; fail "debootstrap (first stage)"; }
    chroot "$work/boot" /debootstrap/debootstrap --second-stage >>"$work/debootstrap.log" 2>&1 \
      || { tail -20 "$work/debootstrap.log"; fail "debootstrap (second stage under qemu)"; }
  fi
  tar -C "$work/boot" -cf "$base.tmp" . && mv "$base.tmp" "$base" && rm -rf "$work/boot"
fi
[ "$arch" = arm64 ] && { bash scripts/binfmt-arm64.sh || fail "arm64 binaries cannot run here"; }
mkdir "$root" && tar -C "$root" -xf "$base"
mount -t proc proc "$root/proc"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TZ=UTC "$@"; }

in_root sh -c 'command -v node nodejs' && fail "the clean root already has Node.js"
cp "$deb1" "$root/tmp/"
[ "$arch" = amd64 ] && cp "$deb2" "$root/tmp/"
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
if [ "$arch" = amd64 ]; then  # the arm64 root has no systemd, hence no systemd-journal group and no unit to enable
  in_root id -nG sentra | grep -qw systemd-journal || fail "sentra is not in systemd-journal"
  [ -L "$root/etc/systemd/system/multi-user.target.wants/sentra.service" ] || fail "the service was not enabled"
fi
[ "$(in_root stat -c '%U:%G %a' /var/lib/sentra)" = "sentra:sentra 750" ] || fail "/var/lib/sentra ownership"
[ "$(in_root stat -c '%G %a' /etc/sentra/config.yaml)" = "sentra 640" ] || fail "/etc/sentra/config.yaml permissions"
[ "$(in_root stat -c '%U:%G %a' /etc/sentra/bundle-signing.key)" = "root:sentra 640" ] || fail "the bundle signing key is missing or not root:sentra 640"
in_root sentra audit-bundle key | grep -q '^fingerprint SHA256:' || fail "sentra audit-bundle key"
[ -f "$root/lib/systemd/system/sentra.service" ] || fail "the unit is missing"

if [ "$arch" = amd64 ]; then  # the same on every architecture: checked once
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
fi

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
run_agent() {  # as the unit runs it: the service user, its groups, no privileges; "traced": under strace
  local trace=()
  agent_traced=no
  # strace exits with the traced program's status.
  if [ "${1:-}" = traced ]; then trace=(strace -f -qq -o "$work/strace.txt"); agent_traced=yes; fi
  "${trace[@]}" chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TZ=UTC \
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
  # Under strace the agent is strace's child (strace does not pass SIGTERM on); otherwise it is $agent_pid itself.
  local target=$agent_pid
  [ "$agent_traced" = yes ] && target=$(pgrep -P "$agent_pid" | head -1)
  kill -TERM "$target"; local rc=0; wait "$agent_pid" || rc=$?
  [ "$rc" = 0 ] || { cat "$work/agent.log"; fail "the agent exited $rc on SIGTERM"; }
}
run_agent; caught_up; stop_agent
[ -f "$root/var/lib/sentra/state.json" ] || { cat "$work/agent.log"; fail "no state.json after SIGTERM"; }
[ "$(in_root stat -c %U /var/lib/sentra/state.json)" = sentra ] || fail "state.json is not owned by sentra"
grep -q '"resumed":false' "$work/agent.log" || fail "the first start did not start afresh"
tail -n +3501 "$work/full.log" >>"$root/var/log/sentra-test/auth.log"
if [ "$arch" = amd64 ]; then run_agent traced; else run_agent; fi
caught_up; stop_agent
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

if [ "$arch" = amd64 ]; then  # the same on every architecture: checked once
  step "a member of the sentra group reads the store; another user cannot"
  in_root useradd --create-home alice && in_root useradd --create-home bob && in_root usermod --append --groups sentra alice
  as_user() { local u=$1; shift; chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TZ=UTC HOME=/home/$u \
    setpriv --reuid="$u" --regid="$u" --init-groups /usr/bin/sentra "$@"; }
  [ "$(as_user alice signals --since 2000-01-01 --format jsonl | wc -l)" = "$agent_signals" ] || fail "a member of the sentra group cannot list the signals"
  as_user alice report weekly --week 2026-W10 --format text >/dev/null || fail "a member of the sentra group cannot build the weekly report"
  rc=0; as_user bob signals --since 2000-01-01 >/dev/null 2>"$work/bob.txt" || rc=$?
  [ "$rc" != 0 ] || fail "a user outside the sentra group read the store"

  step "a writing command as root keeps the state directory's owner"
  sid=$(head -1 "$work/stored.jsonl" | node -e 'let d="";process.stdin.on("data",(c)=>d+=c).on("end",()=>console.log(JSON.parse(d).id))')
  in_root sentra decide "$sid" --status reviewed --by maria --note "packaged agent test" >/dev/null || fail "sentra decide as root"
  [ "$(in_root stat -c '%U:%G %a' /var/lib/sentra/decisions.jsonl)" = "sentra:sentra 640" ] || fail "decisions.jsonl is not sentra:sentra 640"

  step "sentra ui as the service user: the token made at install, 401 without it, pages and a decision with it"
  [ "$(in_root stat -c '%U:%G %a' /var/lib/sentra/ui.token)" = "sentra:sentra 600" ] || fail "ui.token is not sentra:sentra 600"
  [ -f "$root/lib/systemd/system/sentra-ui.service" ] || fail "sentra-ui.service is missing"
  [ ! -e "$root/etc/systemd/system/multi-user.target.wants/sentra-ui.service" ] || fail "sentra-ui.service was enabled without being asked"
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TZ=UTC \
    setpriv --reuid=sentra --regid=sentra --init-groups --no-new-privs /usr/bin/sentra ui --config /tmp/agent.yaml --listen 127.0.0.1:18443 >"$work/ui.log" 2>&1 &
  ui_pid=$!
  ui_token=$(cat "$root/var/lib/sentra/ui.token")
  node -e '
    const [token, sid] = process.argv.slice(1);
    const url = "http://127.0.0.1:18443";
    const tryFetch = async (path, init = {}) => { for (let i = 0; i < 300; i++) { try { return await fetch(url + path, { redirect: "manual", ...init }); } catch { await new Promise((r) => setTimeout(r, 100)); } } throw new Error("sentra ui never listened"); };
    (async () => {
      const anon = await tryFetch("/signals");
      if (anon.status !== 401) throw new Error(`without the token: ${anon.status}`);
      const auth = { authorization: `Bearer ${token}` };
      const page = await tryFetch(`/signals/${sid}`, { headers: auth });
      const html = await page.text();
      if (page.status !== 200 || !html.includes(sid)) throw new Error(`the signal page: ${page.status}`);
      const post = await tryFetch(`/signals/${sid}/decision`, { method: "POST", headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ status: "resolved", by: "packaged ui", note: "" }) });
      if (post.status !== 303) throw new Error(`the decision: ${post.status} ${await post.text()}`);
    })().catch((e) => { console.error(e.message); process.exit(1); });' "$ui_token" "$sid" || { cat "$work/ui.log"; fail "sentra ui"; }
  kill -TERM "$ui_pid"; rc=0; wait "$ui_pid" || rc=$?
  [ "$rc" = 0 ] || { cat "$work/ui.log"; fail "sentra ui exited $rc on SIGTERM"; }
  in_root sentra signals --since 2000-01-01 | grep "^$sid" | grep -q '\[resolved by packaged ui\]' || fail "the decision made in sentra ui is not in sentra signals"
  grep -q "$ui_token" "$work/ui.log" && fail "sentra ui printed its token"
  ui_exposure=$(systemd-analyze security --offline=yes "$root/lib/systemd/system/sentra-ui.service" 2>/dev/null | tail -1 | grep -o '[0-9]\+\.[0-9]')
  awk -v e="$ui_exposure" 'BEGIN { exit !(e <= 1.3) }' || fail "sentra-ui.service exposure $ui_exposure is above 1.3"
  systemd-analyze verify --root="$root" /lib/systemd/system/sentra-ui.service >"$work/verify-ui.log" 2>&1 \
    || { cat "$work/verify-ui.log"; fail "systemd-analyze verify sentra-ui.service"; }
  echo "test-deb: sentra ui served the packaged store as the service user; sentra-ui.service exposure $ui_exposure"

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
  awk -v e="$exposure" 'BEGIN { exit !(e <= 1.3) }' || fail "exposure $exposure is above 1.3"
  # The unit forbids these groups (SystemCallFilter=~@privileged @resources): the agent must not need them.
  # Calls made before node started (chroot, setpriv dropping privileges) are not the agent's.
  members() {  # the system calls of filter groups, nested groups (@chown in @privileged) expanded
    local g; for g in "$@"; do
      systemd-analyze syscall-filter "$g" 2>/dev/null | sed -n 's/^    \([@a-z_0-9-]*\)$/\1/p' | while read -r m; do
        case "$m" in @*) members "$m" ;; *) echo "$m" ;; esac
      done
    done
  }
  forbidden=$(members @privileged @resources | sort -u)
  [ "$(echo "$forbidden" | wc -l)" -gt 40 ] || fail "systemd-analyze did not list the @privileged and @resources groups"
  used=$(awk '!started && /execve\("\/usr\/lib\/sentra\/node"/ && / = 0$/ { started=1; next }
    started { line=$0; sub(/^[0-9]+ +/, "", line); sub(/^<\.\.\. /, "", line); if (match(line, /^[a-z_0-9]+/)) print substr(line, 1, RLENGTH) }' \
    "$work/strace.txt" | sort -u)
  [ -n "$used" ] || fail "the strace of the packaged agent recorded no system calls"
  denied=$(comm -12 <(echo "$forbidden") <(echo "$used") | tr '\n' ' ')
  [ -z "$denied" ] || fail "the agent uses system calls the unit forbids: $denied"
  syscalls=$(echo "$used" | wc -l)
  nonet=$(mktemp "$work/nonet-XXXX.service")
  grep -v '^IPAddressDeny=$' "$root/lib/systemd/system/sentra.service" >"$nonet"
  cat "$root/usr/share/doc/sentra/examples/sentra-no-network.conf" >>"$nonet"
  exposure_nonet=$(systemd-analyze security --offline=yes "$nonet" 2>/dev/null | tail -1 | grep -o '[0-9]\+\.[0-9]')
  systemd-analyze verify --root="$root" /lib/systemd/system/sentra.service >"$work/verify.log" 2>&1 \
    || { cat "$work/verify.log"; fail "systemd-analyze verify"; }
fi

step "purging"
in_root dpkg --purge sentra >"$work/dpkg3.log" 2>&1 || { cat "$work/dpkg3.log"; fail purge; }
[ ! -e "$root/var/lib/sentra" ] || fail "/var/lib/sentra is still there after purge"
in_root getent passwd sentra && fail "the sentra user is still there after purge"
[ ! -e "$root/etc/sentra/config.yaml" ] || fail "the config is still there after purge"

echo "test-deb: $arch: the packaged agent stopped and resumed cleanly; $agent_signals stored signals equal one scan of the whole log"
echo "test-deb: $arch: package $(basename "$deb1") $(stat -c %s "$deb1") bytes ($(dpkg-deb -f "$deb1" Installed-Size) KiB installed); install ${install_seconds}s"
if [ "$arch" = amd64 ]; then
  echo "test-deb: reproducible (two builds, same bytes); exposure $exposure ($exposure_nonet with the no-network drop-in); the agent used $syscalls system calls, none of @privileged or @resources; lintian: 0 errors, $lintian_warnings warnings"
fi
echo "test-deb: passed"
