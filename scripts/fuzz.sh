#!/usr/bin/env bash
# libFuzzer (cargo-fuzz) on what users send (issue 8, part 4). Targets (crates/fuzz):
#   check_case        the permit-check / POST /api/v1/check case reader (check-format.md)
#   validators        the document checks S2–S7, S9, and the PDF active-content scan
#   pdf_structure     S7's structural PDF inspection (lopdf), seeded with the review's tricks
#   csv_import        the staff's student CSV import reader
#   multipart_upload  the document upload's multipart reader, through axum's extractor
# cargo-fuzz needs nightly flags; on the stable compiler RUSTC_BOOTSTRAP=1 allows them.
# Inputs that add coverage are kept in crates/fuzz/corpus/TARGET, minimized after a long run
# (commit them); a crash is written to crates/fuzz/artifacts/TARGET and the run fails.
#   usage: scripts/fuzz.sh TARGET [SECONDS]   one target (600 s by default)
#          scripts/fuzz.sh all [SECONDS]      each target in turn
#          scripts/fuzz.sh short              CI: the three core targets for 60 s each (a build
#                                             without the server: minutes, not a quarter hour)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh >/dev/null
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.2 --locked
export RUSTC_BOOTSTRAP=1

# run TARGET SECONDS [cargo-fuzz options...]
run() {
  local target=$1 seconds=$2
  shift 2
  mkdir -p "crates/fuzz/corpus/$target"
  echo "== fuzz $target for $seconds s"
  # -timeout: an input taking over 10 s is a hang; -rss_limit_mb: over 2 GiB is out of memory.
  local log status=0
  log=$(mktemp)
  cargo fuzz run --fuzz-dir crates/fuzz -O "$@" "$target" "crates/fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  grep -E '^(#[0-9]+ +DONE|Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb|INFO: seed corpus)' "$log" || true
  if [ "$status" != 0 ]; then
    tail -n 80 "$log"
    echo "fuzz $target failed (exit $status): see crates/fuzz/artifacts/$target" >&2
  fi
  rm -f "$log"
  return "$status"
}

# minimize TARGET [cargo-fuzz options...]: keeps the smallest set of inputs with the same
# coverage, so the corpus in the repository stays small.
minimize() {
  local target=$1
  shift
  local before after
  before=$(find "crates/fuzz/corpus/$target" -type f | wc -l)
  cargo fuzz cmin --fuzz-dir crates/fuzz -O "$@" "$target" "crates/fuzz/corpus/$target" >/dev/null 2>&1
  after=$(find "crates/fuzz/corpus/$target" -type f | wc -l)
  echo "corpus $target: $before inputs, $after after minimizing"
}

# The core targets are built without the server feature: no store, no server, a short build.
core=(--no-default-features)
case "${1:-}" in
  short)
    run check_case 60 "${core[@]}"
    run validators 60 "${core[@]}"
    run pdf_structure 60 "${core[@]}"
    ;;
  all)
    run check_case "${2:-600}" "${core[@]}" && minimize check_case "${core[@]}"
    run validators "${2:-600}" "${core[@]}" && minimize validators "${core[@]}"
    run pdf_structure "${2:-600}" "${core[@]}" && minimize pdf_structure "${core[@]}"
    run csv_import "${2:-600}" && minimize csv_import
    run multipart_upload "${2:-600}" && minimize multipart_upload
    ;;
  check_case | validators | pdf_structure)
    run "$1" "${2:-600}" "${core[@]}" && minimize "$1" "${core[@]}"
    ;;
  csv_import | multipart_upload)
    run "$1" "${2:-600}" && minimize "$1"
    ;;
  *)
    sed -n '2,16p' "$0" >&2
    exit 2
    ;;
esac
