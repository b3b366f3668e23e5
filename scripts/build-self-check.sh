#!/usr/bin/env bash
# Builds `/`'s own bundle (crates/self-check-web) into the site's pkg folder beside what
# cargo-leptos built: the self-check's first load is this module and its wasm, not the whole
# app. Names carry a digest of the content (cached for a year, like cargo-leptos's files); the
# server reads the digest from pkg/coop-self-check.txt. Run after `cargo leptos build`, with the
# same profile: `--release` (wasm-opt -Oz) or nothing (debug).
#   SITE_ROOT   the site folder (default target/site)
set -euo pipefail
cd "$(dirname "$0")/.."
site="${SITE_ROOT:-target/site}"
profile=dev
dir=debug
if [ "${1:-}" = "--release" ]; then
  profile=wasm-release
  dir=wasm-release
fi
cargo build --locked -p coop-self-check-web --target wasm32-unknown-unknown --profile "$profile"
out=target/self-check
rm -rf "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name coop-self-check \
  "target/wasm32-unknown-unknown/$dir/coop_self_check_web.wasm"
if [ "$profile" = wasm-release ]; then
  # The flags cargo-leptos gives wasm-opt for the app's bundle.
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    -o "$out/coop-self-check_bg.opt.wasm" "$out/coop-self-check_bg.wasm"
  mv "$out/coop-self-check_bg.opt.wasm" "$out/coop-self-check_bg.wasm"
fi
hash=$(cat "$out/coop-self-check.js" "$out/coop-self-check_bg.wasm" | sha256sum | cut -c1-20)
mkdir -p "$site/pkg"
rm -f "$site"/pkg/coop-self-check.*
cp "$out/coop-self-check.js" "$site/pkg/coop-self-check.$hash.js"
cp "$out/coop-self-check_bg.wasm" "$site/pkg/coop-self-check.$hash.wasm"
echo "$hash" > "$site/pkg/coop-self-check.txt"
echo "self-check bundle: $site/pkg/coop-self-check.$hash.{js,wasm}"
