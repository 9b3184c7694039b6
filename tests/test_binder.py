"""Binder's environment stays true to the book's: generated from it, and it runs.

``binder/requirements.txt`` is generated from the root ``requirements.txt``
(``make binder``); the first test fails on any drift. The second makes the
environment Binder would make, in a throwaway venv (Python 3.11, binder's
requirements, then ``binder/postBuild``), and executes every chapter in it. One
difference is unavoidable here: this machine reaches PyPI but not PyTorch's CPU
index, so the venv takes torch's CPU wheel of the same release from PyPI's
mirror instead (``--extra-index-url`` dropped, ``torch==2.13.0+cpu`` kept).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from scripts import binder_requirements

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def test_binder_requirements_are_generated_from_the_root():
    expected = binder_requirements.generate((ROOT / "requirements.txt").read_text())
    assert (ROOT / "binder" / "requirements.txt").read_text() == expected, (
        "binder/requirements.txt drifted from requirements.txt: run make binder"
    )
    assert "torch==2.13.0+cpu" in expected
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


RUN = """
import sys, nbclient, nbformat
for path in sys.argv[1:]:
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": path.rsplit("/", 1)[0]}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, (path, errors)
    print("ran", path, flush=True)
"""


@pytest.mark.slow
def test_every_chapter_runs_in_binders_environment(tmp_path):
    env_dir = tmp_path / "binder-env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    requirements = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    local = [line for line in requirements if not line.startswith("--extra-index-url")]
    (tmp_path / "requirements.txt").write_text("\n".join(local) + "\n")
    env = {k: v for k, v in os.environ.items()
           if k not in ("MPLBACKEND", "LINREG_BOOK", "VIRTUAL_ENV", "PYTHONPATH")}  # fmt: skip
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"
    pip = [
        str(python),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run(
        [*pip, "-r", str(tmp_path / "requirements.txt")], check=True, env=env
    )
    checkout = tmp_path / "checkout"  # postBuild installs the repository it runs in
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(
        ".venv", "_build", "node_modules", ".git", "*.egg-info", "__pycache__"))  # fmt: skip
    subprocess.run(["bash", "binder/postBuild"], cwd=checkout, check=True, env=env)
    # run outside the checkout: `python -c` imports from its working directory first
    version = subprocess.run(
        [str(python), "-c", "import sys, linreg_lib; print(sys.version_info[:2], linreg_lib.__file__)"],
        check=True, env=env, capture_output=True, text=True, cwd=tmp_path,
    ).stdout  # fmt: skip
    assert "(3, 11)" in version and str(checkout) in version
    chapters = [str(checkout / "chapters" / path.name) for path in CHAPTERS]
    run = subprocess.run([str(python), "-c", RUN, *chapters], cwd=checkout / "chapters",
                         env=env, capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
    assert run.stdout.count("ran ") == len(CHAPTERS)
    assert sys.version_info[:2] == (3, 11)
