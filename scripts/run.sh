#!/usr/bin/env bash
# Installs what is missing, builds the release (server and site together), and serves the app
# on SQLite at http://127.0.0.1:3000 (data in ./data) with the demo accounts, whose sign-ins it
# prints. Extra arguments go to `coop-permits serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
cargo leptos build --release --split
# The demo accounts and students (idempotent; COOP_DEMO=0 skips them). They use the same
# database as the server: ./data, or COOP_DATA_DIR / DATABASE_URL when set.
if [ "${COOP_DEMO:-1}" != 0 ]; then
  ./target/release/coop-permits demo
fi
exec ./target/release/coop-permits serve --site-root target/site "$@"
