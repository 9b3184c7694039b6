"""Ridge regression: least squares with an L2 penalty on the weights.

Ridge minimises the mean squared loss plus (λ/2)‖w‖², leaving the bias free:

    L_λ(w, b) = 1/(2n) ‖X w + b − y‖² + (λ/2) ‖w‖²

As for least squares the best bias is the mean residual, b = ȳ − x̄ᵀw, and w
minimises ‖Xc w − yc‖² + nλ‖w‖² on the centred data: ordinary least squares
with d extra rows, √(nλ)·I stacked under Xc and 0 under yc. We solve that
augmented system by QR, as :func:`linreg_lib.closed_form.closed_form` does,
without ever forming XᵀX. For λ > 0 the solution is unique even when n < d + 1.
Chapter "Going further".
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .closed_form import closed_form
from .curvature import hessian

__all__ = ["ridge", "ridge_path", "ridge_loss", "ridge_hessian"]


def ridge(X, y, l2: float) -> tuple[np.ndarray, float]:
    """The ridge solution ``(w, b)`` for penalty strength ``l2`` = λ >= 0, exactly.

    ``X`` (n, d), ``y`` (n,) or (n, 1); NumPy arrays or tensors. Returns ``w``
    of shape (d,) and ``b`` a float. ``l2=0`` is ordinary least squares (and then
    raises, like ``closed_form``, when w and b are not unique). The same model as
    scikit-learn's ``Ridge(alpha=n * l2)``, also with an unpenalised intercept.
    """
    X, y = _checks.check_data(X, y, ("X", "y"))
    if _checks.check_range("l2", l2, 0.0) == 0:
        return closed_form(X, y)  # least squares, which refuses a non-unique answer
    n, d = X.shape
    x_mean, y_mean = X.mean(axis=0), y.mean()
    A = np.vstack([X - x_mean, np.sqrt(n * l2) * np.eye(d)])  # [Xc; √(nλ) I]
    Q, R = np.linalg.qr(A)  # Q (n+d, d), R (d, d) upper triangular
    w = np.linalg.solve(R, Q[:n].T @ (y - y_mean))  # Qᵀ[yc; 0]: the first n rows
    return w, float(y_mean - x_mean @ w)


def ridge_path(X, y, l2s) -> tuple[np.ndarray, np.ndarray]:
    """Ridge solutions for every λ in ``l2s`` (k,): ``W`` (k, d) and ``b`` (k,)."""
    l2s = np.ravel(_checks.as_float_array("l2s", l2s))
    solutions = [ridge(X, y, l2) for l2 in l2s]
    return np.array([w for w, _ in solutions]), np.array([b for _, b in solutions])


def ridge_loss(X, y, w, b, l2: float) -> float:
    """The ridge objective L_λ(w, b): mean squared loss (with the ½) + (λ/2)‖w‖².

    ``X`` (n, d), ``y`` (n,) or (n, 1), ``w`` (d,), ``b`` a number. With
    ``l2=0`` this is the plain training loss, as ``train`` records it.
    """
    X, y = _checks.check_data(X, y, ("X", "y"))
    _checks.check_weights(w, X.shape[1]), _checks.check_bias(b)
    l2 = _checks.check_range("l2", l2, 0.0)
    w = np.reshape(_checks.to_numpy(w), -1)
    r = X @ w + b - y  # residuals, (n,)
    return float(r @ r / (2 * len(y)) + l2 / 2 * (w @ w))


def ridge_hessian(X, l2: float) -> np.ndarray:
    """Hessian of L_λ in (w, b): H + λ·diag(1, ..., 1, 0), shape (d+1, d+1)."""
    l2 = _checks.check_range("l2", l2, 0.0)
    H = hessian(X)
    return H + l2 * np.diag(np.append(np.ones(len(H) - 1), 0.0))  # b not penalised
