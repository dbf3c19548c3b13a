#!/usr/bin/env bash
# scripts/package-deb.sh: builds sentra_<version>_<arch>.deb with dpkg-deb (`npm run package:deb`).
# Self-contained: the package carries a pinned Node.js LTS binary for its architecture (scripts/fetch-node.sh,
# verified by checksum) and the application bundled and minified by esbuild; the target needs no npm and no
# network. Reproducible: the same sources give the same bytes (SOURCE_DATE_EPOCH, default the last commit's
# time, for every mtime; root owners; a fixed file order; no build paths). Layout:
#   /usr/bin/sentra                 wrapper        /usr/lib/sentra/{node,sentra.mjs,package.json,dist/rules-cache.json}
#   /usr/share/sentra/rules         shipped rules (read-only)   /etc/sentra/rules.d   local rules
#   /usr/share/sentra/reports/templates            /etc/sentra/{config.yaml,overrides.json}   (conffiles)
#   /lib/systemd/system/sentra.service             /var/lib/sentra (created by postinst, owned by sentra)
#   bash scripts/package-deb.sh [OUT_DIR] [VERSION] [ARCH]      ARCH: amd64 (default: this machine's) or arm64
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-build}")
version=${2:-$(node -p "require('./package.json').version")}
arch=${3:-$(dpkg --print-architecture)}
case "$arch" in amd64|arm64) ;; *) echo "package-deb: ARCH must be amd64 or arm64, not \"$arch\"" >&2; exit 2 ;; esac
node_bin=$(bash scripts/fetch-node.sh "$arch")
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 1767225600)}
work=$(mktemp -d)
root="$work/sentra_${version}_${arch}"
trap 'rm -rf "$work"' EXIT

# SENTRA_SKIP_BUILD=1: dist/ is already built from these sources (the package test builds once for all its packages).
[ "${SENTRA_SKIP_BUILD:-}" = 1 ] || npm run --silent build >/dev/null
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/lib/sentra/dist" "$root/usr/share/sentra/reports" \
  "$root/usr/share/doc/sentra/examples" "$root/etc/sentra/rules.d" "$root/lib/systemd/system"

# The application: one minified ES module. CommonJS dependencies get a require() of their own.
npx esbuild agent/cli/main.ts --bundle --platform=node --target=node24 --format=esm --minify --legal-comments=none \
  --log-level=warning --outfile="$root/usr/lib/sentra/sentra.mjs" \
  --banner:js="import { createRequire as __sentraRequire } from 'node:module'; const require = __sentraRequire(import.meta.url);"
# The wrapper names the interpreter; a #! line in the bundle would point at a system node it must not need.
sed -i '1{/^#!/d}' "$root/usr/lib/sentra/sentra.mjs"
# The official binary as verified, not stripped: its checksum stays the one upstream published.
install -m 0755 "$node_bin" "$root/usr/lib/sentra/node"
printf '{ "name": "sentra", "version": "%s", "type": "module", "private": true, "sentra": { "share": "/usr/share/sentra" } }\n' \
  "$version" > "$root/usr/lib/sentra/package.json"
cp dist/rules-cache.json "$root/usr/lib/sentra/dist/"
cp -r rules "$root/usr/share/sentra/rules"
cp -r reports/templates "$root/usr/share/sentra/reports/templates"
cat > "$root/usr/bin/sentra" <<'WRAP'
#!/bin/sh
exec /usr/lib/sentra/node /usr/lib/sentra/sentra.mjs "$@"
WRAP
chmod 0755 "$root/usr/bin/sentra"
install -m 0644 systemd/sentra.service "$root/lib/systemd/system/sentra.service"
install -m 0644 systemd/sentra-ui.service "$root/lib/systemd/system/sentra-ui.service"   # not enabled by default
install -m 0644 packaging/config.yaml "$root/etc/sentra/config.yaml"   # postinst makes it 0640 root:sentra
install -m 0644 packaging/overrides.json "$root/etc/sentra/overrides.json"
install -m 0644 README.md packaging/copyright "$root/usr/share/doc/sentra/"
# Man pages and completions from the CLI's own command tree, so they cannot drift from --help.
SENTRA_VERSION="$version" node dist/scripts/gen-docs.js "$work/docs" >/dev/null
install -d "$root/usr/share/man/man1"
for page in "$work"/docs/man1/*.1; do gzip -9n <"$page" >"$root/usr/share/man/man1/$(basename "$page").gz"; done
install -D -m 0644 "$work/docs/bash/sentra" "$root/usr/share/bash-completion/completions/sentra"
install -D -m 0644 "$work/docs/zsh/_sentra" "$root/usr/share/zsh/vendor-completions/_sentra"
install -D -m 0644 packaging/examples/sentra-no-network.conf "$root/usr/share/doc/sentra/examples/sentra-no-network.conf"
install -D -m 0644 packaging/lintian-overrides "$root/usr/share/lintian/overrides/sentra"
printf 'sentra (%s) stable; urgency=medium\n\n  * Release %s.\n\n -- Sentra maintainers <sentra@example.com>  %s\n' \
  "$version" "$version" "$(date -R -u -d @"$SOURCE_DATE_EPOCH")" \
  | gzip -9n > "$root/usr/share/doc/sentra/changelog.gz"

# Apparent sizes: the same on every file system, so the control file is the same on every build machine.
size=$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" -e "s/@ARCH@/$arch/" packaging/debian/control.in > "$root/DEBIAN/control"
install -m 0644 packaging/debian/conffiles "$root/DEBIAN/conffiles"
for s in postinst prerm postrm; do install -m 0755 "packaging/debian/$s" "$root/DEBIAN/$s"; done
find "$root" -type d -exec chmod 0755 {} +
chmod 0644 "$root/usr/lib/sentra/sentra.mjs"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/md5sums"
find "$root" -exec touch --no-dereference --date="@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$out"
# One xz thread: multi-threaded xz output depends on the build machine's core count. The tests build at
# level 1 (SENTRA_DEB_XZ_LEVEL=1: 5 MB larger, 5x faster); releases at dpkg's default, 6.
dpkg-deb --root-owner-group -Zxz -z"${SENTRA_DEB_XZ_LEVEL:-6}" --threads-max=1 --build "$root" "$out/sentra_${version}_${arch}.deb" >/dev/null
echo "$out/sentra_${version}_${arch}.deb"
