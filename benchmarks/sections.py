"""The five benchmark sections and the table they print (see run.py)."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import subprocess
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


# 1. Panel latency ------------------------------------------------------------


def panel_latency(root: Path, moves: int, quick: bool) -> dict:
    """Run each chapter in-process, then drive every Panel it made."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    from IPython.core.interactiveshell import InteractiveShell

    from linreg_lib.panels import Panel

    chapters = sorted((root / "chapters").glob("*.ipynb"))
    if quick:
        chapters = [c for c in chapters if c.name.startswith("07")]
    rows = {}
    made = []  # every panel a chapter makes: the benchmark wraps the constructor
    original_init = Panel.__init__

    def recording_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        made.append(self)

    Panel.__init__ = recording_init
    try:
        for path in tqdm(chapters, desc="panels", leave=False, file=sys.stderr):
            made.clear()
            _execute_in_process(path, InteractiveShell.instance())
            for k, panel in enumerate(made):
                name = path.stem + (f"[{k}]" if len(made) > 1 else "")
                rows[name] = _drive(panel, moves)
    finally:
        Panel.__init__ = original_init
    return {"panels": rows}


def _execute_in_process(path: Path, shell) -> None:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in nb.cells:
                if cell.cell_type == "code":
                    result = shell.run_cell(cell.source, silent=True)
                    result.raise_error()
    finally:
        os.chdir(cwd)


def _drive(panel, moves: int) -> dict:
    """Latency of one move at the defaults, and at every corner of the ranges."""
    defaults = panel.values

    def timed(values):
        panel.set(**values)
        seconds = []
        for _ in range(moves):
            start = time.perf_counter()
            panel.refresh()  # exactly what one slider move runs
            seconds.append(time.perf_counter() - start)
        return seconds

    at_defaults = timed(defaults)
    corners = {}
    extremes = {name: _extremes(control) for name, control in panel.controls.items()}
    for combo in itertools.product(*extremes.values()):
        values = dict(zip(extremes, combo, strict=True))
        label = ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                          for k, v in values.items())  # fmt: skip
        corners[label] = timed(values)
    slowest = max(corners, key=lambda k: np.median(corners[k]))
    panel.set(**defaults)
    return {
        "defaults": _median_p95(at_defaults),
        "corner": {**_median_p95(corners[slowest]), "values": slowest},
    }


def _extremes(control):
    if hasattr(control, "options"):  # Dropdown, ToggleButtons, ...
        values = [v[1] if isinstance(v, tuple) else v for v in control.options]
        return [values[0], values[-1]]
    if hasattr(control, "base"):  # FloatLogSlider: min/max are exponents
        return [control.base**control.min, control.base**control.max]
    if hasattr(control, "min"):
        return [control.min, control.max]
    return [control.value]


# 2. Training speed on D2L's workload -----------------------------------------


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


# 3. and 4. One epoch on a large data set -------------------------------------


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


# 5. Notebook execution ---------------------------------------------------------


def notebook_times(root: Path, quick: bool) -> dict:
    """Wall time of each chapter under nbval strict, as the test command runs it."""
    chapters = sorted((root / "chapters").glob("*.ipynb"))
    if quick:
        return {"skipped": "--quick"}
    times = {}
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # inline plots
    for path in tqdm(chapters, desc="notebooks", leave=False, file=sys.stderr):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path),
             "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
             str(root / "tests" / "nbval_sanitize.cfg")],
            cwd=root, check=True, capture_output=True, env=env,
        )  # fmt: skip
        times[path.stem] = time.perf_counter() - start
    return {"seconds_per_notebook": times, "total_seconds": sum(times.values())}


# The table --------------------------------------------------------------------


def table(r: dict) -> str:
    g = r["goals"]
    ok = {True: "yes", False: "**no**"}
    lines = [
        f"Benchmarks, {r['machine']['date']}, Python {r['machine']['python']}, "
        f"{r['machine']['cpus']} CPUs{' (quick smoke run)' if r['quick'] else ''}",
        "",
        "| figure | measured | goal | met |",
        "|---|---|---|---|",
    ]
    for name, p in r["panels"]["panels"].items():
        d, c = p["defaults"], p["corner"]
        lines.append(
            f"| panel `{name}` at defaults | median {d['median_ms']:.1f} ms, "
            f"p95 {d['p95_ms']:.1f} ms | ≤ {g['panel_defaults_ms']:.0f} ms | "
            f"{ok[d['median_ms'] <= g['panel_defaults_ms']]} |"
        )
        lines.append(
            f"| panel `{name}` slowest corner ({c['values']}) | median "
            f"{c['median_ms']:.1f} ms, p95 {c['p95_ms']:.1f} ms | "
            f"≤ {g['panel_corner_ms']:.0f} ms | {ok[c['median_ms'] <= g['panel_corner_ms']]} |"
        )
    t = r["d2l"]
    for backend, speedup in t["speedup_vs_d2l"].items():
        # the goal is for the fast NumPy path; the loop is the readable reference
        goal = f"≥ {g['numpy_vs_d2l']:.0f}×" if backend == "scan" else "—"
        met = ok[speedup >= g["numpy_vs_d2l"]] if backend == "scan" else "—"
        lines.append(
            f"| D2L workload: linreg_lib `{backend}` vs D2L loop ({t['ms']['d2l']:.1f} ms)"
            f" | {speedup:.1f}× faster ({t['ms'][backend]:.2f} ms) | {goal} | {met} |"
        )
    e = r["epoch"]
    shape = "×".join(map(str, e["shape"]))
    lines += [
        f"| epoch {shape}, batch {e['batch_size']}: linreg_lib (block shuffle) vs one "
        f"pass X@w ({e['ms']['floor X@w']:.0f} ms) | {e['batches_vs_floor']:.2f}× the floor"
        f" | ≤ {g['epoch_vs_floor']:.0f}× | {ok[e['batches_vs_floor'] <= g['epoch_vs_floor']]} |",
        f"| same vs one pass on one core ({e['ms']['floor X@w, 1 thread']:.0f} ms) | "
        f"{e['batches_vs_floor_1_thread']:.2f}× | — | — |",
        f"| same, linreg_lib (example shuffle) vs floor | {e['examples_vs_floor']:.2f}× "
        "the floor | — | — |",
        f"| same, the book's functions per batch vs floor | {e['book_vs_floor']:.2f}× "
        "the floor | — | — |",
        f"| same, DataLoader (default settings) vs linreg_lib | "
        f"{e['dataloader_vs_batches']:.1f}× slower ({e['ms']['DataLoader']:.0f} ms) | "
        f"≥ {g['epoch_vs_dataloader']:.0f}× | "
        f"{ok[e['dataloader_vs_batches'] >= g['epoch_vs_dataloader']]} |",
    ]
    o = r["out_of_core"]
    lines.append(
        f"| out-of-core: memmap (cold cache) vs in memory | "
        f"{o['memmap_vs_memory']:.2f}× ({o['ms']['memmap']:.0f} vs "
        f"{o['ms']['in memory']:.0f} ms) | — | — |"
    )
    nb = r["notebooks"]
    if "seconds_per_notebook" in nb:
        for name, s in nb["seconds_per_notebook"].items():
            lines.append(f"| notebook `{name}` under nbval | {s:.1f} s | — | — |")
        lines.append(
            f"| all notebooks under nbval | {nb['total_seconds']:.1f} s | — | — |"
        )
    return "\n".join(lines)
