"""Benchmarks for the book and linreg_lib: `make bench` (or `python benchmarks/run.py`).

Prints one table (and, with ``--json PATH``, writes the same figures) for:

1. panel latency: every chapter's panel driven programmatically, at its default
   values and at the slowest corner of its control ranges (median and p95);
2. training speed on D2L's workload: linreg_lib's paths vs a faithful copy of
   the D2L loop, with the results asserted equal;
3. one SGD epoch on 1,000,000 × 100, batch 256: linreg_lib's iterator vs
   ``torch.utils.data.DataLoader`` vs the floor of one pass ``X @ w``;
4. out-of-core: the same epoch streamed from a memory-mapped .npy, cold cache;
5. notebook execution: wall time of each chapter under nbval.

Timings are reported as measured on this machine in this run, and compared as
ratios; they are never pass/fail. ``--quick`` shrinks everything to a smoke run.
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
    "panel_defaults_ms": 100.0,  # median, at D2L's defaults
    "panel_corner_ms": 300.0,  # median, at the slowest corner
    "numpy_vs_d2l": 20.0,  # at least this many times faster
    "epoch_vs_floor": 2.0,  # at most this many one-pass floors
    "epoch_vs_dataloader": 10.0,  # at least this many times faster
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument("--json", metavar="PATH", help="also write the figures here")
    parser.add_argument("--moves", type=int, default=25, help="slider moves per case")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).parent))  # run as a script from anywhere
    import sections

    moves = 3 if args.quick else args.moves
    steps = [
        ("panels", lambda: sections.panel_latency(ROOT, moves, args.quick)),
        ("d2l", lambda: sections.d2l_training(5 if args.quick else 30)),
        ("epoch", lambda: sections.large_epoch(20_000 if args.quick else 1_000_000)),
        ("out_of_core", lambda: sections.out_of_core(20_000 if args.quick else 1_000_000)),
        ("notebooks", lambda: sections.notebook_times(ROOT, args.quick)),
    ]  # fmt: skip
    results = {"machine": _machine(), "quick": args.quick, "goals": GOALS}
    for name, run in tqdm(steps, desc="benchmarks", unit="section", file=sys.stderr):
        start = time.perf_counter()
        results[name] = run()
        results[name]["seconds"] = round(time.perf_counter() - start, 2)
    print(sections.table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return results


def _machine():
    import torch

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__,
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d"),
    }


if __name__ == "__main__":
    main()
