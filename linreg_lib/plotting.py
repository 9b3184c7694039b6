"""Plot helpers shared by the chapters: loss curves, loss surfaces, trajectories.

Every helper takes ``ax=None`` (a new figure is made when it is None), draws on
that axes, and returns what it drew. None calls ``plt.show()`` or changes
global ``rcParams``. Colours are the book's: truth green, closed form black,
SGD blue, divergence red.
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .closed_form import closed_form
from .curvature import hessian
from .model import linreg, squared_loss

TRUTH, CLOSED, SGD, BAD = "tab:green", "black", "tab:blue", "tab:red"


def new_axes(ax=None, figsize=(4.5, 3.2)):
    """``ax`` itself, or the axes of a new figure made without pyplot's state."""
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained").add_subplot()


def loss_surface(X, y, w1, w2, b=None):
    """Mean squared loss (with the ½) on a grid of (w1, w2), for d = 2 features.

    ``w1``, ``w2`` are 1-D grids; ``b`` defaults to the closed-form bias. Uses
    the exact quadratic L(θ) = L(θ*) + ½ (θ-θ*)ᵀ H (θ-θ*), so a 200×200 grid
    costs one small matrix product, not 40,000 passes over the data.
    Returns L of shape (len(w2), len(w1)), ready for ``ax.contour(w1, w2, L)``.
    """
    X, y = _checks.check_data(X, y, "X")
    if X.shape[1] != 2:
        raise ValueError(f"loss_surface needs d = 2 features, X has shape {X.shape}")
    w_star, b_star = closed_form(X, y)
    theta_star = np.append(w_star, b_star)
    floor = float(squared_loss(linreg(X, w_star, b_star), y).mean())
    W1, W2 = np.meshgrid(np.asarray(w1, float), np.asarray(w2, float))
    B = np.full_like(W1, b_star if b is None else float(b))
    delta = np.stack([W1, W2, B], axis=-1) - theta_star  # (len(w2), len(w1), 3)
    return floor + 0.5 * np.einsum("...i,ij,...j->...", delta, hessian(X), delta)


def plot_loss_contours(X, y, w1, w2, ax=None, levels=12, b=None):
    """Log-spaced contours of the loss over (w1, w2), with truth-free optimum marked."""
    ax = new_axes(ax)
    L = loss_surface(X, y, w1, w2, b)
    lo, hi = max(L.min(), 1e-6), L.max()
    cs = ax.contour(
        w1, w2, L, levels=np.geomspace(lo * 1.5, hi, levels), cmap="viridis"
    )
    w_star, _ = closed_form(X, y)
    (opt,) = ax.plot(*w_star, "x", color=CLOSED, ms=8, label="closed form")
    ax.set(xlabel="$w_1$", ylabel="$w_2$")
    return cs, opt


def plot_loss_curve(history, ax=None, floor=None):
    """Full-data loss per epoch on a log scale; ``floor`` adds a dashed reference."""
    ax = new_axes(ax)
    (line,) = ax.semilogy(history.epochs, history.loss, "o-", color=SGD, label="SGD")
    if floor is not None:
        ax.axhline(floor, ls="--", color=CLOSED, lw=1, label="closed form")
    ax.set(xlabel="epoch", ylabel="loss (log scale)")
    return line


def plot_param_error(history, true_w, true_b, ax=None):
    """Distance ‖[w, b] − [w_true, b_true]‖ per epoch on a log scale."""
    ax = new_axes(ax)
    error = history.param_error(true_w, true_b)
    (line,) = ax.semilogy(history.epochs, error, "o-", color=SGD)
    ax.set(xlabel="epoch", ylabel="parameter error (log scale)")
    return line


def plot_trajectory(history, ax=None):
    """The path of (w1, w2) through every SGD step (needs ``record_steps=True``)."""
    ax = new_axes(ax)
    if history.steps is None:
        raise ValueError("history has no steps: train with record_steps=True")
    (line,) = ax.plot(history.steps[:, 0], history.steps[:, 1], "-", color=SGD, lw=1)
    (start,) = ax.plot(*history.steps[0, :2], "o", color=SGD, ms=4)
    ax.set(xlabel="$w_1$", ylabel="$w_2$")
    return line, start
