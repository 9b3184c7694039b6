"""A panel without a kernel: every frame recorded once, for the static book.

When the book is built, each panel runs its ``update`` for every combination of
its controls' stops and records the moving artists (see ``_recorder.py``).
Identical drawings are stored once; a drawing that starts another one (the
same run, fewer epochs) is stored as that one's first n points plus a short
tail. The data go into the page gzipped (about a tenth of the JSON), and
``panel.js`` looks a frame up on every move: no kernel, no network, no image
to decode. Frames are indexed by the controls' stop indices, in mixed radix.
"""

from __future__ import annotations

import functools
import itertools
import json

from . import _panel_pages
from ._basic_checks import check_int
from ._halves import map_halves
from ._recorder import Styles, record

__all__ = ["build", "html_of"]


def html_of(panel, data: dict) -> str:
    """The explorer's HTML for the book page: see ``_panel_pages.py``."""
    return _panel_pages.explorer_html(panel, data)


def build(panel, processes: int | None = None) -> dict:
    """Every frame of ``panel``: the data ``panel.js`` explores.

    Drawn in two processes where ``processes`` (default: the machine's cores)
    allows two, and in one otherwise (see ``_halves.py``): the data are the same.
    """
    _check_panel(panel)
    if processes is not None:
        check_int("processes", processes, 1)
    names = list(panel.controls)
    sizes = [len(panel.controls[n].stops) for n in names]
    prefix = [
        k for k, n in enumerate(names) if getattr(panel.controls[n], "prefix", False)
    ]
    styles, states, ids = panel._styles, [], {}  # the live panel's style numbers
    frames, statuses, status_ids = [None] * _product(sizes), [], {}
    bases = {}  # (other stops) -> state ids at the longest prefix stop
    combos = list(itertools.product(*(range(s) for s in sizes)))
    if prefix:  # the longest run first, so that shorter ones can point into it
        k = prefix[0]
        combos = sorted(combos, key=lambda c: (c[:k] + c[k + 1 :], -c[k]))
    drawn = map_halves(functools.partial(_draw, panel), combos, processes)
    for combo, (status, mask, per_artist) in zip(combos, drawn, strict=True):
        for ops in per_artist:  # styles numbered in the panel's table, in order
            for op in ops:
                if op[0] in "pmt":
                    op[1] = styles.index(op[1])
        key = combo[: prefix[0]] + combo[prefix[0] + 1 :] if prefix else None
        base = bases.get(key) if prefix else None
        row = []
        for a, ops in enumerate(per_artist):
            state = _as_prefix(ops, states, base[a]) if base else None
            row.append(_intern(state if state is not None else ops, states, ids))
        if prefix and base is None:
            bases[key] = row
        status_ids.setdefault(status, len(statuses))
        if status_ids[status] == len(statuses):
            statuses.append(status)
        flat = 0
        for i, size in zip(combo, sizes, strict=True):
            flat = flat * size + i
        frames[flat] = [status_ids[status], mask, *row]
    panel.update(**panel.values)  # leave the figure at the panel's own settings
    spec = {
        k: v for k, v in panel.spec.items() if k != "background"
    }  # in the page once
    return {**spec, "styles": styles.table, "states": states, "frames": frames,
            "status": statuses}  # fmt: skip


def _draw(panel, combo) -> tuple[str, int, list]:
    """One frame: its status, disabled mask and ops, each op's style as a dict."""
    values = {
        n: c.stops[i] for (n, c), i in zip(panel.controls.items(), combo, strict=True)
    }
    status = panel.update(**values) or ""
    table = Styles()
    per_artist = record(panel.fig, panel.artists, table)
    for ops in per_artist:
        for op in ops:
            if op[0] in "pmt":
                op[1] = table.table[op[1]]
    return status, panel.disabled_mask(values), per_artist


def _check_panel(panel):
    from .panels import Panel

    if not isinstance(panel, Panel):
        raise TypeError(f"panel must be a linreg_lib.panels.Panel, got {panel!r:.60}")


def _intern(state, states, ids) -> int:
    key = json.dumps(state, separators=(",", ":"))
    if key not in ids:
        ids[key] = len(states)
        states.append(state)
    return ids[key]


def _as_prefix(ops, states, base_id):
    """``ops`` as the start of the base state's ops plus short tails, if they are.

    Each path (one subpath) and each set of markers must begin with the base's
    points: a run cut after fewer epochs. Returns ``{"r", "n", "t"}`` or None.
    """
    base = states[base_id]
    if not isinstance(base, list) or len(base) != len(ops) or not ops:
        return None
    counts, tails = [], []
    for op, full in zip(ops, base, strict=True):
        if op[0] != full[0] or op[1] != full[1] or op[0] not in "pm":
            return None
        if op[0] == "p" and (len(op[2]) != 1 or len(full[2]) != 1 or op[3] != full[3]):
            return None
        if op[0] == "m" and op[2] != full[2]:
            return None
        mine, theirs = (op[2][0], full[2][0]) if op[0] == "p" else (op[3], full[3])
        n, limit = 0, min(len(mine), len(theirs))
        while n < limit and mine[n] == theirs[n]:
            n += 1
        n -= n % 2  # whole (dx, dy) pairs
        if len(mine) - n > 8:  # more than four points of tail: not a prefix
            return None
        counts.append(n), tails.append(mine[n:])
    return {"r": base_id, "n": counts, "t": tails}


def _product(sizes) -> int:
    total = 1
    for size in sizes:
        total *= size
    return total
