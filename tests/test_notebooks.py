"""The chapters read well wherever they are opened, and their numbers are true.

The same notebook is the book's page, a JupyterLab or Binder session and a
Colab notebook. Only the book renders MyST's roles and directives, so the
prose uses plain Markdown (and HTML that every front end renders: <details>,
comments); every number it quotes is written by ``scripts/prose_numbers.py``
from the cell that computes it, and checked here against that cell's stored
output (nbval re-checks the output itself on every run).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

import linreg_lib
from scripts import prose_numbers

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))

# Markup only the book renders: raw text in JupyterLab, Colab and on GitHub.
MYST_ONLY = {
    "a MyST role such as {glue:text}`x` or {py:func}`f`": re.compile(r"\{[a-z:-]+\}`"),
    "a MyST directive (```{name} or :::{name})": re.compile(r"(```+|:::+)\s*\{"),
    "a MyST target line (label)=": re.compile(r"^\(\S+\)=\s*$", re.MULTILINE),
    "a directive option line such as :class: dropdown": re.compile(
        r"^:[a-z-]+:", re.MULTILINE
    ),
    "a dollar-math label $$ (label)": re.compile(r"\$\$\s*\(\S+\)"),
}


def notebook(path):
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_its_cells_value(path):
    nb = notebook(path)
    assert not prose_numbers.mismatches(nb)


def test_a_number_never_starts_a_line_where_markdown_would_read_raw_html(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            outputs=[
                nbformat.v4.new_output(
                    "display_data",
                    data={prose_numbers.RECORD: "'0.03'"},
                    metadata={"scrapbook": {"name": "lr"}},
                )
            ]
        ),
        nbformat.v4.new_markdown_cell("The rate is\n<!--n:lr-->?<!--/n--> here."),
        nbformat.v4.new_markdown_cell("- item\n  <!--n:lr-->?<!--/n--> too"),
        nbformat.v4.new_markdown_cell("<!--n:lr-->?<!--/n--> opens a paragraph."),
    ]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assert prose_numbers.sync(path) == 3  # filled in; the first two joined
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[1].source == "The rate is <!--n:lr-->0.03<!--/n--> here."
    assert nb.cells[2].source == "- item <!--n:lr-->0.03<!--/n--> too"
    # the third cannot be joined to anything: reported
    assert [p.split(":")[0] for p in prose_numbers.mismatches(nb)] == ["cell 3"]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_prose_is_plain_markdown(path):
    problems = []
    for index, cell in enumerate(notebook(path).cells):
        if cell.cell_type != "markdown":
            continue
        for what, pattern in MYST_ONLY.items():
            if pattern.search(cell.source):
                problems.append(
                    f"cell {index}: {what}: {pattern.search(cell.source)[0]!r}"
                )
        opened, closed = cell.source.count("<details"), cell.source.count("</details>")
        if opened != closed or cell.source.count("<summary>") != opened:
            problems.append(f"cell {index}: <details> without <summary> or </details>")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_tool_comments_in_code_and_glue_only_in_hidden_cells(path):
    problems = []
    for index, cell in enumerate(notebook(path).cells):
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", []))
        for marker in ("NBVAL", "fmt: skip", "fmt: off", "noqa"):
            if marker in cell.source:
                problems.append(f"cell {index}: '{marker}' (use a cell tag instead)")
        if "glue(" in cell.source and not tags & {"remove-input", "remove-cell"}:
            problems.append(f"cell {index}: glue() in a cell the book shows")
    assert not problems, "\n".join(problems)


def install_cell(version: str) -> str:
    """The first cell of every chapter: linreg_lib where it is missing (Colab)."""
    return (
        (ROOT / "scripts" / "install_cell.template")
        .read_text()
        .replace("{version}", version)
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_install_cell_installs_the_release_the_book_was_built_from(path):
    first = notebook(path).cells[0]
    assert first.source.strip() == install_cell(linreg_lib.__version__).strip()
    assert "remove-cell" in first.metadata.get("tags", [])
    assert first.metadata.get("jupyter", {}).get("source_hidden") is True
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert f'version = "{linreg_lib.__version__}"' in pyproject


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_the_reader_meets_a_short_main_path_and_little_plumbing(path):
    """The limits of scripts/chapter_stats.py, which prints the numbers."""
    from scripts.chapter_stats import LIMITS, stats

    row = stats(path)
    assert row.main_words <= LIMITS["main_words"], row
    assert row.code_lines <= LIMITS["code_lines"], row
    assert row.longest_cell <= LIMITS["longest_cell"], row
    assert row.captioned == row.figures, row  # every figure has a caption


def test_figure_names_are_unique_and_every_figure_link_has_a_target():
    names, links = [], []
    for path in CHAPTERS:
        for cell in notebook(path).cells:
            name = cell.metadata.get("mystnb", {}).get("figure", {}).get("name")
            if name:
                names.append(name)
            if cell.cell_type == "markdown":
                links += re.findall(r"\]\(#(fig-[\w-]+)\)", cell.source)
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert set(links) <= set(names), sorted(set(links) - set(names))


@pytest.mark.parametrize(
    "value, display", [(0.03, False), ("4.7e-05", False), (3, True)]
)
def test_glue_records_exactly_what_myst_nbs_glue_records(monkeypatch, value, display):
    """The book reads the record myst-nb's glue writes; ours skips its slow imports."""
    import IPython.display
    from myst_nb.ext import glue as myst

    from linreg_lib.notebook import glue

    shown = []
    monkeypatch.setattr(myst, "ipy_display", lambda *a, **k: shown.append((a, k)))
    myst.glue("lr", value, display=display)
    monkeypatch.setattr(
        IPython.display, "display", lambda *a, **k: shown.append((a, k))
    )
    glue("lr", value, display=display)
    assert len(shown) == 2 and shown[0] == shown[1]
    data = shown[0][0][0]
    assert ("application/papermill.record/text/plain" in data) is not display
