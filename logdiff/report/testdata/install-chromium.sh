#!/usr/bin/env bash
# Installs Debian's chromium for logdiff's browser tests (TestBrowser in
# logdiff/report), when no chromium is on PATH. Idempotent: it does nothing
# when one is there. Needs root (or sudo) and apt-get; fonts-dejavu-core
# gives the screenshots a font. Set LOGDIFF_CHROMIUM instead to use another
# browser binary.
set -euo pipefail

for name in chromium chromium-browser google-chrome-stable google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then
    echo "install-chromium: $(command -v "$name") is installed"
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: no chromium and no apt-get; install chromium by hand or set LOGDIFF_CHROMIUM" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "install-chromium: installed $(chromium --version 2>/dev/null || echo chromium)"
