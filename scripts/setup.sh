#!/usr/bin/env bash
# Installs, idempotently, what building, serving and testing need on a fresh machine of this kind
# (Debian, Rust by rustup, Node.js). Nothing here downloads a prebuilt binary: every tool comes
# from crates.io, npm or Debian. Safe to run again: each step checks first.
#
# Source it (". scripts/setup.sh") to also get PATH with the project's tools.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

say() { printf 'setup: %s\n' "$*" >&2; }

# wasm-opt from npm's binaryen 132, ahead of anything else on PATH (Debian's binaryen 108 writes
# wasm that builds but fails in the browser).
tools="$root/.tools"
export PATH="$tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wb_version" ]; then
  say "cannot find wasm-bindgen in Cargo.lock"
  exit 1
fi
installed=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$installed" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version (found: ${installed:-none}); about 5 minutes"
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "installing Node.js (apt-get)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi

if [ "$(wasm-opt --version 2>/dev/null | awk '{ print $3 }')" != "132" ]; then
  say "installing wasm-opt (npm binaryen@132) into .tools/"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent binaryen@132
fi

leptos_version=0.3.10
if [ "$(cargo leptos --version 2>/dev/null | awk '{ print $2 }')" != "$leptos_version" ]; then
  say "installing cargo-leptos $leptos_version; about 20 minutes on 2 cores, once"
  cargo install cargo-leptos --version "$leptos_version" --locked
fi

say "ready: $(rustc --version | awk '{print $1, $2}'), wasm-bindgen $wb_version, wasm-opt $(wasm-opt --version | awk '{print $3}'), cargo-leptos $leptos_version, node $(node --version)"
