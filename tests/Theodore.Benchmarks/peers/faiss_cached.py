#!/usr/bin/python3
"""FAISS HNSW (Debian's python3-faiss) under the protocol of hnswlib_cached.cpp: M 16, efConstruction 200, built on
N threads, one querying thread answering the query set PASSES times per ef (the whole set in one call with one
OpenMP thread, so no Python runs per query), recall@10. KIND is flat (IndexHNSWFlat) or sq8 (IndexHNSWSQ, 8-bit scalar codes, no rerank). With
INDEX_CACHE the built index is written there and later runs read it (the line says load_s instead of build_s).

Usage: faiss_cached.py DATADIR NAME [flat|sq8] [threads=2] [passes=1] [index_cache_dir]
"""
import json, os, sys, time
import numpy as np, faiss

def read_vecs(path):
    raw = np.fromfile(path, dtype=np.int32)
    return np.ascontiguousarray(raw.reshape(-1, raw[0] + 1)[:, 1:])

data, name = sys.argv[1], sys.argv[2]
kind = sys.argv[3] if len(sys.argv) > 3 else "flat"
threads = int(sys.argv[4]) if len(sys.argv) > 4 else 2
passes = int(sys.argv[5]) if len(sys.argv) > 5 else 1
cache = sys.argv[6] if len(sys.argv) > 6 else None
k = 10

angular = json.load(open(f"{data}/{name}.json"))["metric"] == "angular"
queries = read_vecs(f"{data}/{name}.query.fvecs").view(np.float32)
truth = read_vecs(f"{data}/{name}.groundtruth.ivecs")
metric = faiss.METRIC_INNER_PRODUCT if angular else faiss.METRIC_L2
path = f"{cache}/{name}-m16-efc200.faiss-{kind}" if cache else None

start = time.perf_counter()
if path and os.path.exists(path):
    index = faiss.read_index(path)
    timing = f"load_s={time.perf_counter() - start:.1f}"
else:
    base = read_vecs(f"{data}/{name}.base.fvecs").view(np.float32)
    d = base.shape[1]
    index = faiss.IndexHNSWFlat(d, 16, metric) if kind == "flat" else faiss.IndexHNSWSQ(d, faiss.ScalarQuantizer.QT_8bit, 16, metric)
    index.hnsw.efConstruction = 200
    faiss.omp_set_num_threads(threads)
    start = time.perf_counter()
    if kind != "flat":
        index.train(base)
    index.add(base)
    timing = f"build_s={time.perf_counter() - start:.1f}"
    del base
    if path:
        faiss.write_index(index, path)

faiss.omp_set_num_threads(1)
for ef in [10, 20, 40, 80, 160, 320]:
    index.hnsw.efSearch = max(ef, k)
    t = time.perf_counter()
    for _ in range(passes):
        found = index.search(queries, k)[1]
    elapsed = time.perf_counter() - t
    hits = sum(len(set(found[q]) & set(truth[q][:k])) for q in range(len(queries)))
    print(f"{name} faiss-hnsw-{kind} ef={ef} {timing} qps={len(queries) * passes / elapsed:.0f} recall={hits / (len(queries) * k):.4f}", flush=True)
