#!/usr/bin/env bash
# scripts/demo.sh: the demo path from a clean checkout (after `npm ci`). Scans the bundled sample stories
# into a state directory, renders weekly reports (HTML you can open), builds an audit-evidence bundle and
# verifies it, and, when Debian's chromium is installed (apt-get install chromium), renders a report to PNG.
#   bash scripts/demo.sh [OUTPUT_DIR]     (default: ./demo-output)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-demo-output}")
sentra() { node dist/agent/cli/main.js "$@"; }

rm -rf "$out/state"
mkdir -p "$out"
sentra scan -q --year 2026 --timezone UTC --overrides overrides.json --state-dir "$out/state" test/fixtures/scenarios/*/input.log > "$out/scan.txt"
printf 'state_dir: %s\noverrides: %s\n' "$out/state" "$PWD/overrides.json" > "$out/config.yaml"
for week in 2026-W11 2026-W45; do
  sentra report weekly --config "$out/config.yaml" --week "$week" --format html --out "$out/weekly-$week.html"
  sentra report weekly --config "$out/config.yaml" --week "$week" --format md --out "$out/weekly-$week.md"
done
sentra audit-bundle --config "$out/config.yaml" --from 2026-02-01 --to 2026-11-30 --out "$out"
sentra audit-bundle verify "$(ls -t "$out"/sentra-audit-*.zip | head -1)"

if command -v chromium >/dev/null 2>&1; then
  for week in 2026-W11 2026-W45; do
    # Flags as the machine notes advise: no sandbox as root, no background networking on a closed network.
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
      --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" --hide-scrollbars \
      --window-size=760,2600 --screenshot="$out/weekly-$week.png" "file://$out/weekly-$week.html" 2>/dev/null
    echo "rendered $out/weekly-$week.png"
  done
else
  echo "chromium is not installed; skipping the PNG rendering (apt-get install chromium)"
fi
echo "demo output in $out"
