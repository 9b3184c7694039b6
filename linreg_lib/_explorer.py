"""What a panel shows in the static HTML book, where no kernel runs.

Either a still of the panel at its default values, or an *explorer*: one frame
per combination of a few control values, precomputed when the notebook runs,
and range inputs driven by a dozen lines of inline JavaScript that swap the
image. Everything is inside the page (no CDN, no network); frames are
palette-quantised PNGs of about 15 kB each.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import itertools
import json
import math
import sys

NOTE = (
    "Without a running kernel this is a still image at the default values. "
    "To move the sliders, run the notebook: launch it on Binder or Colab from "
    "the rocket icon at the top of the page, or locally as the README describes."
)
EXPLORER_NOTE = (
    "Without a running kernel, these sliders scrub {count} images computed when "
    "the book was built. For any other value, run the notebook: launch it on "
    "Binder or Colab from the rocket icon at the top of the page, or locally."
)

SCRIPT = """(function () {
  var root = document.getElementById("%(id)s");
  var frames = %(frames)s, shape = %(shape)s, labels = %(labels)s;
  var statuses = %(statuses)s;
  var img = root.querySelector("img");
  var status = root.querySelector(".linreg-explorer-status");
  var inputs = root.querySelectorAll("input[type=range]");
  function show() {
    var index = 0;
    inputs.forEach(function (input, k) {
      index = index * shape[k] + Number(input.value);
      root.querySelectorAll("output")[k].textContent = labels[k][input.value];
    });
    img.src = "data:image/png;base64," + frames[index];
    status.textContent = statuses[index];
  }
  inputs.forEach(function (input) { input.addEventListener("input", show); });
})();"""


def escape(text: str) -> str:
    return html.escape(text)


def still(png: bytes) -> str:
    """A figure with the still and the note on how to get the live panel."""
    data = base64.b64encode(png).decode()
    return (
        '<figure class="linreg-panel-still"><img alt="the panel at its default '
        f'values" src="data:image/png;base64,{data}"/><figcaption>{NOTE}'
        "</figcaption></figure>"
    )


def explorer(panel, explore: dict, marks: dict) -> str:
    """An explorer over every combination of ``explore``'s values."""
    names = list(explore)
    defaults = panel.values
    frames, statuses = [], []
    combos = list(itertools.product(*(explore[name] for name in names)))
    for combo in _progress(combos):
        png, status = panel.frame(**dict(zip(names, combo, strict=True)))
        frames.append(_quantised(png))
        statuses.append(status)
    panel.frame(**defaults)  # leave the live figure at the defaults
    uid = "linreg-explorer-" + hashlib.sha1("".join(frames).encode()).hexdigest()[:10]
    start = [_nearest(explore[name], defaults[name]) for name in names]
    labels = [[f"{v:.3g}" if isinstance(v, float) else str(v) for v in explore[n]]
              for n in names]  # fmt: skip
    rows = "".join(
        _slider(panel.controls[name].description, explore[name], start[k],
                labels[k], marks.get(name))
        for k, name in enumerate(names)
    )  # fmt: skip
    index = 0
    for k, name in enumerate(names):
        index = index * len(explore[name]) + start[k]
    script = SCRIPT % {
        "id": uid, "frames": json.dumps(frames),
        "shape": json.dumps([len(explore[n]) for n in names]),
        "labels": json.dumps(labels), "statuses": json.dumps(statuses),
    }  # fmt: skip
    return (
        f'<figure class="linreg-explorer" id="{uid}">'
        f'<img alt="panel frame" src="data:image/png;base64,{frames[index]}"/>'
        f'<div class="linreg-explorer-controls">{rows}</div>'
        f'<div class="linreg-explorer-status" style="font-size:small">'
        f"{escape(statuses[index])}</div><figcaption>"
        f"{EXPLORER_NOTE.format(count=len(frames))}</figcaption>"
        f"<script>{script}</script></figure>"
    )


def _progress(items):
    """A progress bar on stderr, shown only if the work takes over a second."""
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm is optional: no bar, same frames
        return items
    return tqdm(items, desc="frames for the static book", unit="frame", delay=1.0,
                leave=False, file=sys.stderr)  # fmt: skip


def _slider(description, values, start, labels, mark) -> str:
    tick = ""
    if mark is not None:
        value, label = mark
        pct = 100 * _position(values, value) / max(len(values) - 1, 1)
        tick = (
            f'<span title="{escape(label)}" style="position:absolute;left:{pct:.1f}%;'
            'top:0;bottom:0;border-left:3px solid #d62728"></span>'
        )
        label = f' <small style="color:#d62728">| {escape(label)}</small>'
    else:
        label = ""
    return (
        f'<div style="margin:0.3em 0"><label>{escape(description)} '
        '<span style="position:relative;display:inline-block;width:18em;'
        f'vertical-align:middle">{tick}<input type="range" min="0" '
        f'max="{len(values) - 1}" step="1" value="{start}" style="width:100%"/>'
        f"</span> <output>{labels[start]}</output></label>{label}</div>"
    )


def _nearest(values, value) -> int:
    if value in list(values):
        return list(values).index(value)
    scale = _scaler(values)
    return min(range(len(values)), key=lambda i: abs(scale(values[i]) - scale(value)))


def _position(values, value) -> float:
    """Fractional index of ``value`` among sorted ``values`` (log scale if all > 0)."""
    scale = _scaler(values)
    xs, x = [scale(v) for v in values], scale(value)
    for i in range(len(xs) - 1):
        if xs[i] <= x <= xs[i + 1]:
            return i + (x - xs[i]) / (xs[i + 1] - xs[i])
    return 0.0 if x < xs[0] else len(xs) - 1.0


def _scaler(values):
    """Log scale for a slider whose values are all positive, linear otherwise."""
    if all(isinstance(v, int | float) and v > 0 for v in values):
        return lambda v: math.log(v) if v > 0 else -math.inf
    return lambda v: float(v) if isinstance(v, int | float) else 0.0


def _quantised(png: bytes) -> str:
    """Base64 of the frame as a 64-colour palette PNG (a quarter of the bytes)."""
    from PIL import Image

    rgb = Image.open(io.BytesIO(png)).convert("RGB")
    image = rgb.quantize(colors=64, method=Image.Quantize.FASTOCTREE)
    buf = io.BytesIO()
    image.save(buf, format="png")
    return base64.b64encode(buf.getvalue()).decode()
