"""The one slider-panel helper every chapter uses.

A :class:`Panel` wires ipywidgets controls to a pure ``update(**values)``
function that redraws a matplotlib figure in place; the panel renders the
figure to PNG once per change. Sliders report only when released
(``continuous_update=False``), so dragging never queues a backlog of stale
redraws. Without a kernel (the static HTML book) the panel shows a still of
its default values and says how to get the live version.
"""

from __future__ import annotations

import base64
import html
import io
import time

import ipywidgets as widgets

STATIC_NOTE = (
    "Still image at the default values. To move the sliders, run this notebook: "
    "launch it on Binder or Colab from the rocket icon at the top of the page, "
    "or locally as the README describes."
)


def render_png(fig, dpi=80) -> bytes:
    """The figure as PNG bytes (no pyplot, no display)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


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


class Panel(widgets.VBox):
    """Controls, a figure updated in place, and a status line.

    Parameters
    ----------
    fig : matplotlib Figure, made without pyplot (so it is not shown twice).
    update : callable ``update(**values) -> str | None``; receives the current
        value of every control by name, updates the figure's artists, and may
        return a status text (e.g. a divergence message).
    controls : dict ``name -> widget``.
    """

    def __init__(self, fig, update, controls, dpi=80):
        self.fig, self._update, self.controls, self.dpi = fig, update, controls, dpi
        self.image = widgets.Image(format="png")
        self.status = widgets.HTML()
        self.latency = []  # seconds per refresh, for the benchmarks
        for control in controls.values():
            control.observe(lambda _change: self.refresh(), names="value")
        box = widgets.HBox(list(controls.values()), layout={"flex_flow": "row wrap"})
        super().__init__([box, self.image, self.status])
        self.refresh()
        self._still = bytes(self.image.value)  # the default values, for the static book

    @property
    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def refresh(self):
        """Re-run ``update`` with the controls' values and redraw: one slider move."""
        start = time.perf_counter()
        status = self._update(**self.values)
        self.image.value = render_png(self.fig, self.dpi)
        self.status.value = f"<small>{html.escape(status or '')}</small>"
        self.latency.append(time.perf_counter() - start)

    def set(self, **values):
        """Move controls programmatically (one refresh per control moved)."""
        for name, value in values.items():
            self.controls[name].value = value

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, plus a still for front ends without a kernel."""
        bundle = super()._repr_mimebundle_(**kwargs)
        png = base64.b64encode(self._still).decode()
        bundle["text/html"] = (
            f'<figure class="linreg-panel-still"><img alt="panel at its default '
            f'values" src="data:image/png;base64,{png}"/><figcaption>{STATIC_NOTE}'
            "</figcaption></figure>"
        )
        return bundle
