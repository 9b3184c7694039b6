"""Styles for the recorder (``_recorder.py``): colours, widths, dashes, clips.

A style is a small dict (stroke, fill, width, dash, cap, join, font, align,
clip); ``Styles`` numbers the distinct ones, and ops refer to them by index.
"""

from __future__ import annotations

from matplotlib.colors import to_hex


class Styles:
    """A table of distinct styles; ``index(style)`` adds one if it is new."""

    def __init__(self):
        self.table, self._ids = [], {}

    def index(self, style: dict) -> int:
        key = tuple(sorted((k, str(v)) for k, v in style.items()))
        if key not in self._ids:
            self._ids[key] = len(self.table)
            self.table.append(style)
        return self._ids[key]


def style(rec, gc, rgbFace, text=False) -> int | dict:
    """The style of a graphics context: its index in the table (a dict for text)."""
    forced = gc.get_forced_alpha()
    style = {}
    if text or gc.get_linewidth() > 0:
        rgba = list(gc.get_rgb())
        if forced:
            rgba[3] = gc.get_alpha()
        style["stroke" if not text else "fill"] = _css(rgba)
    if not text:
        style["width"] = round(rec.points_to_pixels(gc.get_linewidth()), 3)
        offset, dashes = gc.get_dashes()
        if dashes is not None and len(dashes):
            style["dash"] = [round(rec.points_to_pixels(d), 2) for d in dashes]
        style["cap"], style["join"] = gc.get_capstyle(), gc.get_joinstyle()
        if rgbFace is not None:
            face = list(rgbFace) + [1.0] * (4 - len(rgbFace))
            if forced:
                face[3] = gc.get_alpha()
            style["fill"] = _css(face)
    box = gc.get_clip_rectangle()
    if box is not None:
        x0, y0, x1, y1 = box.extents
        style["clip"] = [round(v, 2) for v in (x0, rec.height - y1, x1 - x0, y1 - y0)]
    return style if text else rec.styles.index(style)


def _css(rgba) -> str:
    r, g, b, a = rgba
    return (
        to_hex((r, g, b))
        if a >= 1
        else f"rgba({r * 255:.0f},{g * 255:.0f},{b * 255:.0f},{a:.3g})"
    )
