"""Live figures: drawn once, then updated in place from a new training history.

Redrawing a whole figure on every slider move would cost more than training, so
``TrainingFigure`` draws its axes, contours and reference lines once and then
only moves data into its artists. Chapters "Minibatch SGD" and "Training".
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .closed_form import closed_form
from .model import linreg, squared_loss
from .plotting import (
    BAD_COLOR,
    CLOSED_COLOR,
    SGD_COLOR,
    TRUTH_COLOR,
    plot_loss_contours,
    render_png,
)

__all__ = ["TrainingFigure"]


class TrainingFigure:
    """Loss curve, parameter-error curve and trajectory of one training run.

    ``TrainingFigure(X, y, true_w, true_b).update(history)`` redraws in place;
    ``history`` needs ``record_steps=True`` for the trajectory. ``axes`` picks
    which of "loss", "error", "trajectory" to show, in that order. The axes
    limits are fixed when the figure is made (epochs 0..``max_epochs``, losses
    from a third of the closed-form loss to ten times the loss at w = 0, b = 0),
    so runs can be compared by eye and a panel only redraws the moving
    ``artists``.
    """

    def __init__(
        self, X, y, true_w, true_b, axes=("loss", "error", "trajectory"), max_epochs=10
    ):
        from matplotlib.figure import Figure

        X, y = _checks.check_data(X, y, ("X", "y"))  # labels (n, 1) become (n,)
        true_w = _checks.as_float_array("true_w", true_w)
        _checks.check_weights(true_w, X.shape[1], "true_w")
        _checks.check_bias(true_b, "true_b")
        for name, value in (("true_w", true_w), ("true_b", true_b)):
            _checks.check_finite(name, value)
        if not set(axes) <= {"loss", "error", "trajectory"} or not axes:
            raise ValueError(
                f"axes must name some of 'loss', 'error', 'trajectory', got {axes!r}"
            )
        if "trajectory" in axes and X.shape[1] != 2:
            raise ValueError(f"the trajectory needs 2 features, X has shape {X.shape}")
        max_epochs = _checks.check_int("max_epochs", max_epochs, 1)
        self.true = np.append(np.ravel(true_w), float(np.ravel(true_b)[0]))
        w_star, b_star = closed_form(X, y)
        self.closed = np.append(w_star, b_star)
        self.floor = float(squared_loss(linreg(X, w_star, b_star), y).mean())
        self.fig = Figure(figsize=(3.4 * len(axes), 3.2), layout="constrained")
        axs = self.fig.subplots(1, len(axes), squeeze=False)[0]
        self.ax = dict(zip(axes, axs, strict=True))
        self.lines = {}
        start = float(np.mean(np.square(y))) / 2  # the loss at w = 0, b = 0
        if "loss" in self.ax:
            limits = (self.floor / 3, 10 * start)
            self._curve("loss", "loss (log scale)", self.floor, limits, max_epochs)
        if "error" in self.ax:
            closed_error = float(self._error(self.closed)[0])
            limits = (closed_error / 3, 3 * np.linalg.norm(self.true))
            label = "parameter error (log scale)"
            self._curve("error", label, closed_error, limits, max_epochs)
        if "trajectory" in self.ax:
            self._trajectory(X, y)
        self.title = self.fig.suptitle(" ", fontsize=10)
        self.fig.draw_without_rendering()  # lay out once...
        self.fig.set_layout_engine(None)  # ...and keep that layout for every update

    @property
    def artists(self):
        """The artists ``update`` changes; everything else is drawn once."""
        return [*self.lines.values(), self.title]

    def _repr_png_(self):
        """Show the figure when a notebook cell ends with this object."""
        return render_png(self.fig, dpi=100)

    def __repr__(self) -> str:
        return f"TrainingFigure({', '.join(self.ax)})"

    def _curve(self, name, ylabel, reference, limits, max_epochs):
        ax = self.ax[name]
        ax.axhline(reference, ls="--", color=CLOSED_COLOR, lw=1, label="closed form")
        (self.lines[name],) = ax.semilogy(
            [], [], "o-", color=SGD_COLOR, ms=3, label="SGD"
        )
        ax.set(
            xlabel="epoch", ylabel=ylabel, ylim=limits, xlim=(-0.2, max_epochs + 0.2)
        )
        ax.legend(fontsize=8)

    def _trajectory(self, X, y):
        ax = self.ax["trajectory"]
        lo = np.minimum(self.true[:2], 0) - 1.0
        hi = np.maximum(self.true[:2], 0) + 1.0
        w1, w2 = np.linspace(lo[0], hi[0], 120), np.linspace(lo[1], hi[1], 120)
        plot_loss_contours(X, y, w1, w2, ax=ax)
        ax.plot(*self.true[:2], "*", color=TRUTH_COLOR, ms=12, label="truth")
        (self.lines["trajectory"],) = ax.plot(
            [], [], "-", color=SGD_COLOR, lw=1, label="SGD"
        )
        (self.lines["end"],) = ax.plot([], [], "o", color=SGD_COLOR, ms=5)
        ax.set(xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]), title="path of $(w_1, w_2)$")
        ax.legend(loc="lower left", fontsize=8)

    def _error(self, theta):
        return np.linalg.norm(np.atleast_2d(theta) - self.true, axis=-1)

    def update(self, history):
        """Show ``history``; returns a one-line summary (or the divergence message)."""
        _checks.check_history(history)
        params = np.column_stack([history.w, history.b])
        curves = {"loss": history.loss, "error": self._error(params)}
        for name, values in curves.items():
            if name in self.ax:
                self.lines[name].set_data(history.epochs, values)
        if "trajectory" in self.ax and history.params_per_step is not None:
            self.lines["trajectory"].set_data(
                history.params_per_step[:, 0], history.params_per_step[:, 1]
            )
            self.lines["end"].set_data(
                history.params_per_step[-1:, 0], history.params_per_step[-1:, 1]
            )
        if history.diverged:
            limit = history.stability_limit
            summary = f"diverged: lr {history.lr:.3g} vs stability limit {limit:.3g}"
        else:
            w = ", ".join(f"{v:.4f}" for v in history.w[-1])
            true_w = ", ".join(f"{v:g}" for v in self.true[:-1])
            summary = (
                f"w = [{w}], b = {history.b[-1]:.4f}   "
                f"(truth [{true_w}], {self.true[-1]:g})"
            )
        self.title.set_text(summary)
        self.title.set_color(BAD_COLOR if history.diverged else "black")
        for line in self.lines.values():
            line.set_color(BAD_COLOR if history.diverged else SGD_COLOR)
        return history.message or summary
