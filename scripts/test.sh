#!/usr/bin/env bash
# Runs every test, installing what is missing first:
#   formatting and lints (native, and the browser crates for wasm);
#   native tests — unit, vectors, CLI, properties, the store and the router on SQLite and on a
#   throwaway PostgreSQL cluster;
#   the rules' test vectors in WebAssembly under Node.js;
#   end-to-end tests in Debian's Chromium against the real server on a fresh SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
# The server's build for the browser tests (cargo-leptos) compiles with `--cfg erase_components`
# (`always-erase-components` in Cargo.toml); every other build here uses the same flag, so the
# tests' build and the served binary are one build, not two of every crate (issue 21).
export RUSTFLAGS="--cfg erase_components"

# Each stage's time, printed as it ends and together at the end (BENCHMARKS.md keeps a record).
started=$SECONDS
stage_started=$SECONDS
stage_name="set-up"
times=()
stage() {
  local took=$((SECONDS - stage_started))
  times+=("$(printf '%5d s  %s' "$took" "$stage_name")")
  echo "-- $stage_name: ${took} s"
  stage_name=$1
  stage_started=$SECONDS
  echo "== $1"
}
finish() {
  stage "done"
  echo "== stage times"
  printf '%s\n' "${times[@]}"
  echo "total: $((SECONDS - started)) s"
}

. scripts/setup.sh
bash scripts/setup-e2e.sh

stage "format and lints"
cargo fmt --all -- --check
# No two source files import each other, directly or around a loop (README "How it is built").
python3 scripts/import-cycles.py
cargo clippy --all-targets --locked -- -D warnings
cargo clippy -p coop-frontend -p coop-app -p coop-self-check-web --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy -p coop-core --no-default-features --lib --locked -- -D warnings

stage "native tests (SQLite in temporary files, PostgreSQL in a throwaway cluster)"
bash scripts/with-postgres.sh cargo test --locked
# The browser's build of the rules: only Vancouver and UTC built in, other zones registered;
# the self-check's page on that build (a zone whose rules it must fetch).
cargo test -p coop-core --no-default-features --lib --locked
cargo test -p coop-self-check --lib --locked

stage "load, short (wrk: the check at 64 connections, a status at 32, the office at 16; no errors on SQLite and PostgreSQL; numbers: BENCHMARKS.md)"
bash scripts/with-postgres.sh env LOAD_SHORT=1 bash scripts/load.sh

stage "schemathesis against /api/v1/openapi.json (no 5xx; every status, type and body as documented)"
bash scripts/schemathesis.sh

stage "fuzzing, short (libFuzzer: the case reader, the validators and the PDF structure, 60 s each; cargo test above replays the CSV and multipart corpora)"
bash scripts/fuzz.sh short

stage "WebAssembly tests (Node.js)"
cargo test -p coop-core-wasm-tests --target wasm32-unknown-unknown --locked

stage "the core builds for the browser without a web framework, database or async runtime"
forbidden='^(tokio|async-std|smol|axum|hyper|leptos|sea-orm|sqlx|diesel|rusqlite|wasm-bindgen-futures|futures-executor) '
if cargo tree -p coop-core --target wasm32-unknown-unknown --prefix none --locked | grep -E "$forbidden"; then
  echo "coop-core must stay pure: the crates above do not belong in it" >&2
  exit 1
fi

stage "end-to-end tests (Chromium)"
# The site only: the server is the binary the native tests built (same flags, same features).
# `/`'s own bundle beside it, built the same way (debug).
cargo leptos build --split --frontend-only
bash scripts/build-self-check.sh
cargo build --locked -p coop-server --bin coop-permits
(cd end2end && E2E_SERVER_BIN=../target/debug/coop-permits npx playwright test)

stage "the self-check's first load (its own bundle for release, and the styles: at most 200,000 bytes gzip)"
bash scripts/first-load.sh
finish
echo "all tests passed"
