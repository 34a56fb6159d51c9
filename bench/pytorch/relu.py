"""ReLU over 64 Ki and 4 Mi float32. torch.relu has no out= argument, so
the preallocated form is torch.clamp_min(x, 0, out=y) (same values, NaN
propagates in both); torch.relu(x), which allocates, is shown beside it.
GB/s counts 8 bytes per element (read + write)."""

import argparse
import statistics

import torch

import common


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=7)
    args = ap.parse_args()
    threads = common.set_threads(args.threads)
    common.header("relu", threads)
    torch.manual_seed(1)
    for n in [64 << 10, 4 << 20]:
        x = torch.randn(n)
        y = torch.empty(n)
        for name, fn in [("clamp_min_out", lambda: torch.clamp_min(x, 0, out=y)),
                         ("relu_alloc", lambda: torch.relu(x))]:
            s = common.per_call_seconds(fn, args.reps)
            gbs = 8 * n / statistics.median(s) / 1e9
            print(f"relu op={name} n={n} threads={threads} " + common.fmt_stats(s, "us", 1e6)
                  + f" median_GBps={gbs:.1f}", flush=True)


if __name__ == "__main__":
    main()
