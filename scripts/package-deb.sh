#!/usr/bin/env bash
# scripts/package-deb.sh: builds sentra_<version>_amd64.deb with dpkg-deb (`npm run package:deb`).
# Self-contained: the package carries this machine's Node.js binary and the application bundled and minified
# by esbuild; the target needs no npm and no network. Layout:
#   /usr/bin/sentra                 wrapper        /usr/lib/sentra/{node,sentra.mjs,package.json,dist/rules-cache.json}
#   /usr/share/sentra/rules         shipped rules (read-only)   /etc/sentra/rules.d   local rules
#   /usr/share/sentra/reports/templates            /etc/sentra/{config.yaml,overrides.json}   (conffiles)
#   /lib/systemd/system/sentra.service             /var/lib/sentra (created by postinst, owned by sentra)
#   bash scripts/package-deb.sh [OUT_DIR] [VERSION]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-build}")
version=${2:-$(node -p "require('./package.json').version")}
arch=amd64
work=$(mktemp -d)
root="$work/sentra_${version}_${arch}"
trap 'rm -rf "$work"' EXIT

npm run --silent build >/dev/null
mkdir -p "$root/DEBIAN" "$root/usr/bin" "$root/usr/lib/sentra/dist" "$root/usr/share/sentra/reports" \
  "$root/usr/share/doc/sentra" "$root/etc/sentra/rules.d" "$root/lib/systemd/system"

# The application: one minified ES module. CommonJS dependencies get a require() of their own.
npx esbuild agent/cli/main.ts --bundle --platform=node --target=node20 --format=esm --minify --legal-comments=none \
  --log-level=warning --outfile="$root/usr/lib/sentra/sentra.mjs" \
  --banner:js="import { createRequire as __sentraRequire } from 'node:module'; const require = __sentraRequire(import.meta.url);"
# The wrapper names the interpreter; a #! line in the bundle would point at a system node it must not need.
sed -i '1{/^#!/d}' "$root/usr/lib/sentra/sentra.mjs"
install -m 0755 "$(readlink -f "$(command -v node)")" "$root/usr/lib/sentra/node"
strip --strip-unneeded "$root/usr/lib/sentra/node"
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
install -m 0644 packaging/config.yaml "$root/etc/sentra/config.yaml"   # postinst makes it 0640 root:sentra
install -m 0644 packaging/overrides.json "$root/etc/sentra/overrides.json"
install -m 0644 README.md packaging/copyright "$root/usr/share/doc/sentra/"
install -D -m 0644 packaging/lintian-overrides "$root/usr/share/lintian/overrides/sentra"
printf 'sentra (%s) stable; urgency=medium\n\n  * Release %s.\n\n -- Sentra maintainers <sentra@example.com>  %s\n' \
  "$version" "$version" "$(date -R -u -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")" \
  | gzip -9n > "$root/usr/share/doc/sentra/changelog.gz"

size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" packaging/debian/control.in > "$root/DEBIAN/control"
install -m 0644 packaging/debian/conffiles "$root/DEBIAN/conffiles"
for s in postinst prerm postrm; do install -m 0755 "packaging/debian/$s" "$root/DEBIAN/$s"; done
find "$root" -type d -exec chmod 0755 {} +
chmod 0644 "$root/usr/lib/sentra/sentra.mjs"

mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out/sentra_${version}_${arch}.deb" >/dev/null
echo "$out/sentra_${version}_${arch}.deb"
