"""A panel's pictures: its background, and what it shows without a kernel.

In the book every frame is recorded (:mod:`.explorer`) and goes into the page
gzipped, with the background as a fallback image and a note; ``panel.js``
turns it into the explorer. Anywhere else without a kernel (a notebook not yet
run, GitHub) the panel's output is a still of its figure and how to make it live.
"""

from __future__ import annotations

import base64
import gzip
import html
import json

from .plotting import render_png

NOTE = (
    "Without a running kernel, the controls above show {count} drawings recorded "
    "when this book was built. To retrain on any setting, open the notebook on "
    "Binder or Colab (rocket icon at the top of the page) or locally."
)
LIVE_NOTE = (
    "This panel is live when the notebook runs: Run ▸ Run All Cells in JupyterLab, "
    "Runtime ▸ Run all in Colab. Until then, the figure at its default settings."
)


def explorer_html(panel, data: dict) -> str:
    """The explorer's HTML: a fallback image, the gzipped data, and a note."""
    from .explorer import _check_panel

    _check_panel(panel)
    if not isinstance(data, dict) or data.get("name") != panel.spec["name"]:
        raise ValueError("data must be what build(panel) returned for this panel")
    packed = base64.b64encode(
        gzip.compress(json.dumps(data, separators=(",", ":")).encode(), 9)
    )
    name, alt = html.escape(panel.spec["name"]), html.escape(panel.spec["alt"])
    return (
        f'<div class="linreg-panel" data-explorer data-panel="{name}" id="panel-{name}">'
        f'<div class="linreg-mount"><img class="linreg-fallback" src="{panel.spec["background"]}" '
        f'alt="{alt}" width="{panel.spec["width"]}" style="max-width:100%;height:auto"/></div>'
        f'<p class="linreg-note">{NOTE.format(count=len(data["frames"]))}</p>'
        f'<script type="application/octet-stream" class="linreg-data">{packed.decode()}</script>'
        "</div>"
    )


def still_html(panel) -> str:
    """A still of the figure at the current settings, with how to make it live."""
    png = base64.b64encode(render_png(panel.fig, colors=256)).decode()
    alt = html.escape(f"{panel.spec['alt']} {panel.frame['status']}".strip())
    return (
        f'<figure class="linreg-panel"><img src="data:image/png;base64,{png}" alt="{alt}" '
        f'width="{panel.spec["width"]}" style="max-width:100%;height:auto"/>'
        f'<figcaption class="linreg-note">{LIVE_NOTE}</figcaption></figure>'
    )


def background(fig, artists) -> bytes:
    """The figure without its moving artists, at twice the pixels: crisp anywhere.

    Drawing an axes repositions its titles (hidden ones too): they are put back.
    """
    shown = [artist.get_visible() for artist in artists]
    where = [getattr(artist, "get_position", lambda: None)() for artist in artists]
    for artist in artists:
        artist.set_visible(False)
    try:
        return render_png(fig, dpi=2 * fig.dpi, colors=256)
    finally:
        for artist, visible, position in zip(artists, shown, where, strict=True):
            artist.set_visible(visible)
            if position is not None:
                artist.set_position(position)
