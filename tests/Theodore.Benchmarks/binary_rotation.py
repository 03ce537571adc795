#!/usr/bin/python3
"""Would a random rotation (RaBitQ's first step), centring on the data's mean or centring each row on its nearest
k-means centroid (RaBitQ's IVF residuals) help Theodore's 1-bit codes rank?

Codes as the engine makes them (ADR 0021): one bit per component, set above the vector's mean; two levels, the means
of each side; the square root of the along-the-vector correction. The query stays in floats here (the engine keeps
it 8-bit). Prints, per variant, the share of the exact top-10 found among the top 10 / 40 / 160 by the estimate,
over the first 200 queries: the ranking the binary walk works with. Takes about six minutes at 100k x 384
(the k-means runs use Debian's python3-faiss).

Usage: binary_rotation.py [DATADIR=/work/datasets] [NAME=emb-384-angular]
"""
import sys
import numpy as np, faiss

data = sys.argv[1] if len(sys.argv) > 1 else "/work/datasets"
name = sys.argv[2] if len(sys.argv) > 2 else "emb-384-angular"

def read(path):
    raw = np.fromfile(path, dtype=np.int32)
    return np.ascontiguousarray(raw.reshape(-1, raw[0] + 1)[:, 1:]).view(np.float32)

X = read(f"{data}/{name}.base.fvecs")
Q = read(f"{data}/{name}.query.fvecs")[:200]
X = X / np.linalg.norm(X, axis=1, keepdims=True)
Q = Q / np.linalg.norm(Q, axis=1, keepdims=True)
d = X.shape[1]
truth = np.argsort(-(Q @ X.T), axis=1)[:, :10]

def reconstruct(Y, centre):
    Y = Y - centre
    bits = Y > Y.mean(axis=1, keepdims=True)
    high = np.nanmean(np.where(bits, Y, np.nan), axis=1, keepdims=True)
    low = np.nanmean(np.where(bits, np.nan, Y), axis=1, keepdims=True)
    R = np.where(bits, high, low)
    return R * np.sqrt((Y * Y).sum(1, keepdims=True) / (R * Y).sum(1, keepdims=True))

def tops(estimate):
    """The share of the exact top-10 among the estimate's best 10 / 40 / 160."""
    result = []
    for top in (10, 40, 160):
        best = np.argsort(-estimate, axis=1)[:, :top]
        result.append(np.mean([len(set(truth[i]) & set(best[i])) / 10 for i in range(len(Q))]))
    return " ".join(f"top{t}={r:.3f}" for t, r in zip((10, 40, 160), result))

def found(Y, Qr, centre):
    # q . x = q . (x - c) + q . c, and q . c is the same for every row, so the ranking is q . R alone.
    return tops(Qr @ reconstruct(Y, centre).T)

rotation = np.linalg.qr(np.random.default_rng(1).standard_normal((d, d)))[0].astype(np.float32)
zero, mean = np.zeros((1, d), np.float32), X.mean(axis=0, keepdims=True)
print(f"{name} plain            {found(X, Q, zero)}")
print(f"{name} rotated          {found(X @ rotation, Q @ rotation, zero)}")
print(f"{name} centred          {found(X, Q, mean)}")
print(f"{name} centred, rotated {found(X @ rotation, Q @ rotation, mean @ rotation)}")

# Each row coded as its residual from its nearest of k centroids: q . x = q . c + q . (x - c), with q . c exact.
for k in (256, 1024):
    kmeans = faiss.Kmeans(d, k, niter=10, seed=1)
    kmeans.train(X)
    assign = kmeans.index.search(X, 1)[1][:, 0]
    C = kmeans.centroids
    print(f"{name} centred on k-means, k={k}: {tops(Q @ reconstruct(X, C[assign]).T + (Q @ C.T)[:, assign])}")
