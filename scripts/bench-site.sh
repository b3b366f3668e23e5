#!/usr/bin/env bash
# Measures the release site: wasm and JavaScript sizes (raw and gzip -9) and the time to the first
# interactive self-check in headless Chromium on loopback (median of 9 cold loads).
# Needs a release build (bash scripts/run.sh, or cargo leptos build --release --split and
# bash scripts/build-self-check.sh --release for `/`'s own bundle).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-e2e.sh
for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  printf '%s: %d bytes raw, %d bytes gzip\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done
# The first load's budget (issue 3): the main wasm at most 300 KB gzip.
main_wasm=$(ls target/site/pkg/coop-permits.*.wasm)
main_gzip=$(gzip -9c "$main_wasm" | wc -c)
if [ "$main_gzip" -gt 300000 ]; then
  echo "main wasm is $main_gzip bytes gzip: over the 300,000-byte budget" >&2
  exit 1
fi
echo "main wasm: $main_gzip bytes gzip (budget 300,000)"
data=$(mktemp -d)
./target/release/coop-permits serve --listen 127.0.0.1:3200 --data-dir "$data" --site-root target/site 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:3200/healthz >/dev/null && break; sleep 0.2; done
(cd end2end && node bench/interactive.js http://127.0.0.1:3200/ 9)
