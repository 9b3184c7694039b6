"""The long jobs of ``make test``, run once each and beside the other tests.

Three jobs make up most of ``make test``: nbval executing every chapter, the
book build, and Binder's environment running every chapter again. One after
another they took 12 of its 15 minutes. This pytest plugin (the root
``conftest.py`` loads it) does the following:

- It starts making Binder's environment (``scripts/binder_env.py``) in the
  background as soon as the tests are collected, if its test is among them. The
  job runs the chapters in it once nbval has run its own: two chapters at once
  took a third longer each on this machine's two cores.
- It runs the notebooks (nbval) before any other test. When the book's tests are
  selected too, nbval's kernels run with ``LINREG_BOOK=1``, the book's setting,
  so the panels record their explorers' frames. Each chapter is saved as nbval
  executed it.
- Once every chapter has passed, it starts the book build from those notebooks
  in the background (``scripts/build_book.py --executed``). Each chapter runs
  once for both nbval and the book, and the unit tests run during the build.
- It orders the tests that wait on a job last: the book's, then Binder's.

Tests get a job's result from :func:`book` and :func:`binder`. These start the
job there and then if nothing has started it, for example when one test file
runs alone. Jobs write to a log file, not a pipe, so a grandchild process that
outlives its parent cannot hold a test up. Each job runs in its own process
group, and the whole group is stopped when the session ends.
"""

from __future__ import annotations

import copy
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from scripts import run_notebooks

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(path.name for path in (ROOT / "chapters").glob("*.ipynb"))
WAITS_ON = {"test_book.py": 2, "test_binder.py": 3}  # run last, in this order
BINDER_TEST = "test_every_chapter_runs_in_binders_environment"


class Job:
    """A command running in the background, its output going to a log file."""

    def __init__(self, args: list[str], log: Path):
        self.log = log
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("MPLBACKEND", "LINREG_BOOK")
        }
        with log.open("w") as out:
            self.process = subprocess.Popen(
                args, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
                start_new_session=True,
            )  # fmt: skip

    def result(self) -> tuple[int, str]:
        """Wait for the job; its exit code and everything it printed."""
        code = self.process.wait()
        return code, self.log.read_text(errors="replace")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # with any grandchildren
        except ProcessLookupError:
            pass
        self.process.wait()


class _State:
    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="linreg-jobs-"))
        self.jobs: dict[str, Job] = {}
        self.capture: Path | None = None  # where nbval's executed chapters go
        self.outputs: dict[tuple[str, int], list] = {}
        self.pending: set[str] = set()
        self.binder_go = self.dir / "binder.go"  # Binder's chapters may run
        self.last_cell = None  # nbval's last; after it, Binder's chapters run

    def start(self, name: str, args: list[str]) -> Job:
        if name not in self.jobs:
            self.jobs[name] = Job([sys.executable, *args], self.dir / f"{name}.log")
        return self.jobs[name]

    def start_binder(self) -> Job:
        args = [str(ROOT / "scripts" / "binder_env.py"), str(self.dir / "binder")]
        return self.start("binder", [*args, str(self.binder_go)])

    def start_book(self) -> Job:
        args = [str(ROOT / "scripts" / "build_book.py"), str(self.dir / "book")]
        if self.capture is not None and not self.pending:
            args += ["--executed", str(self.capture)]
        return self.start("book", [*args, "-W", "-n", "--keep-going"])


STATE = pytest.StashKey[_State]()


def book(config) -> tuple[Path, int, str]:
    """The built book's HTML folder, and the build's exit code and log."""
    code, log = config.stash[STATE].start_book().result()
    return config.stash[STATE].dir / "book" / "_build" / "html", code, log


def binder(config) -> tuple[int, str]:
    """scripts/binder_env.py's exit code and output."""
    state = config.stash[STATE]
    job = state.start_binder()
    state.binder_go.touch()
    return job.result()


def _is_cell(item) -> bool:
    return type(item).__name__ == "IPyNbCell"  # nbval's item: one notebook cell


def _every_cell_of_every_chapter(cells) -> bool:
    notebooks = {cell.parent for cell in cells}  # nbval's IPyNbFile, one a chapter
    if sorted(nb.path.name for nb in notebooks) != CHAPTERS:
        return False
    return all(
        sum(cell.parent is nb for cell in cells)
        == sum(c.cell_type == "code" for c in nb.nb.cells)
        for nb in notebooks
    )


def pytest_configure(config):
    config.stash[STATE] = _State()


def pytest_unconfigure(config):
    state = config.stash.get(STATE, None)
    if state is not None:
        for job in state.jobs.values():
            job.stop()
        shutil.rmtree(state.dir, ignore_errors=True)


def pytest_collection_modifyitems(items):
    items.sort(
        key=lambda item: 0 if _is_cell(item) else WAITS_ON.get(item.path.name, 1)
    )


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        return
    state = session.config.stash[STATE]
    items = session.items
    cells = [item for item in items if _is_cell(item)]
    state.last_cell = cells[-1] if cells else None
    if state.last_cell is None:
        state.binder_go.touch()
    if any(item.name == BINDER_TEST for item in items):
        state.start_binder()  # its test waits for it, last
    wants_book = any(
        item.path.name == "test_book.py" and "html_dir" in item.fixturenames for item in items
    ) and not os.environ.get("BOOK_HTML")  # fmt: skip
    if wants_book and _every_cell_of_every_chapter(cells):
        state.capture = state.dir / "executed"
        state.capture.mkdir()
        state.pending = set(CHAPTERS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """nbval starts a notebook's kernel here: with the book's setting if capturing."""
    if item.config.stash[STATE].capture is None or not _is_cell(item):
        return (yield)
    before = os.environ.get("LINREG_BOOK")
    os.environ["LINREG_BOOK"] = "1"
    try:
        return (yield)
    finally:
        if before is None:
            del os.environ["LINREG_BOOK"]
        else:
            os.environ["LINREG_BOOK"] = before


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    state = item.config.stash[STATE]
    if (
        state.capture is not None
        and _is_cell(item)
        and call.when == "call"
        and report.passed
    ):
        state.outputs[item.parent.path.name, item.cell_num] = item.test_outputs
    return report


def pytest_runtest_teardown(item, nextitem):
    """After a notebook's last cell: save it as executed; after the last, build."""
    state = item.config.stash[STATE]
    if item is state.last_cell:
        state.binder_go.touch()
    if state.capture is None or not _is_cell(item):
        return
    if nextitem is not None and nextitem.parent is item.parent:
        return
    name, nb = item.parent.path.name, copy.deepcopy(item.parent.nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    if not all((name, k) in state.outputs for k in range(len(code))):
        return  # a cell failed: the book executes the chapters itself
    for k, cell in enumerate(code):
        cell.outputs, cell.execution_count = state.outputs[name, k], k + 1
    nbformat.write(run_notebooks.tidy(nb), state.capture / name)
    state.pending.discard(name)
    if not state.pending:
        state.start_book()
