"""Panels: the recorder draws what matplotlib draws, the explorer what the panel does.

Oracles: matplotlib's own transforms (a recorded vertex must sit where the
axes put the data point, to a quarter pixel); a direct recording at the same
settings (every frame the explorer stores, prefix-compressed or not, must
decode to exactly what recording the panel at those settings gives).
"""

from __future__ import annotations

import base64
import gzip
import json
import re

import matplotlib

matplotlib.use("Agg")  # noqa: E402  (no display in tests)

import numpy as np
import pytest
from matplotlib.figure import Figure

import linreg_lib
from linreg_lib import explorer
from linreg_lib._recorder import SCALE, Styles, record
from linreg_lib.controls import Choice, Slider, Toggle, log_stops
from linreg_lib.figures import TrainingFigure
from linreg_lib.panels import Panel

from .conftest import TRUE_B, TRUE_W


def decode_path(deltas):
    """Delta-encoded quarter pixels back to (k, 2) pixel coordinates."""
    return np.cumsum(np.reshape(deltas, (-1, 2)), axis=0) / SCALE


def test_a_line_is_recorded_where_matplotlib_draws_it():
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_subplot(xlim=(0, 10), ylim=(-1, 1))
    x = np.linspace(0, 10, 7)
    (line,) = ax.plot(x, np.sin(x), color="tab:red", lw=2, ls="--")
    fig.draw_without_rendering()
    [[op]] = record(fig, [line], styles := Styles())
    assert op[0] == "p" and len(op[2]) == 1
    expected = ax.transData.transform(np.column_stack([x, np.sin(x)]))
    expected[:, 1] = fig.bbox.height - expected[:, 1]  # the canvas's y grows downwards
    np.testing.assert_allclose(decode_path(op[2][0]), expected, atol=0.5 / SCALE)
    style = styles.table[op[1]]
    assert style["stroke"] == "#d62728" and style["width"] == pytest.approx(
        2 * 100 / 72, abs=1e-3
    )
    assert style["dash"] and style["clip"][2] == pytest.approx(ax.bbox.width, abs=0.01)


def test_markers_text_and_scatter_keep_their_positions():
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_subplot(xlim=(0, 4), ylim=(0, 4))
    (dots,) = ax.plot([1, 2, 3], [1, 2, 1], "o", ms=5)
    cloud = ax.scatter([0.5, 3.5], [3.5, 0.5], s=20, color="black")
    title = ax.set_title("loss 0.5 (k€)²", ha="center")
    fig.draw_without_rendering()
    (marks,), (scatter,), (text,) = record(fig, [dots, cloud, title], Styles())
    assert marks[0] == scatter[0] == "m" and text[0] == "t"
    for op, xy in (
        (marks, [[1, 1], [2, 2], [3, 1]]),
        (scatter, [[0.5, 3.5], [3.5, 0.5]]),
    ):
        expected = ax.transData.transform(xy)
        expected[:, 1] = fig.bbox.height - expected[:, 1]
        np.testing.assert_allclose(decode_path(op[3]), expected, atol=0.5 / SCALE)
    assert text[4] == "loss 0.5 (k€)²"
    anchor = title.get_transform().transform(title.get_position())
    assert text[2] / SCALE == pytest.approx(anchor[0], abs=0.5)


def test_a_diverging_path_is_clipped_to_small_numbers():
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_subplot(xlim=(0, 1), ylim=(0, 1))
    (line,) = ax.plot([0, 0.5, 1e150, np.inf], [0, 0.5, -1e150, 0])
    [[op]] = record(fig, [line], Styles())
    assert max(abs(v) for v in op[2][0]) < 10 * SCALE * fig.bbox.width


@pytest.fixture(scope="module")
def training_panel(d2l_data):
    X, y = d2l_data
    figure = TrainingFigure(X, y, TRUE_W, TRUE_B, max_epochs=4)
    limit = linreg_lib.stability_limit(X)

    def update(lr, batch_size, num_epochs):
        h = linreg_lib.train_scan(X, y, lr=lr, batch_size=batch_size,
                                  num_epochs=num_epochs, seed=1, record_steps=True)  # fmt: skip
        return figure.update(h)

    controls = {
        "lr": Slider(
            "learning rate", [0.01, 0.03, 1.0, 2.5], 0.03, mark=(limit, "limit")
        ),
        "batch_size": Slider("batch size", [1, 10], 10, fmt="d"),
        "num_epochs": Slider("epochs", [1, 2, 3, 4], 3, fmt="d", prefix=True),
    }
    return Panel(figure.fig, update, controls, artists=figure.artists, name="training",
                 alt="Loss, error and path of one training run.")  # fmt: skip


def resolve(data, state_id):
    """The explorer's states decoded as panel.js decodes them (prefix references)."""
    state = data["states"][state_id]
    if isinstance(state, list):
        return state
    base = resolve(data, state["r"])
    out = []
    for op, n, tail in zip(base, state["n"], state["t"], strict=True):
        if op[0] == "p":
            out.append([op[0], op[1], [op[2][0][:n] + tail], op[3]])
        else:
            out.append([op[0], op[1], op[2], op[3][:n] + tail])
    return out


def test_every_explorer_frame_is_exactly_the_panels_drawing(training_panel):
    data = explorer.build(training_panel)
    sizes = [len(c["stops"]) for c in data["controls"]]
    assert len(data["frames"]) == np.prod(sizes) == 32
    assert any(isinstance(s, dict) for s in data["states"])  # shorter runs are prefixes
    for flat, frame in enumerate(data["frames"]):
        index = np.unravel_index(flat, sizes)
        values = {c["name"]: training_panel.controls[c["name"]].stops[i]
                  for c, i in zip(data["controls"], index, strict=True)}  # fmt: skip
        training_panel.set(**values)
        ops, status = training_panel.draw()
        decoded = [op for state in frame[2:] for op in resolve(data, state)]
        styles = data["styles"]
        assert json.dumps(decoded) == json.dumps(ops)  # same ops, same style ids...
        assert (
            styles[: len(training_panel._styles.table)] == training_panel._styles.table
        )
        assert data["status"][frame[0]] == status


def test_an_explorer_drawn_in_two_processes_is_the_one_drawn_in_one(training_panel):
    assert explorer.build(training_panel, processes=2) == explorer.build(
        training_panel, processes=1
    )


def test_the_page_carries_the_data_gzipped_and_a_fallback(training_panel):
    data = explorer.build(training_panel)
    page = explorer.html_of(training_panel, data)
    packed = re.search(r'class="linreg-data">([^<]+)<', page)[1]
    assert json.loads(gzip.decompress(base64.b64decode(packed))) == data
    assert 'data-panel="training"' in page and 'alt="Loss, error' in page
    assert "32 drawings recorded" in page


def test_live_bundle_and_still(training_panel, monkeypatch):
    monkeypatch.delenv("LINREG_BOOK", raising=False)
    data, _ = training_panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert "live when the notebook runs" in data["text/html"]
    assert "data:image/png;base64," in data["text/html"]
    monkeypatch.setenv("LINREG_BOOK", "1")
    data, _ = training_panel._repr_mimebundle_()
    assert "linreg-data" in data["text/html"]


def test_the_kernel_answers_a_ping(training_panel):
    sent = []
    training_panel.send = sent.append
    training_panel._answer(training_panel, {"ping": 42}, [])
    assert sent == [{"pong": 42}]


def test_a_control_that_cannot_act_is_disabled_with_a_reason():
    fig = Figure()
    (line,) = fig.add_subplot().plot([0, 1], [0, 1])
    controls = {
        "optimizer": Choice("optimiser", ["SGD", "Momentum"], "SGD"),
        "momentum": Slider(
            "momentum",
            [0.0, 0.9],
            0.9,
            enabled_if=lambda v: v["optimizer"] != "SGD",
            why="plain SGD has no momentum",
        ),  # fmt: skip
        "average": Toggle("average"),
    }
    panel = Panel(fig, lambda **v: None, controls, artists=[line], name="opt")
    assert panel.frame["disabled"] == 0b010
    panel.set(optimizer="Momentum")
    assert panel.frame["disabled"] == 0
    assert panel.spec["controls"][1]["why"] == "plain SGD has no momentum"
    with pytest.raises(ValueError, match="say why"):
        Slider("momentum", [0.0], 0.0, enabled_if=lambda v: True)


def test_learning_rate_stops_bracket_the_limit():
    limit = 1.815
    stops = log_stops(1e-3, 3, 24, include=[0.03, 0.95 * limit, 1.05 * limit])
    assert len(stops) >= 24 and 0.03 in stops
    below = max(s for s in stops if s < limit)
    above = min(s for s in stops if s > limit)
    assert below / limit > 0.9 and above / limit < 1.1
    slider = Slider("lr", stops, 0.03, mark=(limit, "limit"))
    at = slider.spec()["mark"]["at"]
    assert stops.index(below) < at < stops.index(above)


def test_the_background_holds_nothing_that_moves():
    """savefig draws animated artists too: the panel hides its moving ones instead."""
    import io

    from PIL import Image

    fig = Figure(figsize=(3, 2), dpi=50)
    ax = fig.add_subplot(xlim=(0, 1), ylim=(0, 1))
    (line,) = ax.plot([0, 1], [0, 1], lw=8, color="red")  # starts with data
    panel = Panel(fig, lambda slope: line.set_ydata([0, slope]) and None,
                  {"slope": Slider("slope", [0.0, 1.0], 1.0)}, artists=[line], name="p")  # fmt: skip
    png = base64.b64decode(panel.spec["background"].split(",", 1)[1])
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    red = (pixels[..., 0] > 200) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)
    assert not red.any()  # no ghost of the line's first state
    assert line.get_visible()  # and the line itself is left as it was


def test_a_quiver_is_recorded_as_markers_at_its_tails():
    fig = Figure(figsize=(3, 3), dpi=50)
    ax = fig.add_subplot(xlim=(-1, 2), ylim=(-1, 2))
    arrow = ax.quiver(
        [0.5], [0.5], [1.0], [0.5], angles="xy", scale_units="xy", scale=1
    )
    fig.draw_without_rendering()
    [[op]] = record(fig, [arrow], Styles())
    assert op[0] == "m"  # one arrow shape at its one offset
    np.testing.assert_allclose(
        decode_path(op[3])[0],
        [ax.transData.transform([0.5, 0.5])[0],
         fig.bbox.height - ax.transData.transform([0.5, 0.5])[1]],
        atol=0.5,
    )  # fmt: skip


def test_a_moving_axes_title_stays_where_matplotlib_put_it():
    fig = Figure(figsize=(3, 2), dpi=50)
    ax = fig.add_subplot(xlim=(0, 1), ylim=(0, 1))
    title = ax.set_title("start")
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    before = title.get_position()
    panel = Panel(fig, lambda t: title.set_text(f"at {t}") and None,
                  {"t": Slider("t", [0.0, 1.0], 0.0)}, artists=[title], name="titled")  # fmt: skip
    assert title.get_position() == before
    (op,) = panel.frame["ops"]
    assert 0 < op[3] / SCALE < fig.bbox.height  # drawn on the canvas, near the top
