"""Plot helpers shared by the chapters: loss curves, loss surfaces, trajectories.

Every helper takes ``ax=None`` (then makes a figure), draws on it and returns
what it drew; none calls ``plt.show()`` or changes ``rcParams``. The book's
colours: truth green, closed form black, SGD blue, divergence red.
"""

from __future__ import annotations

import io

import numpy as np

from . import _checks, _recorder_media
from .closed_form import closed_form
from .curvature import hessian
from .model import linreg, squared_loss

TRUTH_COLOR = "tab:green"  #: the true parameters
CLOSED_COLOR = "black"  #: the closed-form solution
SGD_COLOR = "tab:blue"  #: a training run
BAD_COLOR = "tab:red"  #: a diverged run

__all__ = [
    "TRUTH_COLOR", "CLOSED_COLOR", "SGD_COLOR", "BAD_COLOR", "render_png", "new_axes",
    "loss_surface", "plot_loss_contours", "plot_loss_curve", "plot_param_error",
    "plot_trajectory",
]  # fmt: skip


def render_png(fig, dpi: float = 100, colors: int | None = None) -> bytes:
    """The whole figure as PNG bytes, without pyplot and without displaying it.

    ``colors`` (2 to 256) stores it with a palette of that many colours: about a
    third of the bytes, and a plot's flat colours and antialiasing survive it.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {fig!r:.60}")
    _checks.check_positive("dpi", dpi)
    if colors is not None:
        _checks.check_int("colors", colors, 2)
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)  # one lasting canvas: its text caches survive renders
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return (
        buf.getvalue()
        if colors is None
        else _recorder_media.palette_png(buf.getvalue(), min(colors, 256))
    )


def new_axes(ax=None, figsize=(4.5, 3.2)):
    """``ax`` itself, or the axes of a new figure made without pyplot's state."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes or None, got {ax!r:.60}")
        return ax
    if len(np.shape(figsize)) != 1 or len(figsize) != 2:
        raise ValueError(f"figsize must be (width, height) in inches, got {figsize!r}")
    for size in figsize:
        _checks.check_positive("figsize", size)

    return Figure(figsize=figsize, layout="constrained").add_subplot()


def loss_surface(X, y, w1, w2, b=None):
    """Mean squared loss (with the ½) on a grid of (w1, w2), for d = 2 features.

    ``w1``, ``w2`` are 1-D grids; ``b`` defaults to the closed-form bias. Uses
    the exact quadratic L(θ) = L(θ*) + ½ (θ-θ*)ᵀ H (θ-θ*), so a 200×200 grid
    costs one small matrix product, not 40,000 passes over the data.
    Returns L of shape (len(w2), len(w1)), ready for ``ax.contour(w1, w2, L)``.
    """
    X, y = _checks.check_data(X, y, ("X", "y"))
    if X.shape[1] != 2:
        raise ValueError(f"loss_surface needs d = 2 features, X has shape {X.shape}")
    w1, w2 = _checks.grid("w1", w1), _checks.grid("w2", w2)
    if b is not None:
        _checks.check_bias(b), _checks.check_finite("b", b)
    w_star, b_star = closed_form(X, y)
    theta_star = np.append(w_star, b_star)
    floor = float(squared_loss(linreg(X, w_star, b_star), y).mean())
    W1, W2 = np.meshgrid(w1, w2)
    B = np.full_like(W1, b_star if b is None else float(np.ravel(b)[0]))
    delta = np.stack([W1, W2, B], axis=-1) - theta_star  # (len(w2), len(w1), 3)
    return floor + 0.5 * np.einsum("...i,ij,...j->...", delta, hessian(X), delta)


def plot_loss_contours(X, y, w1, w2, ax=None, levels=12, b=None):
    """Log-spaced contours of the loss over (w1, w2), with truth-free optimum marked."""
    ax = new_axes(ax)
    levels = _checks.check_int("levels", levels, 2)
    L = loss_surface(X, y, w1, w2, b)
    lo, hi = max(L.min(), 1e-6), L.max()
    cs = ax.contour(
        w1, w2, L, levels=np.geomspace(lo * 1.5, hi, levels), cmap="viridis"
    )
    w_star, _ = closed_form(X, y)
    (opt,) = ax.plot(*w_star, "x", color=CLOSED_COLOR, ms=8, label="closed form")
    ax.set(xlabel="$w_1$", ylabel="$w_2$")
    return cs, opt


def plot_loss_curve(history, ax=None, floor=None):
    """Full-data loss per epoch on a log scale; ``floor`` adds a dashed reference."""
    _checks.check_history(history)
    if floor is not None:
        _checks.check_positive("floor", floor)
    ax = new_axes(ax)
    (line,) = ax.semilogy(
        history.epochs, history.loss, "o-", color=SGD_COLOR, label="SGD"
    )
    if floor is not None:
        ax.axhline(floor, ls="--", color=CLOSED_COLOR, lw=1, label="closed form")
    ax.set(xlabel="epoch", ylabel="loss (log scale)")
    return line


def plot_param_error(history, true_w, true_b, ax=None):
    """Distance ‖[w, b] − [w_true, b_true]‖ per epoch on a log scale."""
    error = _checks.check_history(history).param_error(true_w, true_b)
    ax = new_axes(ax)
    (line,) = ax.semilogy(history.epochs, error, "o-", color=SGD_COLOR)
    ax.set(xlabel="epoch", ylabel="parameter error (log scale)")
    return line


def plot_trajectory(history, ax=None):
    """The path of (w1, w2) through every SGD step (needs ``record_steps=True``)."""
    steps = _checks.check_history(history).params_per_step
    if steps is None:
        raise ValueError("history has no params_per_step: train with record_steps=True")
    ax = new_axes(ax)
    (line,) = ax.plot(steps[:, 0], steps[:, 1], "-", color=SGD_COLOR, lw=1)
    (start,) = ax.plot(*steps[0, :2], "o", color=SGD_COLOR, ms=4)
    ax.set(xlabel="$w_1$", ylabel="$w_2$")
    return line, start
