#!/usr/bin/env bash
# The self-check's first load (issue 21): every wasm, JavaScript and CSS file `/` references —
# its own bundle (release: wasm-opt -Oz) and the site's stylesheet — gzip -9, at most 200,000
# bytes. Builds `/`'s bundle for release into a folder of its own (about a minute; the site in
# target/site is left as it is); run after `cargo leptos build`, whose stylesheet it counts. The
# browser tests check that `/` loads exactly that bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=200000
site=target/first-load
SITE_ROOT=$site bash scripts/build-self-check.sh --release >/dev/null
hash=$(cat "$site/pkg/coop-self-check.txt")
css=$(ls target/site/pkg/*.css 2>/dev/null || true)
[ -n "$css" ] || { echo "first-load: build the site first (cargo leptos build --split)" >&2; exit 2; }
total=0
for f in "$site/pkg/coop-self-check.$hash.js" "$site/pkg/coop-self-check.$hash.wasm" $css; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9c "$f" | wc -c)
  total=$((total + gz))
  printf '  %-50s %8d B raw %8d B gzip\n' "$(basename "$f")" "$raw" "$gz"
done
echo "first load of /: $total B gzip (budget $budget)"
if [ "$total" -gt "$budget" ]; then
  echo "the self-check's first load is over its budget" >&2
  exit 1
fi
