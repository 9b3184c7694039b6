"""The one slider panel every chapter uses: live in a notebook, explorable in the book.

A :class:`Panel` wires controls (:mod:`linreg_lib.controls`) to a pure
``update(**values)`` that moves new data into a matplotlib figure's moving
``artists`` and may return a status line. The figure's still background is
rendered once; after each move only the moving artists are recorded, as
drawing data (``_recorder.py``), and ``static/panel.js`` draws them on a
canvas, crisp at any screen density. In a notebook the panel is an anywidget:
a move asks the kernel for a new frame, and if no kernel answers the panel
says so. In the book, built with ``LINREG_BOOK=1`` (set by the book's
extension), every frame is recorded ahead (:mod:`.explorer`) and the same
script looks them up. Elsewhere (GitHub, an untrusted notebook) a still image
and a note on how to make it live.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import anywidget
import traitlets

from . import _panel_pages, explorer
from ._recorder import SCALE, Styles, record
from .controls import _Control

__all__ = ["Panel"]

STATIC = Path(__file__).parent / "static"


class Panel(anywidget.AnyWidget):
    """Controls, a figure whose ``artists`` move, and a status line.

    ``fig`` is a matplotlib Figure made without pyplot, laid out once (fix its
    axes limits: only ``artists`` may change). ``update(**values)`` receives
    every control's value by name and returns a status text or None.
    ``controls`` maps names to ``Slider``/``Choice``/``Toggle``; ``name`` names
    the panel in the page's address (#name.lr=0.03); ``alt`` describes the
    figure for screen readers (the status line is added to it).
    """

    _esm = STATIC / "panel.js"
    _css = STATIC / "panel.css"
    spec = traitlets.Dict().tag(sync=True)
    index = traitlets.Dict().tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)

    def __init__(
        self, fig, update, controls: dict, *, artists, name: str, alt: str = ""
    ):
        from matplotlib.figure import Figure

        if not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib Figure, got {fig!r:.60}")
        if not callable(update):
            raise TypeError(f"update must be callable(**values), got {update!r:.60}")
        if not controls or not all(isinstance(c, _Control) for c in controls.values()):
            raise TypeError("controls must map names to Slider, Choice or Toggle")
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(
                f"name must be an identifier such as 'training', got {name!r}"
            )
        if not isinstance(alt, str):
            raise TypeError(f"alt must be a string, got {alt!r}")
        if not isinstance(artists, list | tuple) or not artists:
            raise ValueError(
                f"artists must list the artists that update moves, got {artists!r:.60}"
            )
        artists = list(artists)
        super().__init__()
        self.fig, self.update, self.controls, self.artists = (
            fig,
            update,
            controls,
            artists,
        )
        self._styles = Styles()
        png = _panel_pages.background(fig, artists)
        self.spec = {
            "name": name, "alt": alt, "scale": SCALE,
            "width": round(fig.bbox.width), "height": round(fig.bbox.height),
            "controls": [{**c.spec(), "name": k} for k, c in controls.items()],
            "background": "data:image/png;base64," + base64.b64encode(png).decode(),
        }  # fmt: skip
        self.index = {k: c.index(c.value) for k, c in controls.items()}
        self.observe(lambda _: self._refresh(), names="index")
        self.on_msg(self._answer)
        self._refresh()

    @property
    def values(self) -> dict:
        """Every control's current value, by name."""
        return {k: c.stops[self.index[k]] for k, c in self.controls.items()}

    def set(self, **values) -> None:
        """Move controls to these values, as a reader would (one redraw)."""
        index = dict(self.index)
        for name, value in values.items():
            if name not in self.controls:
                raise ValueError(
                    f"no control named {name!r}; the controls are {list(self.controls)}"
                )
            index[name] = self.controls[name].index(value)
        self.index = index

    def draw(self) -> tuple[list, str]:
        """Run ``update`` at the current values; return the recorded ops and status."""
        status = self.update(**self.values) or ""
        if not isinstance(status, str):
            raise TypeError(
                f"update must return a status string or None, got {status!r:.60}"
            )
        ops = [op for ops in record(self.fig, self.artists, self._styles) for op in ops]
        return ops, status

    def disabled_mask(self, values: dict) -> int:
        """Bit k set when control k has no effect at these values."""
        if not isinstance(values, dict) or set(values) != set(self.controls):
            raise ValueError(f"values must give every control, {list(self.controls)}")
        mask = 0
        for k, control in enumerate(self.controls.values()):
            if control.enabled_if is not None and not control.enabled_if(values):
                mask |= 1 << k
        return mask

    def _refresh(self):
        ops, status = self.draw()
        self.frame = {"ops": ops, "styles": self._styles.table, "status": status,
                      "disabled": self.disabled_mask(self.values)}  # fmt: skip

    def _answer(self, _widget, content, _buffers):
        if isinstance(content, dict) and "ping" in content:
            self.send(
                {"pong": content["ping"]}
            )  # the front end checks the kernel lives

    def _repr_mimebundle_(self, **kwargs):
        data, metadata = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = f"Panel {self.spec['name']!r}: {_panel_pages.LIVE_NOTE}"
        if os.environ.get("LINREG_BOOK") == "1":  # building the book: the explorer
            data["text/html"] = explorer.html_of(self, explorer.build(self))
        else:
            data["text/html"] = _panel_pages.still_html(self)
        return data, metadata
