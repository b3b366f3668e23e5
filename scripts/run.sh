#!/usr/bin/env bash
# Installs what is missing, builds the release (server and site together), and serves the app
# on SQLite at http://127.0.0.1:3000 (data in ./data). Extra arguments go to `coop-permits serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
cargo leptos build --release
exec ./target/release/coop-permits serve --site-root target/site "$@"
