"""A quick smoke run of the benchmark command, so that it cannot rot.

Timings are never asserted (they are machine noise here); what is asserted is
that every section runs and reports, and that the D2L comparison found the
same numbers (the benchmark asserts that itself before timing anything). The
quick run drives a small panel made by the benchmark, not the chapters: the
notebooks are executed once, by nbval.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_command_runs_and_reports(tmp_path):
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    assert "| figure | measured | goal | met |" in run.stdout
    results = json.loads(out.read_text())
    assert results["quick"] is True
    move = results["kernel"]["quick"]
    assert move["defaults"]["median_ms"] > 0 and move["corner"]["p95_ms"] > 0
    explorer = results["explorers"].get("quick")
    if explorer is not None:  # Chromium present
        from linreg_lib.controls import log_stops

        stops = len(log_stops(1e-3, 3, 6, include=[0.03]))  # what the quick panel has
        assert explorer["median_ms"] > 0 and explorer["frames"] == stops * 3 * 5
    assert set(results["d2l"]["speedup_vs_d2l"]) == {"numpy", "scan", "torch"}
    assert results["d2l"]["max_abs_difference"] < 2e-5
    assert results["epoch"]["ms"]["DataLoader"] > 0
    assert results["out_of_core"]["memmap_vs_memory"] > 0
