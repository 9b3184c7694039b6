"""Build the book, executing its chapters in parallel: `make book`.

Jupyter Book 1.x executes the chapters one at a time while it reads them, and
executing them (each panel records every frame for its explorer) is most of a
build. This script executes every chapter afresh, ``JOBS`` at a time (default:
the machine's cores), with ``LINREG_BOOK=1`` as the book's extension sets it,
into a copy of the book's sources, then runs ``jupyter-book build`` on that
copy with execution off: the same pages as a forced build, in about half the
time on two cores. Usage: ``python scripts/build_book.py OUTPUT [-W -n ...]``,
the pages in ``OUTPUT/_build/html``; extra arguments go to jupyter-book.

``--executed DIR`` takes the chapters from DIR, already executed with
``LINREG_BOOK=1``, instead of executing them: ``make test`` passes the notebooks
that nbval has just run and checked, so each chapter runs once for both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["_config.yml", "_toc.yml", "intro.md", "preface.md", "glossary.md", "api.md",
           "_ext", "_static", "_extra"]  # fmt: skip
LINKED = ["linreg_lib", "node_modules"]  # read, never written: linked, not copied


def execute(path: str) -> tuple[str, float]:
    """Run one notebook as `make notebooks` does (no widget state kept)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from run_notebooks import run

    return Path(path).name, run(Path(path))


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    output, extra = Path(argv[0]).resolve(), argv[1:]
    executed = None
    if "--executed" in extra:
        at = extra.index("--executed")
        executed, extra = Path(extra[at + 1]), extra[:at] + extra[at + 2 :]
    os.environ.pop("MPLBACKEND", None)
    os.environ["LINREG_BOOK"] = "1"  # the panels record their frames
    jobs = int(os.environ.get("JOBS", os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="book-") as tmp:
        src = Path(tmp) / "book"
        (src / "chapters").mkdir(parents=True)
        for name in SOURCES:
            (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(
                ROOT / name, src / name
            )
        for name in LINKED:
            (src / name).symlink_to(ROOT / name)
        chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
        for path in chapters:
            shutil.copy(
                (executed or path.parent) / path.name, src / "chapters" / path.name
            )
        config = (src / "_config.yml").read_text()
        (src / "_config.yml").write_text(
            config.replace("execute_notebooks: force", 'execute_notebooks: "off"')
        )
        if executed is None:
            longest_first = sorted(chapters, key=lambda p: -p.stat().st_size)
            with ProcessPoolExecutor(jobs) as pool:
                for name, seconds in pool.map(execute, [str(src / "chapters" / p.name)
                                                        for p in longest_first]):  # fmt: skip
                    print(f"executed {name} in {seconds:.1f} s", flush=True)
        jb = Path(sys.executable).with_name("jupyter-book")
        return subprocess.run([str(jb), "build", str(src), "--path-output", str(output),
                               *extra]).returncode  # fmt: skip


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
