#!/usr/bin/env bash
# Theodore (floats, and each quantization with rerank) against hnswlib-native, FAISS HNSW (flat and SQ8) and USearch (f32,
# f16, i8; the benchmark's `usearch` command) on the same files, at scale. Each engine's index is built once and
# cached (INDEX_CACHE), so the RUNS rounds alternate query runs of every engine side by side without a 1M build each
# (set USEARCH= or FAISS= to leave those out). Prints every line, then the curves' medians (curves.py).
#   tests/Theodore.Benchmarks/run-scale.sh [DATA_DIR] [NAME]
#   env: RUNS=3 PASSES=3 THREADS=2 INDEX_CACHE=/work/index-cache USEARCH=f32,f16,i8 FAISS=flat,sq8 QUANT=int8
#        RERANK= (each kind's default) VECTOR_FILES= (a directory: quantized runs keep their floats in memory-mapped
#        files there) MEMORY_CAP= (bytes: quantized runs under that hard memory cap, page cache included; capped.sh)
#        OTHER= (another checkout, e.g. a `git worktree` of the previous commit: each round also runs its Theodore
#        runs, labelled `other-...`, right after this checkout's, so a change is measured side by side; PEERS=0 leaves
#        hnswlib, FAISS and USearch out when only the two builds matter)
# The 1M set: tests/Theodore.Benchmarks/make_scale_datasets.py DATA_DIR (about 5 minutes, 3.2 GB).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH="$REPO/tests/Theodore.Benchmarks"
DATA="${1:-/work/datasets}"
NAME="${2:-emb-384-1000k-angular}"
RUNS="${RUNS:-3}"
PASSES="${PASSES:-3}"
THREADS="${THREADS:-2}"
CACHE="${INDEX_CACHE:-/work/index-cache}"
USEARCH="${USEARCH-f32,f16,i8}"
FAISS="${FAISS-flat,sq8}"
QUANT="${QUANT-int8}"
RERANK="${RERANK:-}"
VECTOR_FILES="${VECTOR_FILES:-}"
MEMORY_CAP="${MEMORY_CAP:-}"
OTHER="${OTHER:-}"
PEERS="${PEERS:-1}"
PEER=/tmp/hnswlib_cached
LOG="$(mktemp /tmp/theodore-scale.XXXXXX.log)"

if ! /usr/bin/python3 -c 'import numpy, faiss' 2>/dev/null || [ ! -f /usr/include/hnswlib/hnswlib.h ]; then
  apt-get install -y python3-numpy python3-hnswlib python3-faiss libhnswlib-dev g++ >/dev/null
fi

[ -f "$DATA/$NAME.json" ] || { echo "no $DATA/$NAME.json: run make_scale_datasets.py (or ../shared/bench/make_datasets.py) first" >&2; exit 2; }
mkdir -p "$CACHE"
[ "$PEER" -nt "$BENCH/peers/hnswlib_cached.cpp" ] || g++ -O3 -march=native -std=c++17 -pthread "$BENCH/peers/hnswlib_cached.cpp" -o "$PEER"
dotnet build -c Release "$BENCH" -v q -nologo >/dev/null
[ -z "$OTHER" ] || dotnet build -c Release "$OTHER/tests/Theodore.Benchmarks" -v q -nologo >/dev/null
# The compiler server the build leaves behind kept a core 40 % busy through the first round.
dotnet build-server shutdown >/dev/null 2>&1 || true

bench=(dotnet "$REPO/artifacts/bin/Theodore.Benchmarks/release/Theodore.Benchmarks.dll")
ann_args=(ann --data "$DATA" --name "$NAME" --threads "$THREADS" --passes "$PASSES" --index-cache "$CACHE"
  --ef 10,20,40,80,160,320)
# Every Theodore run of one checkout (its repository root in $1): floats, then each QUANT kind. The other checkout's
# lines say `other` where this one's say `theodore`, so curves.py keeps them apart.
theodore_runs() {
  local theodore=(dotnet "$1/artifacts/bin/Theodore.Benchmarks/release/Theodore.Benchmarks.dll" "${ann_args[@]}")
  local label="$2"
  "${theodore[@]}" | sed "s/ theodore/ $label/"
  for kind in ${QUANT//,/ }; do
    local args=(--quantization "$kind")
    [ -z "$RERANK" ] || args+=(--rerank-factor "$RERANK")
    [ -z "$VECTOR_FILES" ] || args+=(--vector-files "$VECTOR_FILES")
    if [ -n "$MEMORY_CAP" ]; then
      "$BENCH/capped.sh" "$MEMORY_CAP" "${theodore[@]}" "${args[@]}" | sed 's/ \(theodore-[^ ]*\)/ \1-capped/'
    else
      "${theodore[@]}" "${args[@]}"
    fi | sed "s/ theodore/ $label/"
  done
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg); log: $LOG" | tee -a "$LOG"
for run in $(seq "$RUNS"); do
  echo "# run $run $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$LOG"
  [ "$PEERS" = 0 ] || "$PEER" "$DATA" "$NAME" 16 200 "$THREADS" "$PASSES" "$CACHE" | tee -a "$LOG"
  theodore_runs "$REPO" theodore | tee -a "$LOG"
  [ -z "$OTHER" ] || theodore_runs "$(cd "$OTHER" && pwd)" other | tee -a "$LOG"
  [ "$PEERS" = 0 ] && continue
  for kind in ${FAISS//,/ }; do
    /usr/bin/python3 "$BENCH/peers/faiss_cached.py" "$DATA" "$NAME" "$kind" "$THREADS" "$PASSES" "$CACHE" | tee -a "$LOG"
  done
  if [ -n "$USEARCH" ]; then
    "${bench[@]}" usearch --data "$DATA" --name "$NAME" --kinds "$USEARCH" --threads "$THREADS" --passes "$PASSES" \
      --index-cache "$CACHE" 2>/dev/null | tee -a "$LOG"
  fi
done

echo "# medians over $RUNS runs: QPS at recall 0.95 and 0.99 (each run's value in brackets), then per ef QPS/recall"
/usr/bin/python3 "$BENCH/curves.py" "$LOG"
