"""Write binder/requirements.txt from the root requirements.txt: `make binder`.

Binder needs what the notebooks import, with the same bounds as everywhere
else, and torch's CPU-only wheel (PyPI's default would pull GBs of CUDA). The
test suite regenerates the file and fails if it drifted from the root.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What a chapter needs to run live (linreg_lib itself comes from binder/postBuild).
RUNTIME = {"numpy", "torch", "matplotlib", "ipywidgets", "anywidget", "ipykernel",
           "jupyterlab", "scikit-learn"}  # fmt: skip
HEADER = """\
# Generated from ../requirements.txt by scripts/binder_requirements.py: do not edit.
# Binder (repo2docker) reads this folder instead of the root's config files: what
# the notebooks import, with the root's bounds, and torch's CPU-only wheel (the
# default PyPI wheel would pull several GB of CUDA libraries into the image).
# linreg_lib itself is installed by binder/postBuild.
--extra-index-url https://download.pytorch.org/whl/cpu
"""


def generate(root_requirements: str) -> str:
    lines = []
    for line in root_requirements.splitlines():
        match = re.match(r"([A-Za-z0-9_.-]+)([^#]*)", line.strip())
        if not match or match[1].lower() not in RUNTIME:
            continue
        name, bounds = match[1], match[2].strip()
        if name == "torch":
            bounds += "+cpu"  # the CPU wheel of the same release
        lines.append(f"{name}{bounds}")
    return HEADER + "\n".join(lines) + "\n"


if __name__ == "__main__":
    text = generate((ROOT / "requirements.txt").read_text())
    (ROOT / "binder" / "requirements.txt").write_text(text)
    sys.stdout.write(text)
