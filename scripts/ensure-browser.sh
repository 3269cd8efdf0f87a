#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright; Chinese text needs fonts-noto-cjk, and the
# PDF reports (WeasyPrint) need Pango.
# Installs both when missing (root, or passwordless sudo).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
# The annual report's PDF (WeasyPrint) lays out text with Pango.
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || missing+=(libpangoft2-1.0-0)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "安装浏览器测试依赖：${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
