"""The long jobs of ``make test``, each chapter run once for three checks.

Three jobs made up most of ``make test``: nbval executing every chapter, the
book build executing them again, and Binder's environment running them a third
time. One after another they took 12 of its 15 minutes. This pytest plugin (the
root ``conftest.py`` loads it) runs each chapter once, for all three:

- As soon as the tests are collected, it starts making Binder's environment in
  the background (``scripts/binder_env.py --kernel``), and the unit tests run
  meanwhile. When Binder's test is selected, nbval then runs every chapter with
  that environment's kernel: the committed outputs must come out of the
  environment a Binder reader gets, and ``tests/test_binder.py`` reads which
  chapters passed there.
- When the book's tests are selected too, nbval's kernels run with
  ``LINREG_BOOK=1``, the book's setting, so the panels record their explorers'
  frames, and each chapter is saved as nbval executed it. Once every chapter
  has passed, the book is built from those notebooks in the background
  (``scripts/build_book.py --executed``) while the next tests run.
- Tests run in this order: the unit tests and the benchmarks' smoke run, the
  notebooks, JupyterLab's tests, then the book's and Binder's, which wait on
  their jobs.

Tests get a job's result from :func:`book` and :func:`binder`. These start the
job there and then if nothing has started it, for example when one test file
runs alone; Binder's job then runs the chapters itself. Jobs write to a log
file, not a pipe, so a grandchild process that outlives its parent cannot hold a
test up. Each job runs in its own process group, and the whole group is stopped
when the session ends.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from scripts import binder_env, run_notebooks

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(path.name for path in (ROOT / "chapters").glob("*.ipynb"))
WAITS_ON = {"test_book.py": 3, "test_binder.py": 4}  # run last, in this order
EARLY = {"test_benchmarks.py"}  # slow, but waits on nothing: while Binder's is made
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
        self.env: dict[str, str | None] = {}  # variables changed for nbval's kernels
        self.binder_kernel = False  # nbval runs the chapters in Binder's kernel
        self.binder_passed: dict[str, int] = {}  # chapter -> its cells passed there

    def start(self, name: str, args: list[str]) -> Job:
        if name not in self.jobs:
            self.jobs[name] = Job([sys.executable, *args], self.dir / f"{name}.log")
        return self.jobs[name]

    def start_binder(self, kernel: bool = False) -> Job:
        args = [str(ROOT / "scripts" / "binder_env.py"), str(self.dir / "binder")]
        return self.start("binder", args + ["--kernel", str(self.dir)] * kernel)

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


def binder(config) -> tuple[int, str, list[str]]:
    """Binder's job: its exit code and output, and the chapters that ran there."""
    state = config.stash[STATE]
    code, log = state.start_binder().result()
    if "--kernel" in state.jobs["binder"].process.args:  # nbval ran them
        ran = [
            name for name in CHAPTERS if state.binder_passed.get(name) == _cells(name)
        ]
    else:
        ran = re.findall(r"^ran .*/checkout/chapters/(\S+\.ipynb)$", log, re.M)
    return code, log, ran


def _cells(name: str) -> int:
    nb = nbformat.read(ROOT / "chapters" / name, as_version=4)
    return sum(cell.cell_type == "code" for cell in nb.cells)


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
    def order(item):
        if _is_cell(item):
            return 1
        slow = item.get_closest_marker("slow") and item.path.name not in EARLY
        return WAITS_ON.get(item.path.name, 2 if slow else 0)

    items.sort(key=order)


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        return
    state = session.config.stash[STATE]
    items = session.items
    cells = [item for item in items if _is_cell(item)]
    if any(item.name == BINDER_TEST for item in items):
        state.binder_kernel = _every_cell_of_every_chapter(cells)
        state.start_binder(kernel=state.binder_kernel)  # its test waits, last
    wants_book = any(
        item.path.name == "test_book.py" and "html_dir" in item.fixturenames for item in items
    ) and not os.environ.get("BOOK_HTML")  # fmt: skip
    if wants_book and _every_cell_of_every_chapter(cells):
        state.capture = state.dir / "executed"
        state.capture.mkdir()
        state.pending = set(CHAPTERS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """nbval starts a notebook's kernel here: Binder's, with the book's setting."""
    state = item.config.stash[STATE]
    if _is_cell(item) and state.binder_kernel and "JUPYTER_PATH" not in state.env:
        _use_binders_kernel(item.config, state)
    if state.capture is None or not _is_cell(item):
        return (yield)
    before = os.environ.get("LINREG_BOOK")
    os.environ["LINREG_BOOK"] = "1"
    try:
        return (yield)
    finally:
        _restore("LINREG_BOOK", before)


def _restore(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _use_binders_kernel(config, state) -> None:
    """Wait for Binder's environment; then nbval's kernels are its kernel."""
    code, _ = state.jobs["binder"].result()
    state.env["JUPYTER_PATH"] = os.environ.get("JUPYTER_PATH")
    if code != 0:  # Binder's test reports it: the notebooks run here instead
        state.binder_kernel = False
        return
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [str(state.dir), state.env["JUPYTER_PATH"]])
    )
    config.option.nbval_current_env = False
    config.option.nbval_kernel_name = binder_env.KERNEL


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    state = item.config.stash[STATE]
    # a cell that passed (or that its nbval-skip tag skips) in Binder's kernel
    if _is_cell(item) and call.when == "call" and (report.passed or report.skipped):
        spec = item.parent.kernel.km.kernel_spec
        if spec.argv[0].startswith(str(state.dir)):  # Binder's environment's Python
            name = item.parent.path.name
            state.binder_passed[name] = state.binder_passed.get(name, 0) + 1
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
    if not _is_cell(item) or nextitem is not None and nextitem.parent is item.parent:
        return
    if "JUPYTER_PATH" in state.env and not (nextitem and _is_cell(nextitem)):
        _restore("JUPYTER_PATH", state.env.pop("JUPYTER_PATH"))  # nbval is done
    if state.capture is None:
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
