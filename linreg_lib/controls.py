"""The controls of a slider panel: what a reader can move, and to which values.

Every control moves over a fixed list of stops, the same in the live notebook
and in the static book, so a setting always means the same figure and a link
can name it. ``Slider`` is numeric (shown with its value, optionally with a
mark such as the stability limit on its track); ``Choice`` picks one of a few
options (radio buttons); ``Toggle`` is a checkbox. ``enabled_if`` says when a
control has an effect, and ``why`` what the reader is told when it has none.
``log_stops`` makes a learning-rate grid. Chapter "Training".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _checks

__all__ = ["Slider", "Choice", "Toggle", "log_stops"]


@dataclass
class _Control:
    label: str
    stops: list
    value: object
    enabled_if: object = None  # callable(values) -> bool, or None: always
    why: str = ""  # shown when the control is disabled

    def __post_init__(self):
        if not isinstance(self.label, str) or not self.label:
            raise TypeError(f"label must be a non-empty string, got {self.label!r}")
        if not isinstance(self.stops, list | tuple | range) or not self.stops:
            raise ValueError(
                f"{self.label}: stops must be a non-empty list, got {self.stops!r}"
            )
        self.stops = list(self.stops)
        if self.value not in self.stops:
            raise ValueError(
                f"{self.label}: value {self.value!r} is not one of its stops"
            )
        if self.enabled_if is not None and not callable(self.enabled_if):
            raise TypeError(
                f"{self.label}: enabled_if must be callable(values) or None"
            )
        if self.enabled_if is not None and not self.why:
            raise ValueError(f"{self.label}: say why it can be disabled (why=...)")

    def index(self, value) -> int:
        """The position of ``value`` among the stops; ValueError if it is not one."""
        if value not in self.stops:
            raise ValueError(
                f"{self.label}: {value!r} is not one of its stops {self.stops}"
            )
        return self.stops.index(value)

    def _text(self, value) -> str:
        return str(value)

    def spec(self) -> dict:
        """What the browser needs to draw the control."""
        return {"kind": self.kind, "label": self.label, "why": self.why,
                "stops": [self._text(v) for v in self.stops],
                "value": self.index(self.value)}  # fmt: skip


@dataclass
class Slider(_Control):
    """A slider over numeric ``stops``; ``mark=(value, label)`` ticks its track.

    ``prefix=True`` says that the figure at a smaller stop is the beginning of
    the figure at a larger one (epochs of one run): the static book then keeps
    one run and cuts it, instead of storing every length.
    """

    fmt: str = ".3g"
    mark: tuple | None = None
    prefix: bool = False
    kind = "slider"

    def __post_init__(self):
        super().__post_init__()
        if not isinstance(self.fmt, str):
            raise TypeError(f"{self.label}: fmt must be a format spec such as '.3g'")
        _checks.check_bool("prefix", self.prefix)
        for stop in self.stops:
            _checks.check_range(f"{self.label}: a stop", stop, -math.inf)
        if self.mark is not None:
            value, label = self.mark
            _checks.check_range(f"{self.label}: the mark", value, -math.inf)
            if not isinstance(label, str):
                raise TypeError(f"{self.label}: the mark's label must be a string")

    def _text(self, value) -> str:
        return f"{value:{self.fmt}}"

    def spec(self) -> dict:
        spec = super().spec()
        if self.mark is not None:
            spec["mark"] = {"at": self._position(self.mark[0]), "label": self.mark[1]}
        return spec

    def _position(self, value) -> float:
        """Where ``value`` falls along the stops, as a fractional stop index."""
        scale = math.log if all(v > 0 for v in self.stops) and value > 0 else float
        xs = [scale(v) for v in self.stops]
        return float(np.interp(scale(value), xs, np.arange(len(xs))))


class Choice(_Control):
    """One of a few ``stops`` (strings), as radio buttons."""

    kind = "choice"

    def __post_init__(self):
        super().__post_init__()
        if not all(isinstance(stop, str) for stop in self.stops):
            raise TypeError(
                f"{self.label}: a Choice's stops are strings, got {self.stops}"
            )


class Toggle(_Control):
    """A checkbox, between False and True."""

    kind = "toggle"

    def __init__(self, label: str, value: bool = False, enabled_if=None, why: str = ""):
        super().__init__(label, [False, True], value, enabled_if, why)


def log_stops(low: float, high: float, count: int, *, include=()) -> list[float]:
    """``count`` log-spaced stops from ``low`` to ``high``, plus ``include``, sorted.

    Rounded to three significant digits, so they read well on a slider.
    """
    low, high = _checks.check_positive("low", low), _checks.check_positive("high", high)
    count = _checks.check_int("count", count, 2)
    values = {float(f"{v:.3g}") for v in np.geomspace(low, high, count)}
    values |= {float(f"{_checks.check_positive('include', v):.3g}") for v in include}
    return sorted(values)
