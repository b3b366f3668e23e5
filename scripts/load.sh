#!/usr/bin/env bash
# Load test on loopback (issues 8 and 21): `wrk` against the release server with 100,000
# generated students, on SQLite and on a throwaway PostgreSQL, and — in the same run — a bare
# axum handler doing no work (the ceiling on this machine). Prints one Markdown table row per
# endpoint: requests per second, p50/p95/p99 latency, errors, and the ratio to the ceiling.
# Connections as issue 21 states them: the rules' check at 64, a student's status at 32 (against
# the bare handler at 32), the office's lists and counts at 16. The two rows with a ratio are
# measured in ROUNDS rounds (3; 1 with LOAD_SHORT), each the bare handler then the endpoint back
# to back: this machine's speed drifts by ±10 points between minutes, much less within one round,
# so each round's ratio is taken and the row gives their median (the rounds are printed too).
#   usage: scripts/load.sh            (DURATION=10s CONNECTIONS=64 STUDENTS=100000 by default)
#          LOAD_SHORT=1 scripts/load.sh   (CI: 2,000 students, 3 s per endpoint, checks only
#                                          that nothing fails)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh >/dev/null
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

if [ "${LOAD_SHORT:-0}" = 1 ]; then
  DURATION=${DURATION:-3s}; STUDENTS=${STUDENTS:-2000}; PROFILE=${PROFILE:-debug}; DEEP_PAGE=${DEEP_PAGE:-40}
else
  DURATION=${DURATION:-10s}; STUDENTS=${STUDENTS:-100000}; PROFILE=${PROFILE:-release}; DEEP_PAGE=${DEEP_PAGE:-2000}
fi
CONNECTIONS=${CONNECTIONS:-64}
STATUS_CONNECTIONS=${STATUS_CONNECTIONS:-32}
OFFICE_CONNECTIONS=${OFFICE_CONNECTIONS:-16}
if [ "${LOAD_SHORT:-0}" = 1 ]; then ROUNDS=${ROUNDS:-1}; else ROUNDS=${ROUNDS:-3}; fi
# LOAD_BIN_DIR: binaries built earlier (both `coop-permits` and `bare_axum`), e.g. a copy of
# the build before a change, to measure before and after in one session.
if [ -n "${LOAD_BIN_DIR:-}" ]; then
  BIN=$LOAD_BIN_DIR/coop-permits
  BARE=$LOAD_BIN_DIR/bare_axum
else
  if [ "$PROFILE" = release ]; then
    cargo build --release --locked -p coop-server --bin coop-permits --example bare_axum
  else
    cargo build --locked -p coop-server --bin coop-permits --example bare_axum
  fi
  BIN=target/$PROFILE/coop-permits
  BARE=target/$PROFILE/examples/bare_axum
fi
CHECK_BODY='{"now":"2026-12-15T23:30:00Z","student":{"coop_program":true,"coop1101":"registered","continuance_met":true},"study_permit":{"expires":"2026-12-15"}}'
PASSWORD='demo maple ferry 2026'
failed=0

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 300); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.2; done; echo "no answer on $1" >&2; return 1; }

# measure URL [METHOD BODY COOKIE AUTH] → rps, p50, p95, p99, errs, non2xx of one wrk run.
measure() {
  local url=$1
  local out
  out=$(LOAD_METHOD=${2:-GET} LOAD_BODY=${3:-} LOAD_COOKIE=${4:-} LOAD_AUTH=${5:-} \
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s scripts/load/request.lua "$url" | grep '^SUMMARY')
  rps=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$out")
  p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$out")
  p95=$(sed -E 's/.*p95_ms=([0-9.]+).*/\1/' <<<"$out")
  p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$out")
  errs=$(sed -E 's/.*socket_errors=([0-9]+).*/\1/' <<<"$out")
  non2xx=$(sed -E 's/.*non_2xx=([0-9]+).*/\1/' <<<"$out")
  if [ "$errs" != 0 ] || [ "$non2xx" != 0 ]; then failed=1; fi
}

row() { echo "| $1 | $CONNECTIONS | $rps | $p50 | $p95 | $p99 | $errs / $non2xx | $2 |"; }

# load LABEL URL [METHOD BODY COOKIE AUTH] → one table row.
load() {
  local label=$1
  shift
  measure "$@"
  row "$label" "—"
}

# paired LABEL URL [METHOD BODY COOKIE] → a row per round for the bare handler and the endpoint
# (its ratio that round's), then the endpoint's row of medians with the median of the ratios.
paired() {
  local label=$1
  shift
  local rounds=() round bare_rps
  for round in $(seq "$ROUNDS"); do
    measure "http://127.0.0.1:$bare_port/api/v1/check" POST "$CHECK_BODY"
    bare_rps=$rps
    row "bare axum (no work), round $round" "—"
    measure "$@"
    local ratio
    ratio=$(python3 -c "print($rps / $bare_rps)")
    row "$label, round $round" "$(python3 -c "print(f'{$ratio:.0%}')")"
    rounds+=("$rps $p50 $p95 $p99 $ratio")
  done
  read -r rps p50 p95 p99 ratio < <(printf '%s\n' "${rounds[@]}" | python3 -c '
import statistics, sys
cols = list(zip(*[map(float, line.split()) for line in sys.stdin if line.strip()]))
m = [statistics.median(c) for c in cols]
print(f"{m[0]:.0f} {m[1]:.2f} {m[2]:.2f} {m[3]:.2f} {m[4]:.0%}")')
  errs="(above)"; non2xx="(above)"
  row "**$label: median of $ROUNDS rounds**" "**$ratio**"
}

echo "wrk $DURATION, 2 threads, $STUDENTS generated students, $(nproc) cores, $PROFILE build"
echo
echo "| endpoint | connections | requests/s | p50 ms | p95 ms | p99 ms | socket errors / non-2xx | of bare axum |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"

bare_port=$(free_port)
"$BARE" "127.0.0.1:$bare_port" & bare=$!
trap 'kill $bare 2>/dev/null || true' EXIT
sleep 0.5
# with_connections N COMMAND... runs one load at N connections.
with_connections() {
  local full=$CONNECTIONS
  CONNECTIONS=$1
  shift
  "$@"
  CONNECTIONS=$full
}

run_backend() {
  local backend=$1 database_url=$2
  local data port server token cookie
  data=$(mktemp -d)
  local db_args=(--data-dir "$data")
  [ -n "$database_url" ] && db_args+=(--database-url "$database_url")
  "$BIN" demo --students "$STUDENTS" "${db_args[@]}" >/dev/null 2>&1
  # As a running office's database is: the reminders of the generated students already delivered
  # (the server's first pass would otherwise deliver some 10,000 while the load runs), and on
  # PostgreSQL vacuumed and analysed, as autovacuum does soon after a bulk load.
  "$BIN" reminders run "${db_args[@]}" >/dev/null 2>&1
  [ -n "$database_url" ] && psql "$database_url" -qc "VACUUM (ANALYZE)" >/dev/null
  token=$("$BIN" token create --email staff1@coop.example --name load "${db_args[@]}" 2>/dev/null | grep -oE '[A-Za-z0-9_-]{40,}' | head -n 1)
  port=$(free_port)
  "$BIN" serve --listen "127.0.0.1:$port" --public-url "http://127.0.0.1:$port" "${db_args[@]}" >/dev/null 2>&1 & server=$!
  wait_up "$port"
  cookie=$(curl -si "http://127.0.0.1:$port/api/v1/session" -H 'content-type: application/json' \
    -H "origin: http://127.0.0.1:$port" \
    -d "{\"email\":\"farah@students.coop.example\",\"password\":\"$PASSWORD\"}" \
    | grep -i '^set-cookie:' | head -n 1 | sed -E 's/^[Ss]et-[Cc]ookie: ([^;]+).*/\1/')
  local api="http://127.0.0.1:$port/api/v1" staff="Bearer $token"
  paired "$backend: POST /api/v1/check" "$api/check" POST "$CHECK_BODY"
  with_connections "$STATUS_CONNECTIONS" paired "$backend: GET /api/v1/me/status (a student)" "$api/me/status" GET "" "$cookie"
  # The office: a few advisors at once, on the lists they use most. No ratio: these read
  # 100,000 students' standings, the ceiling reads nothing.
  with_connections "$OFFICE_CONNECTIONS" load "$backend: not cleared (\`?job_access=not_cleared\`)" "$api/students?job_access=not_cleared" GET "" "" "$staff"
  with_connections "$OFFICE_CONNECTIONS" load "$backend: name search (\`?q=okafor 42\`)" "$api/students?q=okafor%2042" GET "" "" "$staff"
  with_connections "$OFFICE_CONNECTIONS" load "$backend: number search (\`?q=300099\`)" "$api/students?q=300099" GET "" "" "$staff"
  with_connections "$OFFICE_CONNECTIONS" load "$backend: overview counts (\`${COUNTS_METHOD:-GET} ${COUNTS_PATH:-/api/v1/overview}\`)" "http://127.0.0.1:$port${COUNTS_PATH:-/api/v1/overview}" "${COUNTS_METHOD:-GET}" "" "" "$staff"
  with_connections "$OFFICE_CONNECTIONS" load "$backend: page $DEEP_PAGE by name, offset (\`?page=$DEEP_PAGE\`)" "$api/students?page=$DEEP_PAGE" GET "" "" "$staff"
  # The same page by keyset, as a client paging on gets there: after the last student of the
  # page before.
  local last_before
  last_before=$(curl -sf -H "Authorization: $staff" "$api/students?page=$((DEEP_PAGE - 1))" | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][-1]["id"])')
  with_connections "$OFFICE_CONNECTIONS" load "$backend: page $DEEP_PAGE by name, keyset (\`?after=\`)" "$api/students?after=$last_before" GET "" "" "$staff"
  kill "$server"; wait "$server" 2>/dev/null || true
  rm -rf "$data"
}

run_backend sqlite ""
if [ -n "${COOP_TEST_POSTGRES_URL:-}" ]; then
  psql "$COOP_TEST_POSTGRES_URL" -qc "create database coop_load" >/dev/null
  run_backend postgres "${COOP_TEST_POSTGRES_URL%/*}/coop_load"
else
  echo
  echo "(PostgreSQL: run as scripts/with-postgres.sh scripts/load.sh)"
fi
exit $failed
