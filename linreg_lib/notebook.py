"""Small helpers for the book's notebooks: show library source, quote results.

``show_source(linreg)`` displays a function's code from the installed library,
so the book prints exactly what the tests check. ``glue`` hands a value computed
in a cell to the prose (MyST's ``{glue:text}`` role) and works outside the book
build too (Colab, plain Jupyter), where it simply records nothing.
"""

from __future__ import annotations

import inspect

from . import _checks

__all__ = ["show_source", "glue"]


def show_source(obj):
    """The source of a function, class or module, syntax-highlighted in Jupyter.

    Only the library's public API: a private name (``_batches``) is refused, so
    the book never teaches what the library may change without notice.
    """
    from IPython.display import Code

    if not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismodule(obj)
            or inspect.ismethod(obj)):  # fmt: skip
        raise TypeError(
            f"show_source needs a function, class or module, got {obj!r:.60}"
        )
    if obj.__name__.startswith("_"):
        raise ValueError(f"{obj.__name__} is private: the book shows public API only")
    return Code(inspect.getsource(obj), language="python")


def glue(name: str, value, display: bool = False):
    """Record ``value`` under ``name`` for the book's prose (myst-nb's glue)."""
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be an identifier such as 'loss_1', got {name!r}")
    _checks.check_bool("display", display)
    try:  # myst-nb's glue, without importing myst-nb (its imports take seconds)
        from IPython.core.formatters import format_display_data
        from IPython.display import display as show
    except ImportError:  # not in IPython: nothing to record into
        return None
    bundle, metadata = format_display_data(value)
    prefix = "" if display else "application/papermill.record/"
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    show({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
