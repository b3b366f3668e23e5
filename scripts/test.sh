#!/usr/bin/env bash
# Runs every test: formatting and lints, the native tests (unit, vectors, CLI, properties, the
# store on SQLite and on a throwaway PostgreSQL), and
# the same vectors in WebAssembly under Node.js. Installs what is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== native tests (SQLite in temporary files, PostgreSQL in a throwaway cluster)"
bash scripts/with-postgres.sh cargo test --workspace --locked

echo "== WebAssembly tests (Node.js)"
cargo test -p coop-core-wasm-tests --target wasm32-unknown-unknown --locked

echo "== the core builds for the browser without a web framework, database or async runtime"
forbidden='^(tokio|async-std|smol|axum|hyper|leptos|sea-orm|sqlx|diesel|rusqlite|wasm-bindgen-futures|futures-executor) '
if cargo tree -p coop-core --target wasm32-unknown-unknown --prefix none --locked | grep -E "$forbidden"; then
  echo "coop-core must stay pure: the crates above do not belong in it" >&2
  exit 1
fi
echo "all tests passed"
