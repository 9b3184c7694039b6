"""How fast the panels answer: in the kernel, in the static book, in JupyterLab.

- kernel: every chapter's panels driven in-process; one move is ``panel.set``,
  i.e. ``update`` plus recording the moving artists (what a live move costs the
  kernel), at the defaults and at the slowest corner of the stops;
- explorers: each panel's static explorer in headless Chromium; input to the
  next painted frame, as ``panel.js`` measures it (``root.linregLatency``);
- lab: three panels live in a real JupyterLab, input to repainted frame,
  through the kernel and back;
- run all: each chapter executed top to bottom as a reader's Run All does.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from scripts import browser

LAB_PANELS = {"01_theory": "fit_by_hand", "06_sgd": "sgd", "07_training": "training"}


def median_p95(ms) -> dict:
    ms = np.asarray(ms, dtype=float)
    return {"median_ms": float(np.median(ms)), "p95_ms": float(np.percentile(ms, 95))}


def chapter_panels(path: Path) -> list:
    """Execute a chapter in this process; return the panels it made."""
    import nbformat
    from IPython.core.interactiveshell import InteractiveShell

    from linreg_lib.panels import Panel

    made, original = [], Panel.__init__

    def recording(self, *args, **kwargs):  # the benchmark wraps what it times
        original(self, *args, **kwargs)
        made.append(self)

    Panel.__init__ = recording
    shell, cwd = InteractiveShell.instance(), os.getcwd()
    # a namespace of its own: a panel's update reads its chapter's globals (n, X, ...)
    shell.init_create_namespaces()
    shell.init_user_ns()
    cells = nbformat.read(path, as_version=4).cells[1:]  # not the install cell
    os.chdir(path.parent)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in cells:
                if cell.cell_type == "code":
                    shell.run_cell(cell.source, silent=True).raise_error()
    finally:
        os.chdir(cwd)
        Panel.__init__ = original
    return made


def kernel_latency(panel, moves: int) -> dict:
    """One live move, ``panel.set``: at the defaults, and at the slowest corner."""
    defaults = panel.values

    def timed(values):
        name = next(iter(panel.controls))  # wiggle the first control around values
        stops = panel.controls[name].stops
        k = stops.index(values[name])
        near = stops[k - 1] if k else stops[min(1, len(stops) - 1)]
        ms = []
        for i in range(moves):
            start = time.perf_counter()
            panel.set(**{**values, name: near if i % 2 else values[name]})
            ms.append((time.perf_counter() - start) * 1e3)
        return ms

    at_defaults = timed(defaults)
    corners = {}
    ends = {n: [c.stops[0], c.stops[-1]] for n, c in panel.controls.items()}
    for combo in itertools.product(*ends.values()):
        values = dict(zip(ends, combo, strict=True))
        corners[_label(values)] = timed(values)
    slowest = max(corners, key=lambda k: np.median(corners[k]))
    panel.set(**defaults)
    return {"defaults": median_p95(at_defaults),
            "corner": {**median_p95(corners[slowest]), "values": slowest}}  # fmt: skip


def _label(values):
    return ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in values.items())  # fmt: skip


def explorer_repaint(panels: dict, moves: int) -> dict:
    """Input to painted frame in each panel's static explorer (headless Chromium)."""
    from linreg_lib import explorer

    out = Path(tempfile.mkdtemp(prefix="explorers-"))
    static = Path(__file__).resolve().parent.parent / "linreg_lib" / "static"
    for name in ("panel.js", "panel.css"):
        shutil.copy(static / name, out / name)
    results = {}
    with browser.serve(out) as url, _chromium() as driver:
        for label, panel in panels.items():
            start = time.perf_counter()
            data = explorer.build(panel)
            seconds = time.perf_counter() - start
            page = explorer.html_of(panel, data)
            (out / f"{label}.html").write_text(
                "<!doctype html><html data-linreg-book><head><meta charset='utf-8'>"
                "<link rel='stylesheet' href='panel.css'><script type='module' "
                f"src='panel.js'></script></head><body>{page}</body></html>"
            )
            driver.get(f"{url}{label}.html")
            browser.wait(
                driver, "return document.querySelector('.linreg-panel').dataset.ready"
            )
            ms, work = driver.execute_async_script(MOVES, moves)
            results[label] = {**median_p95(ms), "frames": len(data["frames"]),
                              "work_median_ms": float(np.median(work)),
                              "html_bytes": len(page), "record_s": round(seconds, 1)}  # fmt: skip
    shutil.rmtree(out, ignore_errors=True)
    return results


# Moves each control of the page's panel to its neighbouring stops, one move at
# the start of every other frame, and returns panel.js's times in ms: input to
# the next frame (so at best one frame, 16.7 ms at 60 Hz) and input to drawn.
MOVES = """
const [moves, done] = arguments;
const root = document.querySelector(".linreg-panel");
const inputs = [...root.querySelectorAll("input[type=range]")];
let i = 0;
function step() {
  if (i >= moves || !inputs.length)
    return setTimeout(() => done([root.linregLatency, root.linregWork]), 50);
  const input = inputs[i % inputs.length];
  const up = Number(input.value) < Number(input.max);
  input.value = Number(input.value) + (up ? 1 : -1);
  input.dispatchEvent(new Event("input", { bubbles: true }));
  i++;
  requestAnimationFrame(() => requestAnimationFrame(step));
}
step();
"""


def lab_repaint(root: Path, moves: int) -> dict:
    """Input to repainted frame, through the kernel, for three panels in JupyterLab."""
    work = Path(tempfile.mkdtemp(prefix="lab-"))
    for chapter in LAB_PANELS:
        shutil.copy(root / "chapters" / f"{chapter}.ipynb", work)
    with browser.jupyterlab(work, "bench") as url, _chromium() as driver:
        driver.set_script_timeout(300)
        results = {}
        for chapter, name in LAB_PANELS.items():
            driver.get(f"{url}/lab/tree/{chapter}.ipynb?reset&token=bench")
            browser.wait(
                driver,
                "return window.jupyterapp && document.querySelectorAll('.jp-Cell').length > 5"
                " && !!window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel",
                90,
            )
            driver.execute_script(  # not awaited: a long Run All outlasts selenium's read
                "window.jupyterapp.commands.execute('notebook:run-all-cells');"
            )
            # JupyterLab draws cells far below the fold lazily: keep the panel in view
            cells = json.loads((work / f"{chapter}.ipynb").read_text())["cells"]
            index = next(
                i
                for i, c in enumerate(cells)
                if f'name="{name}"' in "".join(c["source"])
            )
            panel = f"document.querySelector('.linreg-live[data-panel=\"{name}\"]')"
            browser.wait(
                driver,
                "window.jupyterapp.shell.currentWidget.content.scrollToItem("
                f"{index}, 'center'); return {panel} && {panel}.querySelector('canvas')",
                300,
            )
            browser.wait(
                driver,
                "return ![...document.querySelectorAll('.jp-InputArea-prompt')]"
                ".some(p => p.textContent.includes('[*]'))",
                300,
            )  # Run All finished
            ms = driver.execute_async_script(LIVE_MOVES, name, moves)
            results[chapter] = median_p95(ms) if ms else {"error": "no frames"}
    shutil.rmtree(work, ignore_errors=True)
    return results


# Moves the first slider of a live panel, one move per answered frame.
LIVE_MOVES = """
const [name, moves, done] = arguments;
const root = document.querySelector(`.linreg-live[data-panel="${name}"]`);
const input = root.querySelector("input[type=range]");
let i = 0, seen = 0;
root.linregLatency.length = 0;
(function step() {
  if (root.linregLatency.length >= moves) return done(root.linregLatency.slice());
  if (i > 0 && root.linregLatency.length === seen) return setTimeout(step, 5);
  seen = root.linregLatency.length;
  const up = Number(input.value) < Number(input.max);
  input.value = Number(input.value) + (up ? 1 : -1);
  input.dispatchEvent(new Event("input", { bubbles: true }));
  i++;
  setTimeout(step, 5);
})();
"""


def run_all(root: Path, chapters: list[str]) -> dict:
    """Seconds to execute each chapter top to bottom, as Run All in a live session."""
    import nbclient
    import nbformat

    seconds = {}
    env_book = os.environ.pop("LINREG_BOOK", None)
    try:
        for chapter in chapters:
            path = root / "chapters" / f"{chapter}.ipynb"
            nb = nbformat.read(path, as_version=4)
            start = time.perf_counter()
            nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}}).execute()  # fmt: skip
            seconds[chapter] = round(time.perf_counter() - start, 2)
    finally:
        if env_book is not None:
            os.environ["LINREG_BOOK"] = env_book
    return seconds


@contextlib.contextmanager
def _chromium():
    driver = browser.chromium("1300,1000")
    try:
        yield driver
    finally:
        driver.quit()
