#!/usr/bin/python3
"""QPS/recall curves from benchmark logs in the peers' line format ("NAME ENGINE ef=E ... qps=Q recall=R").

Per engine: the median QPS and recall at each ef over the runs, and the QPS at recall 0.95 and 0.99 (interpolated
linearly between the two efs around the target, per run, then the median over runs, with every run's value).
A run is a sequence of lines of one engine with rising ef. When hnswlib-native ran too, each engine's line after
that gives its median QPS over hnswlib's at both recalls and the ratio of each run to hnswlib's run of the same
round (run-scale.sh alternates the engines, so run i of each is one round). Usage: curves.py LOG...
"""
import collections
import re
import statistics
import sys
runs = collections.defaultdict(list)  # engine -> list of runs (list of (ef,qps,recall))
cur = {}
for path in sys.argv[1:]:
    for line in open(path):
        m = re.match(r"(\S+) (\S+) ef=(\d+) .*qps=(\d+) recall=([\d.]+)", line)
        if not m: continue
        eng, ef, qps, rec = m.group(2), int(m.group(3)), float(m.group(4)), float(m.group(5))
        if eng not in cur or ef <= cur[eng][-1][0]:
            cur[eng] = []
            runs[eng].append(cur[eng])
        cur[eng].append((ef, qps, rec))
def at(points, target):
    pts = sorted(points)
    for (e1,q1,r1),(e2,q2,r2) in zip(pts, pts[1:]):
        if r1 < target <= r2:
            t = (target - r1) / (r2 - r1)
            return q1 + t * (q2 - q1)
    if pts and pts[0][2] >= target: return pts[0][1]
    return float('nan')
def show(values):
    finite = [v for v in values if v == v]
    if len(finite) < len(values):
        return f"never ({len(values) - len(finite)} of {len(values)} runs did not reach it)" if not finite else \
            f"{statistics.median(finite):.0f} of the runs that reached it {[round(v) for v in finite]}"
    return f"{statistics.median(values):.0f} {[round(v) for v in values]}"

def ratios(rs, base, target):
    ours, theirs = [at(r, target) for r in rs], [at(r, target) for r in base]
    if any(v != v for v in ours + theirs):
        return "-"
    rounds = ", ".join(f"{a / b:.2f}" for a, b in zip(ours, theirs))
    return f"{statistics.median(ours) / statistics.median(theirs):.2f}x [{rounds}]"

base = runs.get("hnswlib-native")
for eng, rs in sorted(runs.items()):
    efs = sorted({e for r in rs for e, _, _ in r})
    cells = []
    for e in efs:
        qs = [q for r in rs for ee, q, _ in r if ee == e]
        rc = [x for r in rs for ee, _, x in r if ee == e]
        cells.append(f"ef{e}:{statistics.median(qs):.0f}/{statistics.median(rc):.4f}")
    print(f"{eng:28s} n={len(rs)} qps@0.95={show([at(r, 0.95) for r in rs])} qps@0.99={show([at(r, 0.99) for r in rs])}")
    print("   ", " ".join(cells))
    if base and eng != "hnswlib-native":
        print(f"    vs hnswlib-native: 0.95 {ratios(rs, base, 0.95)}  0.99 {ratios(rs, base, 0.99)}")
