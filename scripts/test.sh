#!/usr/bin/env bash
# scripts/test.sh: the whole test suite, from a fresh Debian/Ubuntu machine with Node.js 20 or newer.
# Installs what the tests need (npm packages; system packages as later suites need them), builds the
# TypeScript, runs vitest, and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  echo "scripts/test.sh: Node.js 20 or newer is needed (found: $(node --version 2>/dev/null || echo none))." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# System packages the integration tests use; installed only when missing (root can apt-get here).
missing=()
for pkg in $(cat scripts/test-packages.txt 2>/dev/null); do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
    echo "scripts/test.sh: could not install ${missing[*]}" >&2; echo "0 passed, 1 failed"; exit 1; }
fi

npm ci --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed"; exit 1; }
npm run --silent build || { echo "scripts/test.sh: the TypeScript build failed" >&2; echo "0 passed, 1 failed"; exit 1; }

results=$(mktemp -d)
npx vitest run --reporter=default --reporter=json --outputFile="$results/main.json"
status=$?

# The date-sensitive tests once more with the machine's clock moved one and three years ahead (Debian's
# faketime): Sentra's clock is pinned by the tests, so nothing may notice. A test that reads the wall clock
# behind the pinned clock's back fails here.
dated=(test/reports test/audit test/override test/store test/daemon/mail.test.ts test/sinks/notify.test.ts test/cli/cli.test.ts test/cli/store-commands.test.ts
  test/query/parse.test.ts test/query/answers.test.ts test/query/ai-local.test.ts test/cli/ask.test.ts)
for offset in 365d 1095d; do
  echo "== the date-sensitive tests with the clock moved +$offset"
  faketime -f "+$offset" npx vitest run --reporter=dot --reporter=json --outputFile="$results/faketime-$offset.json" "${dated[@]}" || status=1
done

node scripts/test-summary.mjs "$results"/*.json || status=1
rm -rf "$results"
exit $status
