"""What a reader of each chapter meets: `python scripts/chapter_stats.py`.

Prints, per chapter, the words of prose on the main path and in asides
(collapsed <details>: solutions and "Going deeper"), the code lines a reader
sees (cells the book does not hide or remove), the longest visible cell, the
figures and how many have a caption, and the panels. The tests hold every
chapter to the limits below.
"""

from __future__ import annotations

import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
LIMITS = {"code_lines": 150, "longest_cell": 30, "main_words": 2200}
HIDDEN = {"remove-cell", "remove-input", "hide-input", "hide-cell"}
# asides: <details> blocks (and, in the first edition's notebooks, MyST dropdowns)
DETAILS = re.compile(
    r"<details.*?</details>|(`{3,})\{admonition\}.*?:class: dropdown.*?\1", re.DOTALL
)
MARKUP = re.compile(r"<!--.*?-->|<[^>]+>|\$\$.*?\$\$|`[^`]*`|\[|\]\([^)]*\)", re.DOTALL)


@dataclass
class Stats:
    chapter: str
    main_words: int = 0
    aside_words: int = 0
    code_lines: int = 0
    longest_cell: int = 0
    figures: int = 0
    captioned: int = 0
    panels: int = 0


def words(markdown: str) -> int:
    # directive fences (first edition: ````{admonition}) and their closers go first
    markdown = re.sub(r"^(`{4,}.*|:class: .*)$", " ", markdown, flags=re.MULTILINE)
    text = MARKUP.sub(" ", re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL))
    return len(re.findall(r"[A-Za-z0-9][\w'’.-]*", text))


def stats(path: Path) -> Stats:
    result = Stats(path.stem)
    for cell in nbformat.read(path, as_version=4).cells:
        tags = set(cell.metadata.get("tags", []))
        if cell.cell_type == "markdown":
            asides = "".join(m.group(0) for m in DETAILS.finditer(cell.source))
            result.aside_words += words(asides)
            result.main_words += words(DETAILS.sub(" ", cell.source))
            continue
        if not tags & HIDDEN:
            lines = [line for line in cell.source.splitlines() if line.strip()]
            result.code_lines += len(lines)
            result.longest_cell = max(result.longest_cell, len(lines))
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                result.figures += 1
                figure = cell.metadata.get("mystnb", {}).get("figure", {})
                result.captioned += bool(figure.get("caption"))
            if re.search(r"linreg-(panel|explorer)", str(data.get("text/html", ""))):
                result.panels += 1
    return result


def table(rows: list[Stats]) -> str:
    head = list(asdict(rows[0]))
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        lines.append("| " + " | ".join(str(v) for v in asdict(row).values()) + " |")
    total = {k: sum(getattr(r, k) for r in rows) for k in head[1:]}
    total["longest_cell"] = max(r.longest_cell for r in rows)
    lines.append("| total | " + " | ".join(str(v) for v in total.values()) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted(
        (ROOT / "chapters").glob("*.ipynb")
    )
    print(table([stats(p) for p in paths]))
