#!/usr/bin/env bash
# Runs a command under a hard memory cap in a fresh memory cgroup (v2 memory.max or v1 memory.limit_in_bytes; the
# page cache the command touches counts, as it does for a container's limit), then prints one line with the cap, the
# peak usage and how often the kernel had to reclaim to stay under it. Needs root, as a container runtime would.
#
#   tests/Theodore.Benchmarks/capped.sh BYTES command [args...]
#
# How run-scale.sh measures "half the memory": MEMORY_CAP=BYTES runs the quantized Theodore runs under it.
set -uo pipefail
limit="${1:?usage: capped.sh BYTES command [args...]}"
shift
name="theodore-capped-$$"
self="$(sed -n 's/^0::\(.*\)$/\1/p' /proc/self/cgroup)"
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  cg="/sys/fs/cgroup${self%/}/$name"
  mkdir "$cg" && echo "$limit" >"$cg/memory.max" || exit 2
  peak() { cat "$cg/memory.peak" 2>/dev/null || echo "?"; }
  reclaims() { sed -n 's/^max \(.*\)$/\1/p' "$cg/memory.events"; }
else
  v1="$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup)"
  cg="/sys/fs/cgroup/memory${v1%/}/$name"
  mkdir "$cg" && echo "$limit" >"$cg/memory.limit_in_bytes" || exit 2
  peak() { cat "$cg/memory.max_usage_in_bytes"; }
  reclaims() { cat "$cg/memory.failcnt"; }
fi
(echo "$BASHPID" >"$cg/cgroup.procs" && exec "$@")
rc=$?
echo "# memory cap ${limit} bytes: peak $(peak) bytes, cap reached $(reclaims) times, exit $rc"
echo "$$" >"$(dirname "$cg")/cgroup.procs" 2>/dev/null
rmdir "$cg" 2>/dev/null || true
exit $rc
