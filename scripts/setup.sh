#!/usr/bin/env bash
# Installs, idempotently, what building and testing need on a fresh machine of this kind:
# the wasm32 target and wasm-bindgen-cli at exactly the version Cargo.lock pins. Node.js (for the
# wasm tests) comes with the machine. Nothing here downloads a prebuilt binary.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The version of the wasm-bindgen crate in Cargo.lock; the CLI must match it exactly.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wb_version" ]; then
  say "cannot find wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
installed=$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$installed" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version (found: ${installed:-none}); this takes a few minutes"
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

if ! command -v node >/dev/null; then
  say "Node.js is needed for the wasm tests: apt-get install -y nodejs" >&2
  exit 1
fi
say "ready: $(rustc --version), wasm-bindgen $wb_version, node $(node --version)"
