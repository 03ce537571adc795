#!/usr/bin/python3
"""Writes large synthetic embedding-like datasets for the engine-at-scale benchmarks, in the TEXMEX format
(.fvecs/.ivecs: each row an int32 dimension, then the values), plus NAME.json with the metric and sizes.

The generator is the one ../shared/bench/make_datasets.py uses for emb-384 (unit vectors clustered in a 64-d
subspace of the space, plus isotropic noise), with more clusters so a million vectors do not pile up in 200 tight
groups: by default 1,000,000 x 384 in 2,000 clusters, 1,000 queries from the same distribution, and the exact 100
nearest neighbours of every query by inner product (cosine on unit vectors), computed with FAISS's flat index.

Needs: apt-get install python3-numpy python3-faiss
Usage: make_scale_datasets.py OUTDIR [--base 1000000] [--dim 384] [--clusters 2000] [--queries 1000] [--seed 42]
Writes OUTDIR/emb-{dim}-{base/1000}k-angular.* (for example emb-384-1000k-angular.base.fvecs). Memory: about
2 x base x dim x 4 bytes at the peak (3 GB for the default, 12 GB for 1M x 1536). Disk: base x (dim + 1) x 4 bytes.
"""
import argparse, json, os, sys, time
import numpy as np

def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--base", type=int, default=1_000_000)
    p.add_argument("--dim", type=int, default=384)
    p.add_argument("--subspace", type=int, default=64)
    p.add_argument("--clusters", type=int, default=2000)
    p.add_argument("--queries", type=int, default=1000)
    p.add_argument("--k", type=int, default=100)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--chunk", type=int, default=100_000, help="vectors drawn and written per step")
    return p.parse_args()

def write_rows(f, a, dtype):
    a = np.ascontiguousarray(a, dtype=dtype)
    dim = np.full((a.shape[0], 1), a.shape[1], dtype=np.int32)
    np.hstack([dim.view(dtype) if dtype == np.float32 else dim, a]).tofile(f)

def main():
    args = parse()
    if args.base < 1 or args.queries < 1 or args.dim < args.subspace or args.k > args.base:
        sys.exit("need base >= 1, queries >= 1, dim >= subspace and k <= base")
    import faiss
    os.makedirs(args.out, exist_ok=True)
    name = f"emb-{args.dim}-{args.base // 1000}k-angular"
    rng = np.random.default_rng(args.seed)
    basis = np.linalg.qr(rng.standard_normal((args.dim, args.subspace)))[0].T.astype(np.float32)
    centers = rng.standard_normal((args.clusters, args.subspace)).astype(np.float32)

    def draw(m):
        z = centers[rng.integers(0, args.clusters, m)] + rng.standard_normal((m, args.subspace), dtype=np.float32) * 0.6
        v = z @ basis + rng.standard_normal((m, args.dim), dtype=np.float32) * 0.05
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    started = time.time()
    index = faiss.IndexFlatIP(args.dim)
    with open(f"{args.out}/{name}.base.fvecs", "wb") as f:
        for start in range(0, args.base, args.chunk):
            block = draw(min(args.chunk, args.base - start))
            write_rows(f, block, np.float32)
            index.add(block)
            print(f"  base {start + len(block):,} / {args.base:,} ({time.time() - started:.0f} s)", flush=True)
    queries = draw(args.queries)
    with open(f"{args.out}/{name}.query.fvecs", "wb") as f:
        write_rows(f, queries, np.float32)
    _, truth = index.search(queries, args.k)
    with open(f"{args.out}/{name}.groundtruth.ivecs", "wb") as f:
        write_rows(f, truth, np.int32)
    with open(f"{args.out}/{name}.json", "w") as f:
        json.dump({"metric": "angular", "base": args.base, "queries": args.queries, "dim": args.dim, "k": args.k,
                   "clusters": args.clusters, "subspace": args.subspace, "seed": args.seed}, f)
    print(f"{name}: {args.base:,} x {args.dim}, {args.queries:,} queries, top {args.k} exact, {time.time() - started:.0f} s", flush=True)

if __name__ == "__main__":
    main()
