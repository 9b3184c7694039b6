"""Text and images for the recorder (``_recorder.py``).

Plain text is recorded as a string with its font, anchor and alignment, and
the browser sets it (no font layout here: fast, and crisp at any zoom); math
text and AxesImages are rendered to small PNGs, placed where matplotlib would
draw them.
"""

from __future__ import annotations

import base64
import io
import math

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg

SCALE = 4  # as in _recorder: coordinates in 1/SCALE pixels
FONTS = '"DejaVu Sans", "Bitstream Vera Sans", Verdana, sans-serif'
BASELINES = {"top": "top", "bottom": "bottom", "center": "middle",
             "baseline": "alphabetic", "center_baseline": "middle"}  # fmt: skip


def plain_text(artist) -> bool:
    """A Text without math, box or path effects, unrotated: the browser can set it."""
    from matplotlib.text import Text

    return (
        type(artist) is Text
        and not artist.get_bbox_patch()
        and not artist.get_path_effects()
        and "$" not in artist.get_text()
        and artist.get_rotation() == 0
    )


def text(rec, artist):
    """A plain Text artist, one op per line, laid out by the browser."""
    x, y = artist.get_transform().transform(artist.get_unitless_position())
    size = rec.points_to_pixels(artist.get_fontsize())
    style = rec._style(_TextGC(artist), None, text=True) | {
        "font": f"{artist.get_style()} {artist.get_weight()} {size:.2f}px {FONTS}",
        "align": artist.get_ha(),
        "baseline": BASELINES[artist.get_va()],
    }
    lines = artist.get_text().split("\n")
    spacing = artist.get_linespacing()
    step = size * (1.2 if spacing == "normal" else spacing)
    last = -(len(lines) - 1)  # the anchored line is the last one, or the middle one
    first = {"top": 0, "bottom": last, "baseline": last}.get(artist.get_va(), last / 2)
    for k, line in enumerate(lines):
        dy = (first + k) * step
        rec.ops.append(["t", rec.styles.index(style), round(x * SCALE),
                        round((rec.height - y + dy) * SCALE), line, 0])  # fmt: skip


def draw_text(rec, gc, x, y, s, prop, angle, ismath, mtext):
    """What matplotlib's Text.draw hands a renderer (other artists' text)."""
    if ismath:  # math text: drawn by Agg into a small image
        return _raster_text(rec, gc, x, y, s, prop)
    align = "left"
    if mtext is not None and (angle == 0 or mtext.get_rotation_mode() == "anchor"):
        ax, ay = mtext.get_transform().transform(mtext.get_unitless_position())
        ay = rec.height - ay
        rad = math.radians(angle)
        direction = np.array([math.sin(rad), math.cos(rad)])
        offset = direction @ [x - ax, y - ay]  # keep the baseline, move the anchor
        x, y = ax + offset * direction[0], ay + offset * direction[1]
        align = mtext.get_ha()
    style = rec._style(gc, None, text=True) | {
        "font": f"{prop.get_style()} {prop.get_weight()} "
        f"{rec.points_to_pixels(prop.get_size_in_points()):.2f}px {FONTS}",
        "align": align,
    }
    rec.ops.append(["t", rec.styles.index(style), round(x * SCALE), round(y * SCALE),
                    s, round(angle, 2)])  # fmt: skip


def _raster_text(rec, gc, x, y, s, prop):
    w, h, d = rec.get_text_width_height_descent(s, prop, True)
    pad = 2
    agg = RendererAgg(int(w) + 2 * pad, int(h) + 2 * pad, rec.dpi)
    agg.draw_text(gc, pad, h + pad - d, s, prop, 0, True, None)
    _png(rec, np.asarray(agg.buffer_rgba()), x - pad, y - (h - d) - pad)


def image(rec, artist):
    """An AxesImage at its own resolution, placed over its extent, not smoothed."""
    box = artist.get_window_extent()
    rgba = artist.to_rgba(artist.get_array(), bytes=True)
    if artist.origin == "lower":
        rgba = rgba[::-1]
    _png(rec, rgba, box.x0, rec.height - box.y1, box.width, box.height, smooth=0)


def _png(rec, rgba, x, y, width=None, height=None, smooth=1):
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgba)).save(buf, format="png", optimize=True)
    width = rgba.shape[1] if width is None else width
    height = rgba.shape[0] if height is None else height
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    rec.ops.append(
        ["i", *(round(v * SCALE) for v in (x, y, width, height)), uri, smooth]
    )


class _TextGC:
    """What the recorder's style reads of a graphics context, for a Text artist."""

    def __init__(self, artist):
        from matplotlib.colors import to_rgba

        self._rgba = to_rgba(artist.get_color(), artist.get_alpha())
        self._clip = artist.get_clip_box() if artist.get_clip_on() else None

    def get_forced_alpha(self):
        return False

    def get_rgb(self):
        return self._rgba

    def get_clip_rectangle(self):
        return self._clip


def palette_png(png: bytes, colors: int) -> bytes:
    """PNG bytes again, with a palette of ``colors`` colours (a third of the size)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors)
    buf = io.BytesIO()
    image.save(buf, format="png", optimize=True)
    return buf.getvalue()
