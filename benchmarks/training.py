"""How fast the library trains: D2L's workload, a large epoch, a memory-mapped one."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm


def _median_p95(seconds):
    ms = np.asarray(seconds) * 1e3
    return {"median_ms": float(np.median(ms)), "p95_ms": float(np.percentile(ms, 95))}


def _best(fn, repeat):
    """Fastest of ``repeat`` runs, in seconds (the least disturbed by the machine)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


# Training speed on D2L's workload -----------------------------------------


def d2l_training(repeat: int) -> dict:
    """linreg_lib's paths vs a faithful D2L loop on the same data and batches."""
    import d2l_reference as d2l
    import torch

    import linreg_lib

    torch.set_num_threads(1)  # tiny tensors: threads only add overhead
    g = torch.Generator().manual_seed(0)
    features, labels = linreg_lib.synthetic_data(torch.tensor([2, -3.4]), 4.2, 1000,
                                                 seed=0)  # fmt: skip
    w_init = torch.normal(0, 0.01, (2, 1), generator=g)
    X, y = features.double().numpy(), labels.double().numpy()
    # train with w0 given draws only the shuffles: replay them in D2L's loop
    rng = np.random.default_rng(1)
    orders = [rng.permutation(1000).tolist() for _ in range(3)]

    def run_d2l(orders=None):
        d2l.random.seed(1)  # data_iter shuffles with the global random module
        w = w_init.clone().requires_grad_(True)
        b = torch.zeros(1, requires_grad=True)
        return d2l.train(features, labels, w, b, orders=orders)

    paths = {
        "numpy": lambda: linreg_lib.train(X, y, w0=w_init.numpy().ravel(), seed=1),
        "scan": lambda: linreg_lib.train_scan(X, y, w0=w_init.numpy().ravel(), seed=1),
        "torch": lambda: linreg_lib.train(X, y, w0=w_init.numpy().ravel(), seed=1,
                                          backend="torch"),
    }  # fmt: skip
    w, b = run_d2l(orders)
    reference = np.append(w.detach().numpy().ravel(), b.item())
    times = {"d2l": _best(run_d2l, repeat)}
    for backend, run_lib in paths.items():
        h = run_lib()
        got = np.append(h.w[-1], h.b[-1])
        # same batches, same start: equal up to D2L's float32 arithmetic
        np.testing.assert_allclose(got, reference, rtol=0, atol=2e-5)
        times[backend] = _best(run_lib, repeat)
    return {
        "ms": {k: v * 1e3 for k, v in times.items()},
        "speedup_vs_d2l": {k: times["d2l"] / v for k, v in times.items() if k != "d2l"},
        "max_abs_difference": float(np.abs(got - reference).max()),
    }


# One epoch on a large data set -------------------------------------


def _epoch(X, y, batch_size, shuffle, seed=0, lr=1e-3):
    """One SGD epoch with linreg_lib's large-data path, ``streaming.sgd_epoch``."""
    from linreg_lib.streaming import sgd_epoch

    w = np.zeros(X.shape[1], X.dtype)
    return sgd_epoch(X, y, w, 0.0, lr=lr, batch_size=batch_size, seed=seed,
                     shuffle=shuffle)  # fmt: skip


def _book_epoch(X, y, batch_size, seed=0, lr=1e-3):
    """The same epoch written with the book's functions, one call each per batch."""
    from linreg_lib.iterators import minibatches
    from linreg_lib.numpy_scratch import sgd, summed_loss_grad

    w, b = np.zeros(X.shape[1], X.dtype), np.zeros(1, X.dtype)
    for X_batch, y_batch in minibatches(batch_size, X, y, seed=seed, shuffle="batches"):
        sgd([w, b], summed_loss_grad(X_batch, y_batch, w, b), lr, len(y_batch))


def _data(n, d=100, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d), dtype=np.float32)
    y = X @ rng.standard_normal(d, dtype=np.float32) + 1.0
    return X, y


def large_epoch(n: int, batch_size: int = 256) -> dict:
    """linreg_lib vs DataLoader vs one pass of ``X @ w``, one epoch each."""
    import torch
    from threadpoolctl import threadpool_limits
    from torch.utils.data import DataLoader, TensorDataset

    X, y = _data(n)
    w = np.zeros(X.shape[1], np.float32)
    floor = _best(lambda: X @ w, 5)
    with threadpool_limits(1):  # SGD's small products run on one core anyway
        floor_1 = _best(lambda: X @ w, 5)
    blocks = _best(lambda: _epoch(X, y, batch_size, "batches"), 3)
    examples = _best(lambda: _epoch(X, y, batch_size, "examples"), 3)
    book = _best(lambda: _book_epoch(X, y, batch_size), 2)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    loader = DataLoader(TensorDataset(Xt, yt), batch_size=batch_size, shuffle=True)

    def torch_epoch(lr=1e-3):
        wt, bt = torch.zeros(X.shape[1]), torch.zeros(1)
        for X_batch, y_batch in tqdm(loader, desc="DataLoader", leave=False,
                                     file=sys.stderr):  # fmt: skip
            r = X_batch @ wt + bt - y_batch
            wt -= lr * (X_batch.T @ r) / len(y_batch)
            bt -= lr * r.sum() / len(y_batch)

    dataloader = _best(torch_epoch, 1)
    return {
        "shape": [n, X.shape[1]], "batch_size": batch_size,
        "ms": {"floor X@w": floor * 1e3, "floor X@w, 1 thread": floor_1 * 1e3,
               "linreg_lib batches": blocks * 1e3, "linreg_lib examples": examples * 1e3,
               "book functions": book * 1e3, "DataLoader": dataloader * 1e3},
        "batches_vs_floor": blocks / floor, "batches_vs_floor_1_thread": blocks / floor_1,
        "examples_vs_floor": examples / floor, "book_vs_floor": book / floor,
        "dataloader_vs_batches": dataloader / blocks,
    }  # fmt: skip


def out_of_core(n: int, batch_size: int = 256) -> dict:
    """The same epoch from a memory-mapped .npy on disk (page cache dropped)."""
    from linreg_lib.iterators import load_memmap, save_dataset

    X, y = _data(n)
    in_memory = _best(lambda: _epoch(X, y, batch_size, "batches"), 2)
    with tempfile.TemporaryDirectory() as tmp:
        directory = save_dataset(tmp, X, y)
        cold = []
        for _ in range(2):
            _drop_page_cache(Path(directory))
            Xm, ym = load_memmap(directory)
            start = time.perf_counter()
            _epoch(Xm, ym, batch_size, "batches")
            cold.append(time.perf_counter() - start)
            del Xm, ym
    return {
        "shape": [n, 100], "ms": {"in memory": in_memory * 1e3, "memmap": min(cold) * 1e3},
        "memmap_vs_memory": min(cold) / in_memory,
    }  # fmt: skip


def _drop_page_cache(directory: Path) -> None:
    """Ask the kernel to forget the files' cached pages, so the reads hit disk."""
    for path in directory.glob("*.npy"):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
