"""Record what matplotlib draws for a few artists, as data a browser can draw.

A panel's figure has a still background (axes, labels, contours), rendered
once to PNG, and a few moving artists (lines, markers, a title). This module
records the moving artists through matplotlib's own renderer interface, the
one every backend implements, as drawing operations in the figure's pixel
coordinates (origin top left, in quarter pixels, each path delta-encoded):

- ``["p", style, subpaths, closed]``: polylines and polygons,
- ``["m", style, shape, positions]``: one marker shape at many positions,
- ``["t", style, x, y, text, angle]``: a line of text,
- ``["i", x, y, width, height, png]``: a small image (AxesImage, math text).

``panel.js`` draws them on a canvas over the background, in the live panel and
in the static explorer alike. Styles (colours, widths, dashes, fonts, clip
rectangles) go in a shared table that ops refer to by index.
"""

from __future__ import annotations

import base64
import io
import math

import numpy as np
from matplotlib import rcParams
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_hex
from matplotlib.image import AxesImage
from matplotlib.path import Path

SCALE = 4  # coordinates are recorded in 1/SCALE pixels
FONTS = '"DejaVu Sans", "Bitstream Vera Sans", Verdana, sans-serif'


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


def record(fig, artists, styles: Styles) -> list[list]:
    """The ops of each artist in ``artists``: a list per artist, in drawing order."""
    recorder = Recorder(fig, styles)
    threshold = rcParams["path.simplify_threshold"]
    rcParams["path.simplify_threshold"] = 0.3  # pixels: invisible, and far fewer points
    try:
        return [recorder.ops_of(artist) for artist in artists]
    finally:
        rcParams["path.simplify_threshold"] = threshold


class Recorder(RendererBase):
    """A matplotlib renderer that writes drawing operations instead of pixels."""

    def __init__(self, fig, styles: Styles):
        super().__init__()
        self.width, self.height = fig.bbox.width, fig.bbox.height
        self.dpi, self.styles, self.ops = fig.dpi, styles, []
        self._agg = RendererAgg(int(self.width), int(self.height), self.dpi)

    def ops_of(self, artist) -> list:
        self.ops = []
        if not artist.get_visible():
            return []
        if isinstance(artist, AxesImage):
            self._image(artist)
        elif _plain_text(artist):
            self._text(artist)
        else:
            artist.draw(self)
        return self.ops

    def _text(self, text):
        """A plain Text artist, without matplotlib's font layout: the browser lays it out."""
        x, y = text.get_transform().transform(text.get_unitless_position())
        size = self.points_to_pixels(text.get_fontsize())
        style = self._style(_TextGC(text), None, text=True) | {
            "font": f"{text.get_style()} {text.get_weight()} {size:.2f}px {FONTS}",
            "align": text.get_ha(),
            "baseline": _BASELINES[text.get_va()],
        }
        lines = text.get_text().split("\n")
        spacing = text.get_linespacing()
        step = size * (1.2 if spacing == "normal" else spacing)
        first = {
            "top": 0,
            "bottom": -(len(lines) - 1),
            "baseline": -(len(lines) - 1),
        }.get(text.get_va(), -(len(lines) - 1) / 2)
        for k, line in enumerate(lines):
            dy = (first + k) * step
            self.ops.append(["t", self.styles.index(style), round(x * SCALE),
                             round((self.height - y + dy) * SCALE), line,
                             round(text.get_rotation(), 2)])  # fmt: skip

    # -- what matplotlib asks of a renderer ---------------------------------
    def get_canvas_width_height(self):
        return self.width, self.height

    def points_to_pixels(self, points):
        return points * self.dpi / 72

    def get_text_width_height_descent(self, s, prop, ismath):
        return self._agg.get_text_width_height_descent(s, prop, ismath)

    def flipy(self):
        return True  # text positions arrive with y growing downwards, like a canvas

    def option_image_nocomposite(self):
        return True

    def draw_path(self, gc, path, transform, rgbFace=None):
        subpaths, closed = self._subpaths(path, transform, rgbFace is not None)
        if subpaths:
            self.ops.append(["p", self._style(gc, rgbFace), subpaths, closed])

    def draw_markers(self, gc, marker_path, marker_trans, path, trans, rgbFace=None):
        shape = self._shape(marker_path, marker_trans)
        points = [
            v[-2:] for v, _ in path.iter_segments(trans, simplify=False) if len(v)
        ]
        if points and shape[0]:
            self._markers(gc, rgbFace, shape, np.array(points))

    def draw_path_collection(self, gc, master_transform, paths, all_transforms,
                             offsets, offset_trans, facecolors, edgecolors, linewidths,
                             linestyles, antialiaseds, urls, offset_position,
                             **kwargs):  # fmt: skip
        path_ids = list(
            self._iter_collection_raw_paths(master_transform, paths, all_transforms)
        )
        if len(offsets) == 0 or len(path_ids) != 1:  # not a scatter: path by path
            return super().draw_path_collection(
                gc, master_transform, paths, all_transforms, offsets, offset_trans,
                facecolors, edgecolors, linewidths, linestyles, antialiaseds, urls,
                offset_position, **kwargs,
            )  # fmt: skip
        (path, transform), groups = path_ids[0], {}
        shape = self._shape(path, transform)
        for xo, yo, _, gc0, rgbFace in self._iter_collection(
            gc, path_ids, offsets, offset_trans, facecolors, edgecolors, linewidths,
            linestyles, antialiaseds, urls, offset_position,
        ):  # fmt: skip
            key = (self._style(gc0, rgbFace),)
            groups.setdefault(key, []).append((xo, yo))
        for (style,), points in groups.items():
            self.ops.append(["m", style, shape, self._deltas(np.array(points))])

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:  # math text: drawn by Agg into a small image
            return self._raster_text(gc, x, y, s, prop, angle, mtext)
        align = "left"
        if mtext is not None and (angle == 0 or mtext.get_rotation_mode() == "anchor"):
            ax, ay = mtext.get_transform().transform(mtext.get_unitless_position())
            ay = self.height - ay
            rad = math.radians(angle)
            direction = np.array([math.sin(rad), math.cos(rad)])
            offset = direction @ [x - ax, y - ay]  # keep the baseline, move the anchor
            x, y = ax + offset * direction[0], ay + offset * direction[1]
            align = {"left": "left", "center": "center", "right": "right"}[
                mtext.get_ha()
            ]
        style = self._style(gc, None, text=True) | {
            "font": f"{prop.get_style()} {prop.get_weight()} "
            f"{self.points_to_pixels(prop.get_size_in_points()):.2f}px {FONTS}",
            "align": align,
        }
        self.ops.append(["t", self.styles.index(style), round(x * SCALE),
                         round(y * SCALE), s, round(angle, 2)])  # fmt: skip

    # -- helpers -----------------------------------------------------------
    def _subpaths(self, path, transform, filled, top=None):
        """Delta-encoded subpaths of ``path`` and whether each is closed.

        Open paths are simplified (0.3 px) and clipped to a margin around the
        canvas, so a diverging run's huge coordinates stay small numbers.
        """
        margin = (-self.width, -self.height, 2 * self.width, 2 * self.height)
        segments = path.iter_segments(
            transform, remove_nans=True, clip=None if filled else margin,
            simplify=not filled, curves=False,
        )  # fmt: skip
        subpaths, closed, current = [], [], []
        for vertices, code in segments:
            if code in (Path.MOVETO, Path.CLOSEPOLY) and current:
                subpaths.append(current), closed.append(int(code == Path.CLOSEPOLY))
                current = []
            if code != Path.CLOSEPOLY:
                current.append(vertices[-2:])
        if current:
            subpaths.append(current), closed.append(0)
        top = self.height if top is None else top
        return [self._deltas(np.array(sub), top, path=True) for sub in subpaths], closed

    def _deltas(self, xy, top=None, path=False) -> list[int]:
        """Vertices (k, 2) in display coordinates as deltas of quarter pixels.

        Along a path, a vertex that repeats the one before it is dropped.
        """
        top = self.height if top is None else top
        q = np.round(np.column_stack([xy[:, 0], top - xy[:, 1]]) * SCALE)
        deltas = np.diff(np.clip(q, -1e7, 1e7).astype(np.int64), axis=0, prepend=0)
        if path and len(deltas) > 1:
            deltas = deltas[np.r_[True, deltas[1:].any(axis=1)]]
        return deltas.ravel().tolist()

    def _shape(self, path, transform) -> list:
        """A marker's outline relative to its centre: subpaths and closed flags."""
        return list(self._subpaths(path, transform, filled=True, top=0.0))

    def _markers(self, gc, rgbFace, shape, points):
        self.ops.append(["m", self._style(gc, rgbFace), shape, self._deltas(points)])

    def _style(self, gc, rgbFace, text=False) -> int | dict:
        forced = gc.get_forced_alpha()
        style = {}
        if text or gc.get_linewidth() > 0:
            rgba = list(gc.get_rgb())
            if forced:
                rgba[3] = gc.get_alpha()
            style["stroke" if not text else "fill"] = _css(rgba)
        if not text:
            style["width"] = round(self.points_to_pixels(gc.get_linewidth()), 3)
            offset, dashes = gc.get_dashes()
            if dashes is not None and len(dashes):
                style["dash"] = [round(self.points_to_pixels(d), 2) for d in dashes]
            style["cap"], style["join"] = gc.get_capstyle(), gc.get_joinstyle()
            if rgbFace is not None:
                face = list(rgbFace) + [1.0] * (4 - len(rgbFace))
                if forced:
                    face[3] = gc.get_alpha()
                style["fill"] = _css(face)
        box = gc.get_clip_rectangle()
        if box is not None:
            x0, y0, x1, y1 = box.extents
            style["clip"] = [
                round(v, 2) for v in (x0, self.height - y1, x1 - x0, y1 - y0)
            ]
        return style if text else self.styles.index(style)

    def _raster_text(self, gc, x, y, s, prop, angle, mtext):
        w, h, d = self.get_text_width_height_descent(s, prop, True)
        pad = 2
        agg = RendererAgg(int(w) + 2 * pad, int(h) + 2 * pad, self.dpi)
        agg.draw_text(gc, pad, h + pad - d, s, prop, 0, True, None)
        self._png(np.asarray(agg.buffer_rgba()), x - pad, y - (h - d) - pad)

    def _image(self, image):
        """An AxesImage at its own resolution, placed over its extent."""
        box = image.get_window_extent()
        rgba = image.to_rgba(image.get_array(), bytes=True)
        if image.origin == "lower":
            rgba = rgba[::-1]
        self._png(rgba, box.x0, self.height - box.y1, box.width, box.height, smooth=0)

    def _png(self, rgba, x, y, width=None, height=None, smooth=1):
        from PIL import Image

        buf = io.BytesIO()
        Image.fromarray(np.ascontiguousarray(rgba)).save(
            buf, format="png", optimize=True
        )
        width = rgba.shape[1] if width is None else width
        height = rgba.shape[0] if height is None else height
        uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
        self.ops.append(
            ["i", *(round(v * SCALE) for v in (x, y, width, height)), uri, smooth]
        )


def _css(rgba) -> str:
    r, g, b, a = rgba
    return (
        to_hex((r, g, b))
        if a >= 1
        else f"rgba({r * 255:.0f},{g * 255:.0f},{b * 255:.0f},{a:.3g})"
    )


_BASELINES = {"top": "top", "bottom": "bottom", "center": "middle",
              "baseline": "alphabetic", "center_baseline": "middle"}  # fmt: skip


def _plain_text(artist) -> bool:
    """A Text without math, box or path effects, unrotated: the browser can set it."""
    from matplotlib.text import Text

    return (
        type(artist) is Text
        and not artist.get_bbox_patch()
        and not artist.get_path_effects()
        and "$" not in artist.get_text()
        and artist.get_rotation() == 0
    )


class _TextGC:
    """What ``_style`` reads of a graphics context, for a Text artist."""

    def __init__(self, text):
        from matplotlib.colors import to_rgba

        self._rgba = to_rgba(text.get_color(), text.get_alpha())
        self._clip = text.get_clip_box() if text.get_clip_on() else None

    def get_forced_alpha(self):
        return False

    def get_rgb(self):
        return self._rgba

    def get_clip_rectangle(self):
        return self._clip
