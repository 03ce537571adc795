#!/usr/bin/env bash
# The API under HTTP load, as a user runs it: builds Release, starts the API on the native engine with a fresh data
# directory and the rate limiter off, ingests a dataset through HTTP, waits until the graph has linked it, checks
# recall@10 through HTTP, then drives POST .../query with wrk and prints requests/s and p50/p90/p99.
#
#   tests/Theodore.Benchmarks/http-load.sh DATASETS_DIR [NAME] [RUNS]
#
# With OTHER=/path/to/another/checkout (built the same way) both APIs run side by side and the load runs alternate
# between them, which is how a change is measured on a shared, noisy machine. Needs wrk (apt-get install wrk) and
# a dataset from /work/shared/bench/make_datasets.py (e.g. emb-384-angular).
set -euo pipefail
data="${1:?usage: http-load.sh DATASETS_DIR [NAME] [RUNS]}"
name="${2:-emb-384-angular}"
runs="${3:-3}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }

checkouts=("$here")
[ -n "${OTHER:-}" ] && checkouts+=("$(cd "$OTHER" && pwd)")

pids=()
dirs=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for dir in "${dirs[@]}"; do rm -rf "$dir"; done
}
trap cleanup EXIT

ports=()
for i in "${!checkouts[@]}"; do
  checkout="${checkouts[$i]}"
  port=$((5181 + i))
  dotnet build -c Release "$checkout/src/Theodore.Api" -v quiet -nologo >/dev/null
  dir="$(mktemp -d)"; dirs+=("$dir")
  # From the project directory, as `dotnet run` starts it, so appsettings.json applies.
  (cd "$checkout/src/Theodore.Api" && ASPNETCORE_URLS="http://127.0.0.1:$port" Api__RateLimit__Enabled=false \
    VectorStorage__Native__DataPath="$dir/data" exec dotnet "$checkout/artifacts/bin/Theodore.Api/release/Theodore.Api.dll" \
    >"$dir/server.log" 2>&1) &
  pids+=($!)
  until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.5; done
  ports+=("$port")
done

dotnet build -c Release "$here/tests/Theodore.Benchmarks" -v quiet -nologo >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true
bench() { dotnet "$here/artifacts/bin/Theodore.Benchmarks/release/Theodore.Benchmarks.dll" http-load --data "$data" --name "$name" "$@"; }

for i in "${!ports[@]}"; do
  echo "== ${checkouts[$i]} ($(git -C "${checkouts[$i]}" rev-parse --short HEAD))"
  bench --url "http://127.0.0.1:${ports[$i]}" --duration 0
done

# Let the background linker finish refining before anything is timed.
sleep 20
for run in $(seq "$runs"); do
  for i in "${!ports[@]}"; do
    echo -n "run $run, ${checkouts[$i]}: "
    bench --url "http://127.0.0.1:${ports[$i]}" --skip-ingest --duration 10 | grep "search load" | sed 's/search load 1\/1: //'
  done
done
