"""Helpers shared by the PyTorch benchmark scripts: real MNIST from the
gzipped IDX files, thread setup and repetition statistics."""

import gzip
import hashlib
import os
import statistics
import struct
import time

import numpy as np
import torch

# SHA-256 of the canonical gzipped IDX files (see GUIDE.md §4).
MNIST_SHA256 = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}


def verify_gz(gz_dir):
    for name, want in MNIST_SHA256.items():
        with open(os.path.join(gz_dir, name), "rb") as f:
            got = hashlib.sha256(f.read()).hexdigest()
        if got != want:
            raise SystemExit(f"{name}: sha256 {got}, want {want}")


def read_idx(path):
    """Returns the IDX array (uint8) in a gzipped file."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise SystemExit(f"{path}: {arr.size} bytes of data, header says {dims}")
    return arr.reshape(dims)


def load_mnist(gz_dir, train):
    """(images uint8 N×28×28, labels uint8 N) after checking the checksums."""
    verify_gz(gz_dir)
    p = "train" if train else "t10k"
    x = read_idx(os.path.join(gz_dir, f"{p}-images-idx3-ubyte.gz"))
    y = read_idx(os.path.join(gz_dir, f"{p}-labels-idx1-ubyte.gz"))
    return x, y


def torchvision_root(gz_dir, root):
    """Lays out root/MNIST/raw/ as torchvision.datasets.MNIST expects it
    (uncompressed IDX files; it never downloads when they are present)."""
    verify_gz(gz_dir)
    raw = os.path.join(root, "MNIST", "raw")
    os.makedirs(raw, exist_ok=True)
    for name in MNIST_SHA256:
        out = os.path.join(raw, name[:-3])
        if not os.path.exists(out):
            with gzip.open(os.path.join(gz_dir, name), "rb") as f, open(out + ".tmp", "wb") as g:
                g.write(f.read())
            os.replace(out + ".tmp", out)
    return root


def set_threads(n):
    torch.set_num_threads(n)
    return torch.get_num_threads()


def cpu_capability():
    """ATen's vectorised-kernel level, from the build configuration text."""
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage" in line:
            return line.split(":", 1)[1].strip()
    return "?"


def openblas_core():
    """The OpenBLAS kernel torch's BLAS calls land in (Debian links torch
    to libblas.so.3, normally OpenBLAS): OPENBLAS_CORETYPE changes it."""
    import ctypes

    try:
        lib = ctypes.CDLL("libopenblas.so.0")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib.openblas_get_corename().decode()
    except (OSError, AttributeError):
        return "not-openblas"


def header(script, threads):
    print(f"# {script}: torch {torch.__version__}, threads {threads}, "
          f"ATen capability {cpu_capability()}, OpenBLAS core {openblas_core()}, "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}", flush=True)


def per_call_seconds(fn, reps, min_seconds=0.2):
    """Runs fn in reps timed runs, each of enough calls to last min_seconds;
    returns the seconds per call of each run (sorted)."""
    fn()
    n = 1
    while True:  # calibrate the calls per run
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        t = time.perf_counter() - t0
        if t >= min_seconds / 4:
            break
        n *= 4
    n = max(1, int(n * min_seconds / max(t, 1e-9)))
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        out.append((time.perf_counter() - t0) / n)
    return sorted(out)


def fmt_stats(values, unit, scale):
    """'median=M min=A max=B reps=R' for seconds scaled to unit."""
    v = [x * scale for x in values]

    def f(x):  # 4 significant digits, never in exponent form
        return f"{x:.0f}" if x >= 1000 else f"{x:.4g}"

    return (f"median={f(statistics.median(v))}{unit} min={f(min(v))}{unit} "
            f"max={f(max(v))}{unit} reps={len(v)}")
