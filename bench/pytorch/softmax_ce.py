"""Softmax-cross-entropy forward + gradient w.r.t. the logits:
F.cross_entropy (mean reduction) then backward, for (rows × classes)
256×10 (the MLP's output layer) and 4096×1000."""

import argparse

import torch
import torch.nn.functional as F

import common


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=7)
    args = ap.parse_args()
    threads = common.set_threads(args.threads)
    common.header("softmax_ce", threads)
    torch.manual_seed(1)
    for rows, classes in [(256, 10), (4096, 1000)]:
        logits = torch.randn(rows, classes, requires_grad=True)
        labels = torch.randint(0, classes, (rows,))

        def step():
            logits.grad = None
            F.cross_entropy(logits, labels).backward()

        s = common.per_call_seconds(step, args.reps)
        print(f"softmax_ce rows={rows} classes={classes} threads={threads} "
              + common.fmt_stats(s, "us", 1e6), flush=True)


if __name__ == "__main__":
    main()
