#!/usr/bin/env bash
# Refresh the browser libraries vendored under static/vendor/ from the npm registry (DESIGN.md:
# pinned versions, no CDN, nothing fetched at run time). The copied files are committed.
#
#   scripts/vendor-assets.sh            fetch every package below
#   scripts/vendor-assets.sh quill      fetch one package
#
# Each package is `npm pack`ed at its pinned version, its tarball is checked against the pinned
# integrity (the `dist.integrity` of `npm view <name>@<version>`), and only the files the pages use
# are copied into static/vendor/<name>-<version>/. Source-map references are stripped: the maps are
# not vendored, and the collectstatic manifest storage would fail on a reference to a missing file.
#
# To upgrade: change the version and the integrity below (`npm view quill@X.Y.Z dist.integrity`),
# run the script, update the paths in the templates, delete the old folder, run the tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"

# name | version | integrity | "source-in-package:target-name" …
PACKAGES=(
  "quill|2.0.3|sha512-xEYQBqfYx/sfb33VJiKnSJp8ehloavImQ2A6564GAbqG55PGw1dAWUn1MUbQB62t0azawUS2CZZhWCjO8gRvTw==|dist/quill.js:quill.js dist/quill.js.LICENSE.txt:quill.js.LICENSE.txt dist/quill.snow.css:quill.snow.css LICENSE:LICENSE"
  "jsqr|1.4.0|sha512-dxLob7q65Xg2DvstYkRpkYtmKm2sPJ9oFhrhmudT1dZvNFFTlroai3AWSpLey/w5vMcLBXRgOJsbXpdN9HzU/A==|dist/jsQR.js:jsQR.js LICENSE:LICENSE"
  "echarts|6.1.0|sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA==|dist/echarts.min.js:echarts.min.js LICENSE:LICENSE NOTICE:NOTICE"
)

command -v npm >/dev/null || { echo "需要 npm（Debian：apt-get install npm）" >&2; exit 1; }

vendor_one() {
  local name="$1" version="$2" integrity="$3" files="$4"
  local work tarball actual target
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  echo "下载 $name@$version"
  (cd "$work" && npm pack --silent "$name@$version" >/dev/null)
  tarball="$(ls "$work"/*.tgz)"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "$actual" != "$integrity" ]; then
    echo "$name@$version 校验失败：期望 $integrity，实际 $actual" >&2
    exit 1
  fi
  tar -xzf "$tarball" -C "$work"
  target="$VENDOR/${name##*/}-$version"
  rm -rf "$target"
  mkdir -p "$target"
  for pair in $files; do
    cp "$work/package/${pair%%:*}" "$target/${pair##*:}"
  done
  # Strip `//# sourceMappingURL=…` (JS) and `/*# sourceMappingURL=… */` (CSS).
  find "$target" -type f \( -name '*.js' -o -name '*.css' \) -exec \
    sed -i -E -e 's#//[#@] sourceMappingURL=[^[:space:]]*##' -e 's#/\*[#@] sourceMappingURL=[^*]*\*/##' {} +
  echo "已写入 ${target#"$ROOT"/}"
}

wanted="${1:-}"
for spec in "${PACKAGES[@]}"; do
  IFS='|' read -r name version integrity files <<<"$spec"
  if [ -z "$wanted" ] || [ "$wanted" = "$name" ]; then
    vendor_one "$name" "$version" "$integrity" "$files"
  fi
done
