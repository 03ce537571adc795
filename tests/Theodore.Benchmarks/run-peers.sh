#!/usr/bin/env bash
# Theodore vs hnswlib (native, -O3 -march=native) on the same files, end to end:
# install the peers, write the datasets, build the peer, run peer and Theodore one after another
# RUNS times per dataset, then print the median of every (dataset, engine, ef) line.
#   tests/Theodore.Benchmarks/run-peers.sh [DATA_DIR]     env: RUNS=3 THREADS=2 ANCHORS=0 FILTERED=1 MIXED=1 DELETES=1
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
DATA="${1:-/work/bench-data}"
RUNS="${RUNS:-3}"
THREADS="${THREADS:-2}"
PEER=/tmp/hnswlib_native
LOG="$(mktemp /tmp/theodore-peers.XXXXXX.log)"
BENCH="$REPO/tests/Theodore.Benchmarks"
SHARED=/work/shared/bench
DATASETS=(fashion-mnist-784-euclidean emb-384-angular)

if ! /usr/bin/python3 -c 'import numpy, hnswlib, faiss' 2>/dev/null || [ ! -f /usr/include/hnswlib/hnswlib.h ]; then
  apt-get install -y python3-numpy python3-hnswlib python3-faiss libhnswlib-dev g++ >/dev/null
fi

if [ ! -f "$DATA/emb-384-angular.json" ] || [ ! -f "$DATA/fashion-mnist-784-euclidean.json" ]; then
  /usr/bin/python3 "$SHARED/make_datasets.py" "$DATA"
fi

[ -x "$PEER" ] || g++ -O3 -march=native -std=c++17 -pthread "$SHARED/hnswlib_native.cpp" -o "$PEER"
dotnet build -c Release "$BENCH" -v q -nologo >/dev/null
dotnet build-server shutdown >/dev/null 2>&1 || true

theodore() { dotnet run -c Release --no-build --project "$BENCH" -- ann --data "$DATA" "$@"; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg); log: $LOG" | tee -a "$LOG"
for name in "${DATASETS[@]}"; do
  for run in $(seq "$RUNS"); do
    echo "# run $run $name" | tee -a "$LOG"
    "$PEER" "$DATA" "$name" 16 200 "$THREADS" | tee -a "$LOG"
    theodore --name "$name" --threads "$THREADS" | tee -a "$LOG"
  done
  if [ "${ANCHORS:-0}" = 1 ]; then
    /usr/bin/python3 "$SHARED/anchors.py" "$DATA" "$name" | tee -a "$LOG"
  fi
done

if [ "${FILTERED:-1}" = 1 ]; then
  for sel in 0.1 0.01; do
    for run in $(seq "$RUNS"); do
      theodore --name emb-384-angular --threads "$THREADS" --filter-selectivity "$sel" --ef 10,20,40,80 | tee -a "$LOG"
    done
  done
fi

if [ "${MIXED:-1}" = 1 ]; then
  for run in $(seq "$RUNS"); do
    theodore --name emb-384-angular --threads "$THREADS" --mixed --ef 40 | tee -a "$LOG"
  done
fi

if [ "${DELETES:-1}" = 1 ]; then
  for run in $(seq "$RUNS"); do
    theodore --name emb-384-angular --threads "$THREADS" --delete-fraction 0.3 --ef 10,20,40,80 | tee -a "$LOG"
  done
fi

echo "# medians over $RUNS runs"
/usr/bin/python3 - "$LOG" <<'PY'
import re, statistics, sys
groups, order = {}, []
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    parts = line.split()
    if len(parts) < 3:
        continue
    fields = dict(p.split("=", 1) for p in parts[2:] if "=" in p)
    key = (parts[0], parts[1], fields.get("ef", ""), fields.get("writer", ""))
    if key not in groups:
        groups[key] = []
        order.append(key)
    groups[key].append(fields)
for key in order:
    rows = groups[key]
    out = []
    for name in rows[0]:
        try:
            values = [float(r[name]) for r in rows if name in r]
        except ValueError:
            out.append(f"{name}={rows[0][name]}")
            continue
        m = statistics.median(values)
        fmt = ".4f" if name == "recall" else ".3f" if name.endswith("_ms") else ".1f" if name == "build_s" else ".2f" if name.endswith("_s") else ".0f"
        out.append(f"{name}={m:{fmt}}")
    print(key[0], key[1], " ".join(out), f"(n={len(rows)})")
PY
