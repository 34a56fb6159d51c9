"""The seed recipe: 784-256-10 MLP on real MNIST, nn.Linear layers, weights
N(0, 0.1), default bias init, SGD lr 0.01, batch 256, 15 epochs,
CrossEntropyLoss, shuffled. Two input pipelines:
  dataloader  torchvision.datasets.MNIST + ToTensor + DataLoader, the way the
              recipe is usually written (per-item PIL conversion each epoch)
  preloaded   the same images as one float tensor in memory, batches sliced
              from a random permutation each epoch
Training time excludes reading the dataset and the test evaluation."""

import argparse
import statistics
import time

import torch
import torch.nn as nn

import common


def build_model():
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    for m in model:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0, 0.1)  # bias keeps nn.Linear's default
    return model


def train_epoch_batches(model, opt, loss_fn, batches):
    for x, y in batches:
        opt.zero_grad()
        loss = loss_fn(model(x.view(x.shape[0], -1)), y)
        loss.backward()
        opt.step()
    return loss.item()


def run(args, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    # Data loading (not timed).
    if args.loader == "dataloader":
        import torchvision
        from torchvision import transforms

        root = common.torchvision_root(args.data, args.cache)
        train = torchvision.datasets.MNIST(root, train=True, download=False,
                                           transform=transforms.ToTensor())
        loader = torch.utils.data.DataLoader(train, batch_size=args.batch, shuffle=True,
                                             generator=gen)
        epoch_batches = lambda: loader
    else:
        xi, yi = common.load_mnist(args.data, train=True)
        X = torch.from_numpy(xi.reshape(len(xi), -1).astype("float32") / 255.0)
        Y = torch.from_numpy(yi.astype("int64"))

        def epoch_batches():
            perm = torch.randperm(len(X), generator=gen)
            for i in range(0, len(X), args.batch):
                idx = perm[i:i + args.batch]
                yield X[idx], Y[idx]

    xt, yt = common.load_mnist(args.data, train=False)
    Xt = torch.from_numpy(xt.reshape(len(xt), -1).astype("float32") / 255.0)
    Yt = torch.from_numpy(yt.astype("int64"))

    model = build_model()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    t0 = time.perf_counter()
    for _ in range(args.epochs):
        last = train_epoch_batches(model, opt, loss_fn, epoch_batches())
    train_s = time.perf_counter() - t0
    with torch.inference_mode():
        acc = (model(Xt).argmax(1) == Yt).float().mean().item()
    return train_s, acc, last


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", required=True, help="directory holding the four MNIST *.gz IDX files")
    ap.add_argument("--cache", default="/tmp/simdkern-bench-mnist",
                    help="where the uncompressed files for torchvision go")
    ap.add_argument("--loader", choices=["dataloader", "preloaded"], required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--reps", type=int, default=1, help="independent trainings (seeds 1..reps)")
    args = ap.parse_args()
    threads = common.set_threads(args.threads)
    common.header("train_mlp", threads)
    times, accs = [], []
    for seed in range(1, args.reps + 1):
        s, acc, loss = run(args, seed)
        times.append(s)
        accs.append(acc)
        print(f"train loader={args.loader} threads={threads} seed={seed} epochs={args.epochs} "
              f"train_s={s:.3f} test_acc={acc:.4f} last_batch_loss={loss:.4f}", flush=True)
    if args.reps > 1:
        print(f"train-summary loader={args.loader} threads={threads} "
              f"median_train_s={statistics.median(times):.3f} min_train_s={min(times):.3f} "
              f"max_train_s={max(times):.3f} median_test_acc={statistics.median(accs):.4f} n={args.reps}")


if __name__ == "__main__":
    main()
