#!/usr/bin/env python3
"""Prints the summary tables of one bench/results/<date>/ directory written
by run.sh. Standard library only. Usage: summarize.py DIR"""

import glob
import os
import re
import statistics
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "."


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read().splitlines()


def kv(line):
    return dict(re.findall(r"(\w+)=(\S+)", line))


def table(title, header, rows):
    print(f"\n{title}")
    if not rows:
        print("  (no data)")
        return
    w = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    for r in [header] + rows:
        print("  " + "  ".join(str(c).rjust(w[i]) if i else str(c).ljust(w[i]) for i, c in enumerate(r)))


# ---- machine
mfile = os.path.join(out, "machine.txt")
if os.path.exists(mfile):
    print("machine:")
    for line in read(mfile):
        if not line.strip():
            break
        print("  " + line)

# ---- FMA peak
peak = {}  # (reg, threads) -> (best, median)
pfile = os.path.join(out, "peak.txt")
if os.path.exists(pfile):
    rows = []
    for line in read(pfile):
        m = re.match(r"(\w+)\s+threads=(\d+)\s+best\s+([\d.]+)\s+median\s+([\d.]+)\s+min\s+([\d.]+)\s+(\S+)", line)
        if m:
            reg, t, best, med, mn, unit = m.groups()
            if reg != "clock":
                peak[(reg, int(t))] = (float(best), float(med))
            rows.append([reg, t, best, med, mn, unit])
    table("FMA peak (peak/peak.c; best/median/min of the timed runs)",
          ["kind", "threads", "best", "median", "min", "unit"], rows)

# ---- GEMM: collect median and best GFLOP/s per (threads, shape, trans) per library
gemm = {}  # threads -> {(shape, trans): {lib: (median, best)}}
libs = {1: [], 2: []}


def add(lib, threads, shape, trans, med, best):
    gemm.setdefault(threads, {}).setdefault((shape, trans), {})[lib] = (med, best)
    if lib not in libs.setdefault(threads, []):
        libs[threads].append(lib)


for path in sorted(glob.glob(os.path.join(out, "go-simdkern-*.txt"))) + sorted(
        glob.glob(os.path.join(out, "go-peers.txt"))):
    variant = None
    vals = {}
    for line in read(path):
        if line.startswith("simdkern-variant:"):
            variant = line.split(":", 1)[1].strip()
        m = re.match(r"BenchmarkSgemm(?:Trans)?/([^/]+)/(\d+)/(?:([NT]{2})/)?(\d+x\d+x\d+)(?:-\d+)?\s+\d+\s+.*?([\d.]+) GFLOP/s", line)
        if m:
            vals.setdefault(m.group(1, 2, 3, 4), []).append(float(m.group(5)))
    for (lib, t, trans, shape), v in vals.items():
        name = f"{lib}-{variant}" if lib == "simdkern" and variant else lib
        add(name, int(t), shape, trans or "NN", statistics.median(v), max(v))

blas_names = {}
for path in sorted(glob.glob(os.path.join(out, "openblas-*-t*.txt"))):
    cfg = re.match(r"openblas-(.+)-t\d+\.txt", os.path.basename(path)).group(1)
    core = "?"
    for line in read(path):
        if line.startswith("openblas-corename:"):
            core = line.split(":", 1)[1].strip()
        if line.startswith("sgemm "):
            d = kv(line)
            shape = f"{d['M']}x{d['N']}x{d['K']}"
            lib = f"OB-{core}" if cfg == core else f"OB-{cfg}:{core}"
            blas_names[cfg] = lib
            add(lib, int(d["threads"]), shape, d["trans"], float(d["median_gflops"]), float(d["best_gflops"]))

order = ["256x256x784", "256x784x256", "784x256x256", "256x10x256", "1x256x784", "1x10x256",
         "512x512x512", "1024x1024x1024", "2048x2048x2048"]


def key(st):
    s, t = st
    return (order.index(s) if s in order else 99, s, {"NN": 0, "NT": 1, "TN": 2}.get(t, 3))


for t in sorted(gemm):
    cols = libs[t]
    rows = []
    for st in sorted(gemm[t], key=key):
        r = [f"{st[0]} {st[1]}"]
        for lib in cols:
            v = gemm[t][st].get(lib)
            r.append(f"{v[0]:.1f}" if v else "-")
        rows.append(r)
    table(f"SGEMM, {t} thread(s): median GFLOP/s (MxNxK trans; '-' = not run or skipped)",
          ["shape"] + cols, rows)
    pk = peak.get(("zmm", t))
    if pk:
        rows = []
        for st in sorted(gemm[t], key=key):
            if st[1] != "NN":
                continue
            r = [st[0]]
            for lib in cols:
                v = gemm[t][st].get(lib)
                r.append(f"{100 * v[1] / pk[0]:.0f}%" if v else "-")
            rows.append(r)
        table(f"SGEMM, {t} thread(s), no transpose: best as % of the measured zmm FMA peak "
              f"({pk[0]:.1f} GFLOP/s, {t} thread(s))", ["shape"] + cols, rows)
        over = [r for r in rows if any(c.endswith("%") and int(c[:-1]) > 100 for c in r[1:])]
        if over:
            print("  NOTE: figures above 100% mean the peak run was slowed by other load;"
                  " rerun `run.sh peak` on a quiet machine.")

# ---- one-image inference with OpenBLAS sgemv
rows = []
for path in sorted(glob.glob(os.path.join(out, "openblas-*-t*.txt"))):
    cfg = re.match(r"openblas-(.+)-t\d+\.txt", os.path.basename(path)).group(1)
    for line in read(path):
        if line.startswith("infer1 "):
            d = kv(line)
            rows.append([blas_names.get(cfg, cfg), d["threads"], d["median_us"], d["best_us"], d["worst_us"]])
table("784-256-10 one-image inference, OpenBLAS sgemv -> ReLU -> sgemv (µs per image)",
      ["kernel", "threads", "median", "best", "worst"], rows)

# ---- PyTorch
train, other = {}, []
for path in sorted(glob.glob(os.path.join(out, "torch-*-t*.txt"))):
    cfg = re.match(r"torch-(.+)-t\d+\.txt", os.path.basename(path)).group(1)
    core = "?"
    for line in read(path):
        m = re.search(r"OpenBLAS core (\S+),", line)
        if m:
            core = m.group(1)
        label = core if cfg == core else f"{cfg}:{core}"
        d = kv(line)
        if line.startswith("train "):
            train.setdefault((label, d["loader"], d["threads"]), []).append(
                (float(d["train_s"]), float(d["test_acc"])))
        elif line.startswith(("infer ", "softmax_ce ", "relu ")):
            what = line.split()[0]
            params = " ".join(f"{k}={d[k]}" for k in ("batch", "rows", "classes", "op", "n") if k in d)
            stats = " ".join(f"{k}={d[k]}" for k in ("median", "min", "max", "reps", "median_GBps") if k in d)
            other.append([label if what == "infer" else "-", d["threads"], what, params, stats])
rows = []
for (label, loader, t), v in sorted(train.items()):
    s = [x[0] for x in v]
    a = [x[1] for x in v]
    rows.append([label, loader, t, f"{statistics.median(s):.2f}", f"{min(s):.2f}", f"{max(s):.2f}",
                 f"{statistics.median(a):.4f}", len(v)])
table("PyTorch seed recipe, 15 epochs: training seconds (excl. data load) and test accuracy",
      ["blas", "loader", "threads", "median_s", "min_s", "max_s", "test_acc", "runs"], rows)
table("PyTorch micro-benchmarks (median of repetitions, min-max)",
      ["blas", "threads", "bench", "params", "time"], other)
