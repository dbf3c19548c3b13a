#!/usr/bin/env bash
# scripts/binfmt-arm64.sh: lets this machine run arm64 binaries (for the arm64 clean-root test) with Debian's
# qemu-user-static, registering it with binfmt_misc when it is not yet (containers often lack the service
# that does this at boot). Needs root. Exits 1 with the reason when it cannot.
set -euo pipefail
conf=/usr/lib/binfmt.d/qemu-aarch64.conf
[ -f "$conf" ] || { echo "binfmt-arm64: $conf is missing: install qemu-user-static" >&2; exit 1; }
mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null \
  || { echo "binfmt-arm64: cannot mount binfmt_misc" >&2; exit 1; }
entry=/proc/sys/fs/binfmt_misc/qemu-aarch64
if [ ! -e "$entry" ]; then
  cat "$conf" >/proc/sys/fs/binfmt_misc/register 2>/dev/null || { echo "binfmt-arm64: cannot register qemu-aarch64" >&2; exit 1; }
fi
grep -qx enabled "$entry" || echo 1 >"$entry"
grep -qx enabled "$entry" || { echo "binfmt-arm64: qemu-aarch64 is registered but disabled" >&2; exit 1; }
