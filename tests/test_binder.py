"""Binder's environment stays true to the book's: generated from it, and it runs.

``binder/requirements.txt`` is generated from the root ``requirements.txt``
(``make binder``); the first test fails on any drift. The second makes the
environment Binder would make, in a throwaway venv (Python 3.11, binder's
requirements, then ``binder/postBuild``), and every chapter must run in it.
``scripts/binder_env.py`` makes it, and says where it differs from Binder; under
``make test`` nbval runs the chapters with its kernel (``tests/jobs.py``), and
run alone the script runs them itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scripts import binder_requirements
from tests import jobs

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def test_binder_requirements_are_generated_from_the_root():
    expected = binder_requirements.generate((ROOT / "requirements.txt").read_text())
    assert (ROOT / "binder" / "requirements.txt").read_text() == expected, (
        "binder/requirements.txt drifted from requirements.txt: run make binder"
    )
    assert "torch==2.13.0+cpu" in expected
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


@pytest.mark.slow
def test_every_chapter_runs_in_binders_environment(request):
    """scripts/binder_env.py makes it; nbval, or the script, runs the chapters in it."""
    code, log, ran = jobs.binder(request.config)
    assert code == 0, log[-6000:]
    assert re.search(r"^\(3, 11\) .*/checkout/linreg_lib/__init__\.py$", log, re.M), (
        log[-6000:]
    )
    assert ran == [path.name for path in CHAPTERS], log[-6000:]
