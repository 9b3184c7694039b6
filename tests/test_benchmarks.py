"""A quick smoke run of the benchmark command, so that it cannot rot.

Timings are never asserted (they are machine noise here); what is asserted is
that every section runs and reports, and that the D2L comparison found the
same numbers (the benchmark itself asserts that before timing anything).
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_command_runs_and_reports(tmp_path):
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "| figure | measured | goal | met |" in run.stdout
    results = json.loads(out.read_text())
    assert results["quick"] is True
    panel = results["panels"]["panels"]["07_training"]
    assert panel["defaults"]["median_ms"] > 0 and panel["corner"]["p95_ms"] > 0
    assert set(results["d2l"]["speedup_vs_d2l"]) == {"numpy", "scan", "torch"}
    assert results["d2l"]["max_abs_difference"] < 2e-5
    assert results["epoch"]["ms"]["DataLoader"] > 0
    assert results["out_of_core"]["memmap_vs_memory"] > 0
