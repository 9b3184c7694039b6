"""Test-session setup for every test, unit tests and notebooks (nbval) alike."""

import os

# A headless machine often exports MPLBACKEND=Agg; inherited by nbval's kernels it
# stops inline figures, and every figure cell would fail. The tests never want it.
os.environ.pop("MPLBACKEND", None)

# The long jobs (nbval, the book build, Binder's environment): each run once,
# beside the other tests. See tests/jobs.py.
pytest_plugins = ["tests.jobs"]
