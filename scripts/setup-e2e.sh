#!/usr/bin/env bash
# The browser-test tools, idempotently: Debian's Chromium (never a downloaded browser) and the
# end2end/ npm packages from package-lock.json.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [ ! -x /usr/bin/chromium ]; then
  echo "setup-e2e: installing Debian's chromium (apt-get)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
cd "$root/end2end"
if [ ! -d node_modules/@playwright/test ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup-e2e: installing end2end npm packages" >&2
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
fi
