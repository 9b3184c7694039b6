"""Make the environment Binder would make, and run every chapter in it.

Usage: ``python scripts/binder_env.py WORKDIR [--kernel DIR]``. In a throwaway
folder: a venv of this Python (3.11, as ``binder/runtime.txt`` asks),
``binder/requirements.txt`` installed into it, a copy of the repository for
``binder/postBuild`` to install from, then every chapter executed top to bottom
with that venv's kernel. Prints the venv's Python version and where it imports
linreg_lib from, then a line ``ran <chapter>`` per chapter; exits non-zero at the
first failure. With ``--kernel DIR`` it runs no chapter but writes the venv's
kernel, ``linreg-binder``, into ``DIR/kernels``: ``make test`` has nbval run the
chapters with it (``tests/jobs.py``), so one run checks both the notebooks'
outputs and Binder's environment.

Two differences from Binder, neither of which changes what runs:
- This machine reaches PyPI but not PyTorch's CPU index, so the venv takes
  torch's CPU wheel of the same release from PyPI's mirror (the
  ``--extra-index-url`` line dropped, ``torch==2.13.0+cpu`` kept).
- pip does not byte-compile what it installs; the first chapter's imports do,
  for the modules a chapter uses (a fraction of torch's), and the rest reuse it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
KERNEL = "linreg-binder"  # the kernel --kernel writes

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


def main(workdir: Path, kernels: Path | None = None) -> None:
    env_dir = workdir / "binder-env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    requirements = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    local = [line for line in requirements if not line.startswith("--extra-index-url")]
    (workdir / "requirements.txt").write_text("\n".join(local) + "\n")
    drop = (
        "MPLBACKEND",
        "LINREG_BOOK",
        "VIRTUAL_ENV",
        "PYTHONPATH",
        "PYTHONDONTWRITEBYTECODE",
    )
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    upgrade = [*pip, "--upgrade", "pip>=26,<27"]  # resolves in half the time of pip 23
    subprocess.run(upgrade, check=True, env=env)
    subprocess.run([*pip, "--no-compile", "-r", str(workdir / "requirements.txt")],
                   check=True, env=env)  # fmt: skip
    checkout = workdir / "checkout"  # postBuild installs the repository it runs in
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(
        ".venv", "_build", "node_modules", ".git", "*.egg-info", "__pycache__"))  # fmt: skip
    subprocess.run(["bash", "binder/postBuild"], cwd=checkout, check=True, env=env)
    # run outside the checkout: `python -c` imports from its working directory first
    where = "import sys, linreg_lib; print(sys.version_info[:2], linreg_lib.__file__)"
    subprocess.run([python, "-c", where], check=True, env=env, cwd=workdir)
    sys.stdout.flush()
    if kernels is not None:
        spec = {"argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Binder's environment", "language": "python",
                "env": {"PYTHONDONTWRITEBYTECODE": ""}}  # fmt: skip
        (kernels / "kernels" / KERNEL).mkdir(parents=True)
        (kernels / "kernels" / KERNEL / "kernel.json").write_text(json.dumps(spec))
        return
    chapters = [str(checkout / "chapters" / path.name) for path in CHAPTERS]
    subprocess.run([python, "-c", RUN, *chapters], cwd=checkout / "chapters",
                   env=env, check=True)  # fmt: skip


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) not in (1, 3) or (len(args) == 3 and args[1] != "--kernel"):
        sys.exit(__doc__)
    main(Path(args[0]).resolve(), Path(args[2]).resolve() if len(args) == 3 else None)
