"""The one slider-panel helper every chapter uses.

A :class:`Panel` wires ipywidgets controls to a pure ``update(**values)``
function that moves new data into a matplotlib figure's artists; the panel
then renders the figure to PNG. Given the ``artists`` that ``update`` changes,
it draws everything else once and afterwards redraws only those (blitting), a
few milliseconds instead of a full figure. Sliders report when released
(``continuous_update=False``), so dragging never queues a backlog of stale
redraws. Without a kernel (the static HTML book) the panel shows a still of its
defaults or, given ``explore``, precomputed frames scrubbed by a small script.
"""

from __future__ import annotations

import io

import ipywidgets as widgets

from . import _explorer
from .plotting import render_png


def float_slider(description, value, min, max, step, readout_format=".3g"):
    """A float slider that reports on release."""
    return widgets.FloatSlider(
        value=value, min=min, max=max, step=step, description=description,
        readout_format=readout_format, continuous_update=False,
        style={"description_width": "initial"},
    )  # fmt: skip


def log_slider(description, value, min, max, base=10.0):
    """A log-scale slider; ``min``/``max`` are the values, not their exponents."""
    import math

    lo, hi = math.log(min, base), math.log(max, base)
    return widgets.FloatLogSlider(
        value=value, base=base, min=lo, max=hi, step=(hi - lo) / 100,
        description=description, readout_format=".3g", continuous_update=False,
        style={"description_width": "initial"},
    )  # fmt: skip


def int_slider(description, value, min, max, step=1):
    """An integer slider that reports on release."""
    return widgets.IntSlider(
        value=value, min=min, max=max, step=step, description=description,
        continuous_update=False, style={"description_width": "initial"},
    )  # fmt: skip


def choice_slider(description, options, value):
    """A slider over fixed choices (e.g. log-spaced sizes) that reports on release."""
    return widgets.SelectionSlider(
        options=options, value=value, description=description,
        continuous_update=False, style={"description_width": "initial"},
    )  # fmt: skip


class Panel(widgets.VBox):
    """Controls, a figure updated in place, and a status line.

    Parameters
    ----------
    fig : matplotlib Figure, made without pyplot (so it is not shown twice).
    update : ``update(**values) -> str | None``; receives every control's value
        by name, moves data into the figure's artists, may return a status text.
    controls : dict ``name -> widget``.
    artists : the artists ``update`` changes (data, text, colour). Given them,
        everything else must stay put (fix axes limits), and each move redraws
        only these artists on a cached background.
    explore : dict ``name -> list of values``; for the static book, precompute a
        frame for every combination and let readers scrub them without a kernel.
    marks : dict ``name -> (value, label)``, drawn on that explorer slider's track
        (e.g. the stability limit on the learning rate).
    """

    def __init__(self, fig, update, controls, *, artists=None, explore=None,
                 marks=None, dpi=80):  # fmt: skip
        self.fig, self._update, self.controls = fig, update, controls
        self._render = _Blitter(fig, artists, dpi) if artists else _Full(fig, dpi)
        self.image = widgets.Image(format="png")
        self.status = widgets.HTML()
        for control in controls.values():
            control.observe(lambda _change: self.refresh(), names="value")
        box = widgets.HBox(list(controls.values()), layout={"flex_flow": "row wrap"})
        super().__init__([box, self.image, self.status])
        self.refresh()
        self._static = _explorer.still(bytes(self.image.value))
        if explore:
            self._static = _explorer.explorer(self, explore, marks or {})

    @property
    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self):
        """Re-run ``update`` with the controls' values and redraw: one slider move."""
        status = self._update(**self.values)
        self.image.value = self._render()
        self.status.value = f"<small>{_explorer.escape(status or '')}</small>"

    def frame(self, **values) -> tuple[bytes, str]:
        """PNG and status text at ``values`` (other controls at their setting)."""
        status = self._update(**{**self.values, **values})
        return self._render(), status or ""

    def set(self, **values):
        """Move controls programmatically (one refresh per control moved)."""
        for name, value in values.items():
            self.controls[name].value = value

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, plus the static view for front ends without a kernel."""
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self._static
        return bundle


class _Full:
    """Render the whole figure every time."""

    def __init__(self, fig, dpi):
        self.fig, self.dpi = fig, dpi

    def __call__(self) -> bytes:
        return render_png(self.fig, self.dpi)


class _Blitter:
    """Draw the static background once; then redraw only the moving artists."""

    def __init__(self, fig, artists, dpi):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig, self.artists = fig, list(artists)
        fig.set_dpi(dpi)
        self.canvas = FigureCanvasAgg(fig)
        for artist in self.artists:
            artist.set_animated(True)  # left out of the background
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(fig.bbox)

    def __call__(self) -> bytes:
        from PIL import Image

        self.canvas.restore_region(self.background)
        for artist in self.artists:
            self.fig.draw_artist(artist)
        rgba = self.canvas.buffer_rgba()
        image = Image.frombuffer("RGBA", rgba.shape[1::-1], rgba, "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        image.save(buf, format="png", compress_level=1)
        return buf.getvalue()
