#!/usr/bin/env bash
# Installs what is missing, builds the release (server and site together), and serves the app
# on SQLite at http://127.0.0.1:3000 (data in ./data) with the demo accounts, whose sign-ins it
# prints. Extra arguments go to `coop-permits serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
cargo leptos build --release --split
# `/`'s own bundle (the self-check without the rest of the app), beside the site's files.
bash scripts/build-self-check.sh --release
# The demo accounts and students (idempotent; COOP_DEMO=0 skips them). They use the same
# database as the server: ./data, or COOP_DATA_DIR / DATABASE_URL when set.
if [ "${COOP_DEMO:-1}" != 0 ]; then
  ./target/release/coop-permits demo
fi
# A demo institution for the letter unless the operator gives the real one (README: Configuration).
export COOP_INSTITUTION_NAME="${COOP_INSTITUTION_NAME:-Example Polytechnic University (demo)}"
export COOP_INSTITUTION_ADDRESS="${COOP_INSTITUTION_ADDRESS:-12666 72 Avenue; Surrey, BC V3W 2M8}"
export COOP_DLI_NUMBER="${COOP_DLI_NUMBER:-O00000000000}"
export COOP_LETTER_SIGNATORY_NAME="${COOP_LETTER_SIGNATORY_NAME:-Demo Signatory}"
export COOP_LETTER_SIGNATORY_TITLE="${COOP_LETTER_SIGNATORY_TITLE:-Co-operative Education Office}"
exec ./target/release/coop-permits serve --site-root target/site "$@"
