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
grep -q 'Login as alice succeeded from 203.0.113.50 after repeated failures' "$work/scan.txt" || { cat "$work/scan.txt"; fail "scan output"; }
in_root getent passwd sentra | grep -q ':/usr/sbin/nologin$' || fail "the sentra user has a login shell or is missing"
in_root id -nG sentra | grep -qw adm || fail "sentra is not in adm"
in_root id -nG sentra | grep -qw systemd-journal || fail "sentra is not in systemd-journal"
[ -L "$root/etc/systemd/system/multi-user.target.wants/sentra.service" ] || fail "the service was not enabled"
[ "$(in_root stat -c '%U:%G %a' /var/lib/sentra)" = "sentra:sentra 700" ] || fail "/var/lib/sentra ownership"
[ "$(in_root stat -c '%G %a' /etc/sentra/config.yaml)" = "sentra 640" ] || fail "/etc/sentra/config.yaml permissions"
[ -f "$root/lib/systemd/system/sentra.service" ] || fail "the unit is missing"

step "editing /etc/sentra/overrides.json and upgrading"
in_root sentra overrides add --file /etc/sentra/overrides.json --id nightly-backup --reason "Nightly backup, CHG-7" \
  --reviewer maria --user backup >/dev/null || fail "overrides add"
in_root dpkg -i "/tmp/$(basename "$deb2")" >"$work/dpkg2.log" 2>&1 || { cat "$work/dpkg2.log"; fail "upgrade"; }
[ "$(in_root sentra --version)" = "$version+newer" ] || fail "the upgrade did not take"
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

echo "test-deb: package $(basename "$deb1") $(stat -c %s "$deb1") bytes ($(dpkg-deb -f "$deb1" Installed-Size) KiB installed); install ${install_seconds}s; exposure $exposure; lintian: 0 errors, $lintian_warnings warnings"
echo "test-deb: passed"
