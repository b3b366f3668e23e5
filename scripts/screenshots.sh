#!/usr/bin/env bash
# Takes the README's screenshots (docs/screenshots/) from the debug build with fresh demo data.
# Needs a build (cargo leptos build --split) and bash scripts/setup-e2e.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-e2e.sh
data=$(mktemp -d)
./target/debug/coop-permits demo --data-dir "$data" >/dev/null
./target/debug/coop-permits serve --listen 127.0.0.1:3300 --data-dir "$data" --site-root target/site 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:3300/healthz >/dev/null && break; sleep 0.2; done
mkdir -p docs/screenshots
(cd end2end && node screenshots/take.js http://127.0.0.1:3300 ../docs/screenshots)
ls -la docs/screenshots
