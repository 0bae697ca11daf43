#!/usr/bin/env bash
# Copy the front-end packages pinned in package.json into static/vendor/.
# Run by a developer when a version changes; the result is committed, so neither
# `make run` nor production needs npm or the internet.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts >/dev/null)
nm="$work/node_modules"
dest=static/vendor
rm -rf "$dest"
mkdir -p "$dest/bootstrap" "$dest/bootstrap-icons/fonts" "$dest/chart.js" "$dest/htmx"
cp "$nm/bootstrap/dist/css/bootstrap.min.css" "$nm/bootstrap/dist/css/bootstrap.min.css.map" "$dest/bootstrap/"
cp "$nm/bootstrap/dist/js/bootstrap.bundle.min.js" "$nm/bootstrap/dist/js/bootstrap.bundle.min.js.map" "$dest/bootstrap/"
cp "$nm/bootstrap/LICENSE" "$dest/bootstrap/LICENSE"
cp "$nm/bootstrap-icons/font/bootstrap-icons.min.css" "$dest/bootstrap-icons/"
cp "$nm/bootstrap-icons/font/fonts/bootstrap-icons.woff2" "$nm/bootstrap-icons/font/fonts/bootstrap-icons.woff" "$dest/bootstrap-icons/fonts/"
cp "$nm/bootstrap-icons/LICENSE" "$dest/bootstrap-icons/LICENSE"
cp "$nm/chart.js/dist/chart.umd.min.js" "$dest/chart.js/"
cp "$nm/chart.js/LICENSE.md" "$dest/chart.js/LICENSE.md"
cp "$nm/htmx.org/dist/htmx.min.js" "$dest/htmx/"
cp "$nm/htmx.org/LICENSE" "$dest/htmx/LICENSE"
(cd "$work" && npm ls --depth=0) > "$dest/VERSIONS.txt"
echo "Vendored into $dest:"; cat "$dest/VERSIONS.txt"
