"""Numbers in the prose that read everywhere, and stay true to the cells.

A chapter's prose quotes a number computed by a cell as plain text between two
HTML comments, invisible in the book, in JupyterLab, in Colab and on GitHub::

    the loss falls to <!--n:loss_3-->4.7e-05<!--/n--> after three epochs

The cell records the value with ``glue("loss_3", f"{loss:.2g}")`` (in a cell
hidden from the book), which stores it in the cell's outputs, where nbval
re-checks it on every run. ``python scripts/prose_numbers.py chapters/*.ipynb``
(run by ``make notebooks`` after executing them) writes each recorded value
into the prose; the tests fail if a number in the prose and its cell disagree.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat

MARKER = re.compile(r"<!--n:(?P<name>\w+)-->(?P<text>.*?)<!--/n-->", re.DOTALL)
# A line (or list item) that starts with "<!--" is an HTML block to CommonMark:
# it would split the paragraph and show its line as raw HTML. ``sync`` joins such
# a line to the line before it; ``mismatches`` reports any it cannot join.
AT_LINE_START = re.compile(r"^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?<!--", re.MULTILINE)
CONTINUED = re.compile(r"(?<=\S)[ \t]*\n[ \t]*(?=<!--n:)")
RECORD = "application/papermill.record/text/plain"


def recorded(nb) -> dict[str, str]:
    """Every value a cell recorded with ``glue``, as the text the prose shows."""
    values = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name and RECORD in output.get("data", {}):
                text = output["data"][RECORD]
                try:  # strings are recorded as their repr: '0.04'
                    value = ast.literal_eval(text)
                    text = value if isinstance(value, str) else text
                except (ValueError, SyntaxError):
                    pass
                values[name] = text
    return values


def quoted(nb) -> list[tuple[int, str, str]]:
    """Every number the prose quotes: (cell index, name, the text shown)."""
    return [
        (index, m["name"], m["text"])
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown"
        for m in MARKER.finditer(cell.source)
    ]


def mismatches(nb) -> list[str]:
    """Quoted numbers that differ from their cell's value or have no cell, and
    markers that start a line."""
    values = recorded(nb)
    problems = [
        f"cell {index}: a line starts with a number's marker, which Markdown "
        f"reads as raw HTML: {m.string[m.start() : m.start() + 40]!r}"
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "markdown"
        for m in AT_LINE_START.finditer(cell.source)
    ]
    for index, name, text in quoted(nb):
        if name not in values:
            problems.append(f"cell {index}: {name!r} is quoted but no cell records it")
        elif values[name] != text:
            problems.append(
                f"cell {index}: {name!r} reads {text!r}, its cell gives {values[name]!r}"
            )
    return problems


def sync(path: Path) -> int:
    """Write every recorded value into the prose of one notebook; count changes."""
    nb = nbformat.read(path, as_version=4)
    values, changed = recorded(nb), 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue

        def fill(m):
            if m["name"] not in values:
                raise KeyError(
                    f"{path.name}: {m['name']!r} is quoted but no cell records it"
                )
            return f"<!--n:{m['name']}-->{values[m['name']]}<!--/n-->"

        new = CONTINUED.sub(" ", MARKER.sub(fill, cell.source))
        changed += new != cell.source
        cell.source = new
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(f"{arg}: {sync(Path(arg))} cell(s) updated")
