"""Small helpers for the book's notebooks: show library source, quote results.

``show_source(linreg)`` displays a function's code from the installed library,
so the book prints exactly what the tests check. ``glue`` hands a value computed
in a cell to the prose (MyST's ``{glue:text}`` role) and works outside the book
build too (Colab, plain Jupyter), where it simply records nothing.
"""

from __future__ import annotations

import inspect


def show_source(obj):
    """The source of a function, class or module, syntax-highlighted in Jupyter."""
    from IPython.display import Code

    return Code(inspect.getsource(obj), language="python")


def glue(name: str, value, display: bool = False):
    """Record ``value`` under ``name`` for the book's prose (myst-nb's glue)."""
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # no book tooling installed: nothing to record into
        return None
    return myst_glue(name, value, display=display)
