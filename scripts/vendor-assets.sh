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
  # PDF.js: the legacy build (older phone browsers), renamed .js so that every static server sends a
  # JavaScript type (module scripts are refused otherwise); no wasm decoders (the CSP has no wasm-unsafe-eval).
  "pdfjs-dist|6.5.438|sha512-vg8Pw1x+AFKy4AMDvhuWl5cOYV8d698UoEANoFFhc79hqXDnZQqnOXoxw3HG907WHOg1JYOvLhP756boddFxpA==|legacy/build/pdf.min.mjs:pdf.min.js legacy/build/pdf.worker.min.mjs:pdf.worker.min.js LICENSE:LICENSE"
  # epub.js reads an EPUB with JSZip (a global it expects to find loaded before it).
  "epubjs|0.3.93|sha512-c06pNSdBxcXv3dZSbXAVLE1/pmleRhOT6mXNZo6INKmvuKpYB65MwU/lO7830czCtjIiK9i+KR+3S+p0wtljrw==|dist/epub.min.js:epub.min.js license:LICENSE"
  "jszip|3.10.1|sha512-xXDvecyTpGLrqFrvkrUSoxxfJI5AH7U8zxxtVclpsUtMCq4JQ290LY8AW5c7Ggnr/Y/oK+bQMbqK2qmtk3pN4g==|dist/jszip.min.js:jszip.min.js LICENSE.markdown:LICENSE"
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
