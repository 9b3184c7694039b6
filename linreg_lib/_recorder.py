"""Record what matplotlib draws for a few artists, as data a browser can draw.

A panel's figure has a still background, rendered once to PNG, and a few
moving artists. This renderer records them through matplotlib's own renderer
interface as operations in the figure's pixels (origin top left, quarter
pixels, paths delta-encoded): ``["p", style, subpaths, closed]`` polylines and
polygons; ``["m", style, shape, positions]`` markers; ``["t", style, x, y,
text, angle]`` text; ``["i", x, y, w, h, png]`` small images (see
``_recorder_media.py``). ``static/panel.js`` draws them on a canvas, live and
in the static explorer alike; styles go in a shared table.
"""

from __future__ import annotations

import numpy as np
from matplotlib import rcParams
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.image import AxesImage
from matplotlib.path import Path

from . import _recorder_media as media
from . import _recorder_style

SCALE = media.SCALE  # coordinates are recorded in 1/SCALE pixels
Styles = _recorder_style.Styles


def record(fig, artists, styles) -> list[list]:
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
            media.image(self, artist)
        elif media.plain_text(artist):
            media.text(self, artist)
        else:
            artist.draw(self)
        return self.ops

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

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        media.draw_text(self, gc, x, y, s, prop, angle, ismath, mtext)

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
            style = self._style(gc, rgbFace)
            self.ops.append(["m", style, shape, self._deltas(np.array(points))])

    def draw_path_collection(
        self, gc, master, paths, transforms, offsets, offset_trans, *rest, **kw
    ):
        """A scatter (one path, many offsets) as markers; anything else path by path."""
        path_ids = list(self._iter_collection_raw_paths(master, paths, transforms))
        if len(offsets) == 0 or len(path_ids) != 1:
            args = (gc, master, paths, transforms, offsets, offset_trans, *rest)
            return super().draw_path_collection(*args, **kw)
        (path, transform), groups = path_ids[0], {}
        shape = self._shape(path, transform)
        for xo, yo, _, gc0, rgbFace in self._iter_collection(
            gc, path_ids, offsets, offset_trans, *rest, **kw
        ):
            groups.setdefault(self._style(gc0, rgbFace), []).append((xo, yo))
        for style, points in groups.items():
            self.ops.append(["m", style, shape, self._deltas(np.array(points))])

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
        """Vertices (k, 2) as quarter-pixel deltas (on a path, repeats dropped)."""
        top = self.height if top is None else top
        xy = np.clip(np.column_stack([xy[:, 0], top - xy[:, 1]]), -1e6, 1e6)  # finite
        deltas = np.diff(np.round(xy * SCALE).astype(np.int64), axis=0, prepend=0)
        if path and len(deltas) > 1:
            deltas = deltas[np.r_[True, deltas[1:].any(axis=1)]]
        return deltas.ravel().tolist()

    def _shape(self, path, transform) -> list:
        """A marker's outline relative to its centre: subpaths and closed flags."""
        return list(self._subpaths(path, transform, filled=True, top=0.0))

    def _style(self, gc, rgbFace, text=False):
        return _recorder_style.style(self, gc, rgbFace, text)
