"""What a training run records: :class:`History`, and the :class:`Recorder` that fills it.

Every loop (``train``, ``train_scan``, ``train_with``) records alike: the loss,
``w`` and ``b`` after every epoch, ``[w, b]`` after every step if asked; it stops
when :mod:`linreg_lib.divergence` says the run diverged. Chapter "Training".
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from . import _checks, divergence
from .model import linreg, squared_loss

__all__ = ["History", "Recorder"]


@dataclass
class History:
    """The record of one run. Row 0 is the start, row k the end of epoch k.

    loss : (E+1,) the full-data mean of ``squared_loss`` (or the objective)
    w : (E+1, d) and b : (E+1,) the parameters
    params_per_step : (S+1, d+1) ``[w, b]`` after every SGD step, or None
    diverged, message : whether training stopped early, and why
    E counts the epochs run: fewer than ``num_epochs`` if the run diverged.
    """

    loss: np.ndarray
    w: np.ndarray
    b: np.ndarray
    lr: float
    batch_size: int
    num_epochs: int
    stability_limit: float
    diverged: bool = False
    message: str = ""
    params_per_step: np.ndarray | None = None

    @property
    def epochs(self) -> np.ndarray:
        """0, 1, ..., E: the x axis of a per-epoch plot."""
        return np.arange(len(self.loss))

    def param_error(self, true_w, true_b) -> np.ndarray:
        """(E+1,) Euclidean distance of ``[w, b]`` from ``[true_w, true_b]``."""
        true_w = _checks.as_float_array("true_w", true_w)
        _checks.check_weights(true_w, self.w.shape[1], "true_w")
        _checks.check_finite("true_w", true_w)
        _checks.check_bias(true_b, "true_b"), _checks.check_finite("true_b", true_b)
        truth = np.append(np.ravel(true_w), float(np.ravel(true_b)[0]))
        return np.linalg.norm(np.column_stack([self.w, self.b]) - truth, axis=1)

    def __repr__(self) -> str:
        head = (
            f"History(lr={self.lr:g}, batch_size={self.batch_size}, "
            f"epochs={len(self.loss) - 1}/{self.num_epochs}"
        )
        if self.diverged:
            return f"{head}, diverged)"
        w = ", ".join(f"{v:.4f}" for v in self.w[-1])
        return f"{head}, loss {self.loss[-1]:.3g}, w=[{w}], b={self.b[-1]:.4f})"


def _mean_loss(X, y):
    """The full-data loss L(w, b) = mean of ``squared_loss`` as a function of (w, b)."""
    return lambda w, b: float(squared_loss(linreg(X, w, b), y).mean())


class Recorder:
    """Builds a :class:`History` while a loop runs.

    ``step(w, b)`` after every SGD step, ``epoch(w, b)`` after every epoch
    (returns True once the run has diverged: stop then), ``history(...)`` at
    the end. ``loss(w, b)`` is the objective recorded, by default the mean loss.
    """

    def __init__(self, X, y, w, b, *, record_steps: bool, loss=None):
        X, y = _checks.check_data(X, y, ("X", "y"))
        _checks.check_weights(w, X.shape[1]), _checks.check_bias(b)
        if loss is not None and not callable(loss):
            raise TypeError(f"loss must be callable(w, b) or None, got {loss!r}")
        self.loss = loss or _mean_loss(X, y)
        first = self.loss(w, b)
        self.losses, self.ws, self.bs = [first], [w.copy()], [float(np.ravel(b)[0])]
        record_steps = _checks.check_bool("record_steps", record_steps)
        self.steps = [np.append(w, b)] if record_steps else None
        self.watch = divergence.Divergence(first, self.loss(np.zeros_like(w), 0.0))
        self.diverged_at = None  # (epoch, loss) once diverged

    def step(self, w, b) -> None:
        """Record ``[w, b]`` after an SGD step (if recording steps)."""
        if self.steps is not None:
            self.steps.append(np.append(w, b))
            if len(self.steps[-1]) != len(self.steps[0]):
                raise ValueError(
                    f"[w, b] has {len(self.steps[-1])} values, expected {len(self.steps[0])}"
                )

    def epoch(self, w, b) -> bool:
        """Record the end of an epoch; True once the run has diverged."""
        with np.errstate(over="ignore", invalid="ignore"):
            loss = self.loss(w, b)
        if self.watch.check(loss):
            self.diverged_at = (len(self.losses), loss)
            return True
        self.losses.append(loss), self.ws.append(w.copy())
        self.bs.append(float(np.ravel(b)[0]))
        return False

    def history(self, lr, batch_size, num_epochs, limit, explain=None) -> History:
        """The History; ``explain(epoch, start, loss)`` words a divergence."""
        _checks.check_positive("lr", lr), _checks.check_int("batch_size", batch_size, 1)
        _checks.check_int("num_epochs", num_epochs, 0)
        if not (isinstance(limit, numbers.Real) and limit > 0) or isinstance(
            limit, bool
        ):
            raise ValueError(f"limit must be a number > 0 (inf allowed), got {limit!r}")
        if explain is not None and not callable(explain):
            raise TypeError(
                f"explain must be callable(epoch, start, loss), got {explain!r}"
            )
        message = ""
        if self.diverged_at is not None:
            epoch, loss = self.diverged_at
            explain = explain or (lambda e, start, l: divergence.message(
                f"epoch {e}", start, l, lr, limit, batch_size=batch_size))  # fmt: skip
            message = explain(epoch, self.losses[0], loss)
        steps = None
        if self.steps is not None:
            steps = np.array(self.steps)
            finite = np.isfinite(steps).all(axis=1)  # a diverged run ends in inf/NaN
            steps = steps[: len(steps) if finite.all() else int(np.argmin(finite))]
        return History(np.array(self.losses), np.array(self.ws), np.array(self.bs),
                       lr, batch_size, num_epochs, limit, bool(message), message, steps)  # fmt: skip
