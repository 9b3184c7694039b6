"""Re-execute notebooks in place, as the book and nbval will: `make notebooks`.

Runs each notebook top to bottom with a fresh kernel in this environment and
saves its outputs, without timing metadata (so a re-run that changes nothing
changes no bytes). Run it after changing linreg_lib or a chapter's code.
"""

import sys
from pathlib import Path

import nbclient
import nbformat


def run(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )  # fmt: skip
    client.execute()
    nb.metadata.pop("widgets", None)  # live widget state: meaningless once saved
    nbformat.write(nb, path)
    print(f"executed {path}")


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        run(Path(arg))
