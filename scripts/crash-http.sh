#!/usr/bin/env bash
# Kills the Theodore API with SIGKILL while a client upserts batches, N times (default 20), and checks after each
# restart that every acknowledged id is still there with the values it was written with.
# Usage: scripts/crash-http.sh [cycles] [port]. Needs dotnet, curl and jq. Exits non-zero on any lost id.
set -euo pipefail

CYCLES="${1:-20}"
PORT="${2:-5187}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d -t theodore-crash-http-XXXXXX)"
BASE="http://127.0.0.1:${PORT}"
DIM=8
BATCH=50
SERVER_PGID=""

cleanup() {
  if [[ -n "$SERVER_PGID" ]]; then kill -9 -- "-$SERVER_PGID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A batch's upsert body. Ids are b<batch>-<item>; values are whole numbers plus eighths, exact in float32.
body_for() {
  awk -v b="$1" -v n="$BATCH" -v dim="$DIM" 'BEGIN {
    printf "{\"vectors\":["
    for (i = 0; i < n; i++) {
      printf "%s{\"id\":\"b%06d-%02d\",\"values\":[", (i ? "," : ""), b, i
      for (d = 0; d < dim; d++) printf "%s%d.%d", (d ? "," : ""), (b * 7 + i * 3 + d) % 64 - 32, ((b + i + d) % 8) * 125
      printf "]}"
    }
    printf "]}\n"
  }'
}

start_server() {
  # A new session, so kill -9 of its process group ends both `dotnet run` and the server it started.
  VectorStorage__Provider=Native VectorStorage__Native__DataPath="$WORK/data" VectorStorage__Native__Durability=Sync \
    Api__RateLimit__Enabled=false ASPNETCORE_URLS="$BASE" Logging__LogLevel__Default=Warning \
    setsid dotnet run --project "$ROOT/src/Theodore.Api" --no-build --no-launch-profile >"$WORK/server.log" 2>&1 &
  SERVER_PGID=$!
  local started=$SECONDS
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready" || true)" == "200" ]]; do
    if (( SECONDS - started > 120 )); then echo "server did not become ready:"; tail -20 "$WORK/server.log"; exit 1; fi
    sleep 0.1
  done
  TOOK=$(( SECONDS - started ))
}

writer() {
  local b=$1
  while true; do
    body_for "$b" >"$WORK/body.json"
    code="$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"$WORK/body.json" "$BASE/v1/indexes/crash/vectors/upsert" || true)"
    if [[ "$code" != "200" ]]; then return 0; fi
    echo "$b" >>"$WORK/acked"
    b=$((b + 1))
  done
}

# One line "id [values]" per record of the given batches, numbers normalized by jq so both sides print alike.
expected_lines() { local b; for b in "$@"; do body_for "$b"; done | jq -r '.vectors[] | "\(.id) \(.values | map(. * 1) | tostring)"'; }

verify() {
  local missing=0 wrong=0 chunk=() b
  : >"$WORK/verify"
  [[ -s "$WORK/acked" ]] || { echo "0 0" >"$WORK/verify"; return; }
  # 20 batches of 50 ids per fetch: the endpoint takes up to 1,000 ids.
  while read -r b; do
    chunk+=("$b")
    if (( ${#chunk[@]} == 20 )); then verify_chunk "${chunk[@]}"; chunk=(); fi
  done < <(sort -n -u "$WORK/acked")
  if (( ${#chunk[@]} > 0 )); then verify_chunk "${chunk[@]}"; fi
  awk '{ m += $1; w += $2 } END { print m + 0, w + 0 }' "$WORK/verify.parts" >"$WORK/verify"
  rm -f "$WORK/verify.parts"
}

verify_chunk() {
  local expected got ids
  expected="$(expected_lines "$@")"
  ids="$(cut -d' ' -f1 <<<"$expected" | jq -R . | jq -s -c '{ids: .}')"
  got="$(curl -s -H 'Content-Type: application/json' -d "$ids" "$BASE/v1/indexes/crash/vectors/fetch" \
    | jq -r '.vectors[] | "\(.id) \(.values | map(. * 1) | tostring)"')"
  local present missing_here wrong_here
  present="$(grep -c . <<<"$got" || true)"
  missing_here=$(( $(grep -c . <<<"$expected") - present ))
  wrong_here=$(( $(comm -23 <(sort <<<"$expected") <(sort <<<"$got") | wc -l) - missing_here ))
  echo "$missing_here $wrong_here" >>"$WORK/verify.parts"
}

echo "building the API once..."
dotnet build "$ROOT/src/Theodore.Api" -v quiet -nologo >/dev/null
touch "$WORK/acked"
next=0 lost=0 restarts=0 restart_total=0 TOOK=0
for ((cycle = 1; cycle <= CYCLES; cycle++)); do
  start_server
  restarts=$((restarts + 1)); restart_total=$((restart_total + TOOK))
  if (( cycle == 1 )); then
    curl -s -o /dev/null -H 'Content-Type: application/json' -d "{\"name\":\"crash\",\"dimension\":$DIM,\"metric\":\"euclidean\"}" "$BASE/v1/indexes"
  fi
  verify
  read -r missing wrong <"$WORK/verify"
  lost=$((lost + missing + wrong))
  printf 'cycle %d: ready after %ss, %d acknowledged batches, %d missing ids, %d wrong vectors\n' \
    "$cycle" "$TOOK" "$(sort -u "$WORK/acked" | wc -l)" "$missing" "$wrong"
  if [[ -s "$WORK/acked" ]]; then next=$(( $(sort -n "$WORK/acked" | tail -1) + 1 )); fi
  writer "$next" &
  writer_pid=$!
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.3 + (r % 250) / 100 }')"
  kill -9 -- "-$SERVER_PGID"
  wait "$SERVER_PGID" 2>/dev/null || true
  SERVER_PGID=""
  wait "$writer_pid" || true
done

start_server
verify
read -r missing wrong <"$WORK/verify"
lost=$((lost + missing + wrong))
batches="$(sort -u "$WORK/acked" | wc -l)"
echo "crash-http: ${CYCLES} SIGKILL cycles, ${batches} acknowledged batches ($((batches * BATCH)) ids), final check: ${missing} missing, ${wrong} wrong; lost over all checks: ${lost}; mean time to ready $(( (restart_total + TOOK) / (restarts + 1) ))s"
(( lost == 0 ))
