"""Re-execute notebooks in place, as the book and nbval will: `make notebooks`.

Runs each notebook top to bottom with a fresh kernel in this environment and
saves its outputs, without timing metadata (so a re-run that changes nothing
changes no bytes). A live panel's saved output keeps its still image and note
but not its widget view: opened later, a widget without its kernel-side model
would show "Error displaying widget: model not found". Run it after changing
linreg_lib or a chapter's code; then scripts/prose_numbers.py.
"""

import sys
import time
from pathlib import Path

import nbclient
import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def run(path: Path) -> float:
    """Execute one notebook in place; the seconds it took."""
    start = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=900,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nbformat.write(tidy(nb), path)
    return time.perf_counter() - start


def tidy(nb):
    """Drop what an executed notebook should not keep: its live widget state."""
    nb.metadata.pop("widgets", None)  # live widget state: meaningless once saved
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    return nb


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(f"executed {arg} in {run(Path(arg)):.1f} s", flush=True)
