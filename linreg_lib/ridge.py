"""Ridge regression: least squares with an L2 penalty on the weights.

Ridge minimises the mean squared loss plus (λ/2)‖w‖², leaving the bias free:

    L_λ(w, b) = 1/(2n) ‖X w + b − y‖² + (λ/2) ‖w‖²

Setting its gradient to zero gives (XᵀX + nλ I) w + Xᵀ1 b = Xᵀy, the normal
equations of an ordinary least-squares problem with d extra rows: stack
√(nλ)·I under X (and 0 under the column of ones and under y). We solve that
augmented system by QR, as :func:`linreg_lib.closed_form.closed_form` does,
without ever forming XᵀX. For λ > 0 the solution is unique even when n < d + 1.
Chapter "Going further".
"""

from __future__ import annotations

import numpy as np

from . import _checks
from ._checks import check_range
from .closed_form import check_full_rank, with_ones
from .curvature import hessian


def ridge(X, y, l2: float):
    """The ridge solution ``(w, b)`` for penalty strength ``l2`` = λ >= 0, exactly.

    Parameters: ``X`` (n, d), ``y`` (n,) or (n, 1); NumPy arrays or tensors.
    Returns ``w`` of shape (d,) and ``b`` a float. ``l2=0`` is ordinary least
    squares (and then raises, like ``closed_form``, if [X, 1] is rank deficient).

    The same model as scikit-learn's ``Ridge(alpha=n * l2)`` (which minimises
    ‖Xw + b − y‖² + alpha‖w‖², also with an unpenalised intercept).
    """
    X, y = _checks.check_data(X, y, "X")
    l2 = check_range("l2", l2, 0.0)
    n, d = X.shape
    X1 = with_ones(X)
    penalty = np.column_stack([np.sqrt(n * l2) * np.eye(d), np.zeros(d)])  # (d, d+1)
    A = np.vstack([X1, penalty])  # ‖A θ − [y; 0]‖² = ‖X1 θ − y‖² + nλ‖w‖²
    Q, R = np.linalg.qr(A)  # Q (n+d, d+1), R (d+1, d+1) upper triangular
    if l2 == 0:
        check_full_rank(X1, R)
    theta = np.linalg.solve(R, Q[:n].T @ y)  # Qᵀ[y; 0] only sees the first n rows
    return theta[:-1], float(theta[-1])


def ridge_path(X, y, l2s):
    """Ridge solutions for every λ in ``l2s`` (k,): ``W`` (k, d) and ``b`` (k,)."""
    solutions = [ridge(X, y, l2) for l2 in np.ravel(l2s)]
    return np.array([w for w, _ in solutions]), np.array([b for _, b in solutions])


def ridge_loss(X, y, w, b, l2: float) -> float:
    """The ridge objective L_λ(w, b): mean squared loss (with the ½) + (λ/2)‖w‖².

    ``X`` (n, d), ``y`` (n,) or (n, 1), ``w`` (d,), ``b`` a number. With
    ``l2=0`` this is the plain training loss, as :func:`linreg_lib.training.train`
    records it.
    """
    X, y = _checks.check_data(X, y, "X")
    _checks.check_weights(w, X.shape[1])
    l2 = check_range("l2", l2, 0.0)
    w = np.reshape(w, -1)
    r = X @ w + b - y  # residuals, (n,)
    return float(r @ r / (2 * len(y)) + l2 / 2 * (w @ w))


def ridge_hessian(X, l2: float):
    """Hessian of L_λ in (w, b): H + λ·diag(1, ..., 1, 0), shape (d+1, d+1)."""
    l2 = check_range("l2", l2, 0.0)
    H = hessian(X)
    return H + l2 * np.diag(np.append(np.ones(len(H) - 1), 0.0))  # b not penalised
