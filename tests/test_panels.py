"""The shared panel helper and the live training figure, driven without a kernel."""

import base64

import numpy as np
import pytest

import linreg_lib
from linreg_lib.figures import TrainingFigure
from linreg_lib.panels import Panel, int_slider, log_slider
from linreg_lib.plotting import render_png

from .conftest import TRUE_B, TRUE_W


def make_panel(d2l_data):
    X, y = d2l_data
    figure = TrainingFigure(X, y, TRUE_W, TRUE_B)
    calls = []

    def update(lr, batch_size, num_epochs):
        calls.append((lr, batch_size, num_epochs))
        h = linreg_lib.train(
            X, y, lr=lr, batch_size=batch_size, num_epochs=num_epochs, seed=0,
            record_steps=True,
        )  # fmt: skip
        return figure.update(h)

    controls = {
        "lr": log_slider("lr", 0.03, 1e-3, 3.0),
        "batch_size": int_slider("batch size", 10, 1, 100),
        "num_epochs": int_slider("epochs", 3, 1, 10),
    }
    return Panel(figure.fig, update, controls), figure, calls


def test_panel_retrains_and_redraws_on_every_move(d2l_data):
    panel, figure, calls = make_panel(d2l_data)
    assert calls == [(0.03, 10, 3)]  # drawn once at the defaults
    assert all(c.continuous_update is False for c in panel.controls.values())
    first = bytes(panel.image.value)
    assert first.startswith(b"\x89PNG")
    panel.set(num_epochs=5)
    assert calls[-1] == (0.03, 10, 5)
    assert bytes(panel.image.value) != first
    x, _ = figure.lines["loss"].get_data()
    assert list(x) == [0, 1, 2, 3, 4, 5]


def test_panel_shows_divergence_instead_of_nans(d2l_data):
    panel, figure, _ = make_panel(d2l_data)
    panel.set(lr=2.9)
    assert "stability limit" in panel.status.value
    assert "diverged" in figure.title.get_text()
    for line in figure.lines.values():
        x, y = line.get_data()
        assert np.isfinite(np.asarray(y, float)).all()
    panel.set(lr=0.03)
    assert "diverged" not in figure.title.get_text()


def test_static_html_shows_the_default_still(d2l_data):
    panel, _, _ = make_panel(d2l_data)
    still = bytes(panel.image.value)
    panel.set(lr=0.5)
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    html = bundle["text/html"]
    assert base64.b64encode(still).decode() in html  # the defaults, not the last move
    assert "Binder" in html and "<figcaption>" in html


def test_training_figure_shows_final_parameters(d2l_data):
    X, y = d2l_data
    figure = TrainingFigure(X, y, TRUE_W, TRUE_B)
    h = linreg_lib.train(X, y, seed=0, record_steps=True)
    summary = figure.update(h)
    assert f"{h.w[-1][0]:.4f}" in summary and f"{h.b[-1]:.4f}" in summary
    x, y_traj = figure.lines["trajectory"].get_data()
    np.testing.assert_array_equal(y_traj, h.params_per_step[:, 1])
    assert figure._repr_png_().startswith(b"\x89PNG")


def test_blitted_frames_match_a_full_render(d2l_data):
    """Redrawing only the moving artists gives (almost) the full figure's pixels."""
    import io

    from PIL import Image

    X, y = d2l_data
    figure = TrainingFigure(X, y, TRUE_W, TRUE_B)

    def update(lr):
        return figure.update(linreg_lib.train(X, y, lr=lr, seed=0, record_steps=True))

    panel = Panel(figure.fig, update, {"lr": log_slider("lr", 0.03, 1e-3, 3.0)},
                  artists=figure.artists)  # fmt: skip
    panel.set(lr=0.2)
    blitted = np.asarray(Image.open(io.BytesIO(bytes(panel.image.value))).convert("L"))
    for artist in figure.artists:
        artist.set_animated(False)
    full = np.asarray(Image.open(io.BytesIO(render_png(figure.fig, 80))).convert("L"))
    assert blitted.shape == full.shape
    differs = np.abs(blitted.astype(int) - full.astype(int)) > 40
    assert differs.mean() < 0.002  # only antialiasing where artists overlap
    panel.set(lr=0.003)  # and a different run really changes the picture
    other = np.asarray(Image.open(io.BytesIO(bytes(panel.image.value))).convert("L"))
    assert (np.abs(other.astype(int) - blitted.astype(int)) > 40).mean() > 0.001


def test_explorer_precomputes_every_combination_offline(d2l_data):
    X, y = d2l_data
    figure = TrainingFigure(X, y, TRUE_W, TRUE_B)

    def update(lr, batch_size):
        h = linreg_lib.train(X, y, lr=lr, batch_size=batch_size, seed=0,
                             record_steps=True)  # fmt: skip
        return figure.update(h)

    lrs = [0.01, 0.03, 1.0, 2.5]
    panel = Panel(
        figure.fig, update,
        {"lr": log_slider("lr", 0.03, 1e-3, 3.0),
         "batch_size": int_slider("batch size", 10, 1, 100)},
        artists=figure.artists, explore={"lr": lrs, "batch_size": [1, 10]},
        marks={"lr": (1.8, "stability limit")},
    )  # fmt: skip
    html = panel._repr_mimebundle_()["text/html"]
    assert html.count('type="range"') == 2
    assert html.count("data:image/png;base64,") == 2  # the default frame, the JS...
    frames = html.split("var frames = ")[1].split("]")[0]
    assert frames.count('"') == 2 * len(lrs) * 2  # ...and all 8 frames in the script
    assert 'value="1"' in html  # both sliders start at the defaults' index
    assert "stability limit" in html and "border-left:3px solid" in html
    assert "diverged" in html  # statuses: lr = 2.5 with batch 1 diverges
    assert 'src="http' not in html and "<script src" not in html  # nothing fetched
    assert panel.values == {"lr": 0.03, "batch_size": 10}


def test_explorer_snaps_defaults_to_the_nearest_value():
    from linreg_lib._explorer import _nearest, _position

    assert _nearest([-1, 0, 1], 0.5) in (1, 2) and _nearest([-1, 0, 1], -0.9) == 0
    assert _nearest([0.001, 0.01, 0.1], 0.03) == 1  # log scale: 0.03 is nearer 0.01
    assert _nearest(["a", "b"], "b") == 1
    assert _position([0.01, 0.1, 1.0], 0.1) == 1.0
    assert 1.0 < _position([0.01, 0.1, 1.0], 0.3) < 2.0


def test_training_figure_reference_lines_accept_column_labels(d2l_data):
    """Labels (n, 1) must not broadcast the closed-form loss to (n, n)."""
    X, y = d2l_data
    flat = TrainingFigure(X, y, TRUE_W, TRUE_B)
    column = TrainingFigure(X, y.reshape(-1, 1), TRUE_W, TRUE_B)
    assert column.floor == flat.floor
    w_star, b_star = linreg_lib.closed_form(X, y)
    assert flat.floor == pytest.approx(np.mean((X @ w_star + b_star - y) ** 2) / 2)
    assert flat.floor < 1e-4  # about σ²/2, not the (n, n) nonsense (~16)
