#!/usr/bin/env bash
# scripts/fetch-node.sh ARCH: prints the path of the pinned Node.js binary for a Debian architecture (amd64 or
# arm64), fetched once from the npm registry (the node-linux-* packages carry the official binaries) into a
# cache, and verified against packaging/node.json: the registry's sha512 integrity of the tarball and the
# sha256 of the binary itself. A mismatch stops the build; nothing unverified is ever packaged.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:?usage: fetch-node.sh amd64|arm64}
pin() { node -e 'const p=require("./packaging/node.json"); const a=p.arch[process.argv[1]];
  if (!a) { console.error(`fetch-node: no pinned Node.js for architecture "${process.argv[1]}"`); process.exit(2); }
  console.log({ version: p.version, ...a }[process.argv[2]]);' "$arch" "$1"; }
version=$(pin version); pkg=$(pin package); integrity=$(pin integrity); sha256=$(pin sha256)
cache=${SENTRA_BUILD_CACHE:-/var/cache/sentra-build}
mkdir -p "$cache"
tgz="$cache/$pkg-$version.tgz"
bin="$cache/$pkg-$version.node"
if [ ! -f "$bin" ] || [ "$(sha256sum "$bin" | cut -d' ' -f1)" != "$sha256" ]; then
  if [ ! -f "$tgz" ]; then
    npm pack "$pkg@$version" --pack-destination "$cache" --silent >/dev/null \
      || { echo "fetch-node: cannot fetch $pkg@$version from the npm registry" >&2; exit 1; }
  fi
  got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  if [ "$got" != "$integrity" ]; then
    rm -f "$tgz"
    echo "fetch-node: $pkg-$version.tgz does not match the pinned integrity (got $got)" >&2; exit 1
  fi
  tar -xzOf "$tgz" package/bin/node >"$bin.tmp"
  got=$(sha256sum "$bin.tmp" | cut -d' ' -f1)
  [ "$got" = "$sha256" ] || { rm -f "$bin.tmp"; echo "fetch-node: the $pkg $version binary does not match the pinned sha256 (got $got)" >&2; exit 1; }
  chmod 0755 "$bin.tmp" && mv "$bin.tmp" "$bin"
fi
echo "$bin"
