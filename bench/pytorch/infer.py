"""Inference latency of a 784-256-10 MLP (logits, no argmax) under
torch.inference_mode: one image at a time (each call timed on its own,
median over many calls, per repetition) and the whole 10,000-image test set
in one forward pass. Weights are N(0, 0.1) as in the training recipe:
timings do not depend on their values."""

import argparse
import statistics
import time

import torch

import common
from train_mlp import build_model


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--calls", type=int, default=5000, help="single-image calls per repetition")
    args = ap.parse_args()
    threads = common.set_threads(args.threads)
    common.header("infer", threads)
    torch.manual_seed(1)
    model = build_model().eval()
    xt, _ = common.load_mnist(args.data, train=False)
    X = torch.from_numpy(xt.reshape(len(xt), -1).astype("float32") / 255.0)
    singles = [X[i:i + 1].clone() for i in range(1000)]
    with torch.inference_mode():
        for x in singles[:200]:  # warm up
            model(x)
        med = []
        for _ in range(args.reps):
            ts = []
            for i in range(args.calls):
                x = singles[i % len(singles)]
                t0 = time.perf_counter_ns()
                model(x)
                ts.append(time.perf_counter_ns() - t0)
            med.append(statistics.median(ts) * 1e-9)
        print(f"infer batch=1 threads={threads} calls_per_rep={args.calls} "
              + common.fmt_stats(med, "us", 1e6), flush=True)
        full = common.per_call_seconds(lambda: model(X), args.reps)
        print(f"infer batch={len(X)} threads={threads} " + common.fmt_stats(full, "ms", 1e3), flush=True)


if __name__ == "__main__":
    main()
