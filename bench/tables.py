#!/usr/bin/env python3
"""Prints the SGEMM tables of BENCHMARKS.md (Markdown, GFLOP/s as
"median (min–max)", one and two threads) from a bench/run.sh results
directory:

    python3 bench/tables.py bench/results/<dir>
"""
import collections
import glob
import re
import statistics
import sys

results = sys.argv[1]
rates = collections.defaultdict(list)  # (library, threads, "MxNxK op") -> GFLOP/s


def read_go(path, variant):
    """Go benchmark lines; variant names simdkern's rows, else the peer's."""
    pat = re.compile(r"BenchmarkSgemm(Trans)?/(\w+)/(\d)/(?:(NT|TN)/)?(\d+x\d+x\d+)-\d+\s+\d+\s+\S+ ns/op\s+([\d.]+) GFLOP/s")
    for line in open(path):
        m = pat.match(line)
        if m:
            lib = variant or m.group(2)
            rates[(lib, int(m.group(3)), m.group(5) + " " + (m.group(4) or "NN"))].append(float(m.group(6)))


for variant in ("avx512", "avx2", "generic"):
    read_go(f"{results}/go-simdkern-{variant}.txt", variant)
read_go(f"{results}/go-peers.txt", None)

# OpenBLAS lines give worst, median and best; kept in that order.
ob = re.compile(r"sgemm threads=(\d+) trans=(\w+) M=(\d+) N=(\d+) K=(\d+) best_gflops=([\d.]+) median_gflops=([\d.]+) worst_gflops=([\d.]+)")
for path in glob.glob(f"{results}/openblas-*-t*.txt"):
    kernel = re.search(r"openblas-(\w+)-t\d", path).group(1)
    for line in open(path):
        m = ob.match(line)
        if m:
            shape = f"{m.group(3)}x{m.group(4)}x{m.group(5)} {m.group(2)}"
            rates[("OB-" + kernel, int(m.group(1)), shape)] = [float(m.group(8)), float(m.group(7)), float(m.group(6))]


def cell(lib, values):
    if lib.startswith("OB-"):
        lo, med, hi = values
    else:
        lo, med, hi = min(values), statistics.median(values), max(values)
    f = "%.1f" if hi < 10 else "%.0f"
    return ("%.1f (" + f + "–" + f + ")") % (med, lo, hi)


libs = ["avx512", "avx2", "generic", "gonum", "vek", "OB-SkylakeX", "OB-Haswell", "OB-asis"]
order = ["256x256x784", "256x784x256", "784x256x256", "256x10x256", "1x256x784", "1x10x256",
         "512x512x512", "1024x1024x1024", "2048x2048x2048"]
shapes = sorted({s for (_, _, s) in rates},
                key=lambda s: (order.index(s.split()[0]) if s.split()[0] in order else len(order),
                               ["NN", "NT", "TN"].index(s.split()[1])))
for threads in (1, 2):
    print("\n| (M,N,K) op | " + " | ".join(libs) + " |")
    print("|" + "---|" * (len(libs) + 1))
    for s in shapes:
        row = [cell(lib, rates[(lib, threads, s)]) if rates.get((lib, threads, s)) else "–" for lib in libs]
        print("| %s | %s |" % (s, " | ".join(row)))
