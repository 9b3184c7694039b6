"""Benchmarks for the book and linreg_lib: `make bench` (or `python benchmarks/run.py`).

Prints one table (and, with ``--json PATH``, writes the same figures) for:

1. live panels, in the kernel: one move (``update`` plus recording the moving
   artists) of every chapter's panel, at its defaults and slowest corner;
2. the static explorers: input to painted frame in headless Chromium, with each
   explorer's frames, bytes and recording time;
3. live panels in JupyterLab: input to repainted frame through the kernel, for
   the Theory, SGD and Training panels;
4. Run All: each chapter executed top to bottom, as in a live session;
5. training speed on D2L's workload against a faithful copy of D2L's loop,
   the results asserted equal first;
6. one SGD epoch on 1,000,000 × 100 against a DataLoader and the one-pass
   floor, and the same epoch from a memory map with a cold cache.

Timings are as measured on this machine in this run, compared as ratios where
they are compared; they are never pass/fail. ``--quick`` is a smoke run: a
small panel made here instead of the chapters, small data, no JupyterLab.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
GOALS = {
    "kernel_defaults_ms": 100.0,  # a live move at the defaults, median
    "explorer_repaint_ms": 1000 / 60,  # input to painted frame in the book: one frame
    "numpy_vs_d2l": 20.0,  # the scan path, at least this many times D2L's loop
    "epoch_vs_floor": 2.0,  # at most this many one-pass floors
    "epoch_vs_dataloader": 10.0,  # at least this many times faster than a DataLoader
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument("--json", metavar="PATH", help="also write the figures here")
    parser.add_argument("--moves", type=int, default=25, help="moves per panel")
    args = parser.parse_args(argv)
    sys.path[:0] = [str(Path(__file__).parent), str(ROOT)]  # a script, from anywhere
    os.environ.pop("MPLBACKEND", None)
    import panels as bench_panels
    import training

    moves = 4 if args.quick else args.moves
    browser = bench_panels.browser.have_chromium()
    made = {}

    def kernel():
        chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
        found = {"quick": _small_panel()} if args.quick else {}
        for path in [] if args.quick else chapters:
            panels = bench_panels.chapter_panels(path)
            for k, panel in enumerate(panels):
                found[path.stem + (f"[{k}]" if len(panels) > 1 else "")] = panel
        made.update(found)
        return {
            name: bench_panels.kernel_latency(p, moves) for name, p in found.items()
        }

    steps = [
        ("kernel", kernel),
        ("explorers", lambda: bench_panels.explorer_repaint(made, moves) if browser
         else {"skipped": "no Chromium"}),
        ("lab", lambda: {"skipped": "--quick"} if args.quick or not browser
         else bench_panels.lab_repaint(ROOT, min(moves, 15))),
        ("run_all", lambda: {"skipped": "--quick"} if args.quick else bench_panels.run_all(
            ROOT, [p.stem for p in sorted((ROOT / "chapters").glob("*.ipynb"))])),
        ("d2l", lambda: training.d2l_training(5 if args.quick else 30)),
        ("epoch", lambda: training.large_epoch(20_000 if args.quick else 1_000_000)),
        ("out_of_core", lambda: training.out_of_core(20_000 if args.quick else 1_000_000)),
    ]  # fmt: skip
    results = {"machine": _machine(), "quick": args.quick, "goals": GOALS}
    for name, run in tqdm(steps, desc="benchmarks", unit="section", file=sys.stderr):
        start = time.perf_counter()
        results[name] = run()
        results[name + "_seconds"] = round(time.perf_counter() - start, 1)
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return results


def _small_panel():
    """The Training panel on D2L's data, made here: what --quick drives."""
    import linreg_lib
    from linreg_lib.controls import Slider, log_stops
    from linreg_lib.figures import TrainingFigure
    from linreg_lib.numpy_scratch import synthetic_data
    from linreg_lib.panels import Panel

    X, y = synthetic_data([2.0, -3.4], 4.2, 1000, seed=0)
    figure = TrainingFigure(X, y, [2.0, -3.4], 4.2, max_epochs=5)

    def update(lr, batch_size, num_epochs):
        h = linreg_lib.train_scan(X, y, lr=lr, batch_size=batch_size,
                                  num_epochs=num_epochs, seed=1, record_steps=True)  # fmt: skip
        return figure.update(h)

    controls = {
        "lr": Slider("learning rate", log_stops(1e-3, 3, 6, include=[0.03]), 0.03),
        "batch_size": Slider("batch size", [1, 10, 100], 10, fmt="d"),
        "num_epochs": Slider("epochs", [1, 2, 3, 4, 5], 3, fmt="d", prefix=True),
    }
    return Panel(figure.fig, update, controls, artists=figure.artists, name="quick")


def _machine():
    import torch

    return {"python": platform.python_version(), "numpy": np.__version__,
            "torch": torch.__version__, "cpus": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d")}  # fmt: skip


def table(r: dict) -> str:
    g, ok = r["goals"], {True: "yes", False: "**no**"}
    lines = [
        f"Benchmarks, {r['machine']['date']}, Python {r['machine']['python']}, "
        f"{r['machine']['cpus']} CPUs{' (quick smoke run)' if r['quick'] else ''}",
        "", "| figure | measured | goal | met |", "|---|---|---|---|",
    ]  # fmt: skip
    for name, p in r["kernel"].items():
        d, c = p["defaults"], p["corner"]
        met = ok[d["median_ms"] <= g["kernel_defaults_ms"]]
        lines.append(
            f"| live move in the kernel, `{name}`, defaults | median {d['median_ms']:.1f} ms, "
            f"p95 {d['p95_ms']:.1f} ms | ≤ {g['kernel_defaults_ms']:.0f} ms | {met} |"
        )
        lines.append(
            f"| same, slowest corner ({c['values']}) | median {c['median_ms']:.1f} ms | — | — |"
        )
    for name, e in r["explorers"].items():
        if name == "skipped":
            continue
        met = ok[e["median_ms"] <= g["explorer_repaint_ms"]]
        lines.append(
            f"| book explorer `{name}`: input to painted frame | median {e['median_ms']:.1f} ms, "
            f"p95 {e['p95_ms']:.1f} ms; drawing {e['work_median_ms']:.1f} ms "
            f"({e['frames']} frames, {e['html_bytes'] / 1e3:.0f} kB, "
            f"recorded in {e['record_s']} s) | ≤ {g['explorer_repaint_ms']:.1f} ms | {met} |"
        )
    for name, e in r["lab"].items():
        if name != "skipped" and "median_ms" in e:
            lines.append(
                f"| JupyterLab `{name}`: input to repainted frame, through the kernel "
                f"| median {e['median_ms']:.0f} ms, p95 {e['p95_ms']:.0f} ms | — | — |"
            )
    if "skipped" not in r["run_all"]:
        for name, s in r["run_all"].items():
            lines.append(f"| Run All `{name}` | {s:.1f} s | — | — |")
    t = r["d2l"]
    for backend, speedup in t["speedup_vs_d2l"].items():
        goal = f"≥ {g['numpy_vs_d2l']:.0f}×" if backend == "scan" else "—"
        met = ok[speedup >= g["numpy_vs_d2l"]] if backend == "scan" else "—"
        lines.append(
            f"| D2L workload: `{backend}` vs D2L's loop ({t['ms']['d2l']:.1f} ms) | "
            f"{speedup:.1f}× faster ({t['ms'][backend]:.2f} ms) | {goal} | {met} |"
        )
    e, o = r["epoch"], r["out_of_core"]
    shape = "×".join(map(str, e["shape"]))
    lines += [
        f"| epoch {shape}, batch {e['batch_size']} (block shuffle) vs one pass X@w "
        f"({e['ms']['floor X@w']:.0f} ms) | {e['batches_vs_floor']:.2f}× the floor | "
        f"≤ {g['epoch_vs_floor']:.0f}× | {ok[e['batches_vs_floor'] <= g['epoch_vs_floor']]} |",
        f"| same vs one pass on one core | {e['batches_vs_floor_1_thread']:.2f}× | — | — |",
        f"| same, example shuffle | {e['examples_vs_floor']:.2f}× the floor | — | — |",
        f"| same, the book's functions per batch | {e['book_vs_floor']:.2f}× the floor | — | — |",
        f"| same, DataLoader (default settings) vs linreg_lib | {e['dataloader_vs_batches']:.1f}× "
        f"slower | ≥ {g['epoch_vs_dataloader']:.0f}× | "
        f"{ok[e['dataloader_vs_batches'] >= g['epoch_vs_dataloader']]} |",
        f"| out of core: memmap (cold cache) vs in memory | {o['memmap_vs_memory']:.2f}× | — | — |",
    ]  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
