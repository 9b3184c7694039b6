"""The closed-form least-squares solution, the reference SGD is compared with.

The minimiser of the loss over (w, b) solves the normal equations
``X1ᵀ X1 θ = X1ᵀ y`` with X1 = [X, 1] and θ = (w, b). For any w the best bias
is the mean residual, b = ȳ − x̄ᵀw; substituting it leaves least squares on the
centred data, ``Xc w ≈ yc`` with Xc = X − x̄ and yc = y − ȳ. We solve that
through the QR factorisation Xc = QR, ``R w = Qᵀ yc``, never forming XᵀX
(which would square the condition number). Centring first is what keeps
features with a large offset (say X + 10⁸) solvable: [X, 1] then has two
nearly parallel columns, Xc does not. Chapter "Theory".
"""

from __future__ import annotations

import numpy as np

from . import _checks

__all__ = ["closed_form", "with_ones"]


def closed_form(X, y) -> tuple[np.ndarray, float]:
    """Least-squares ``(w, b)`` for ``y ≈ X @ w + b``, exactly, without iterating.

    Parameters
    ----------
    X : array or tensor, shape (n, d)
    y : array or tensor, shape (n,) or (n, 1)

    Returns
    -------
    w : array, shape (d,)
    b : float

    Raises
    ------
    ValueError
        When w and b are not unique: fewer than d + 1 rows, a constant feature,
        or a feature that is a combination of others.
    """
    X, y = _checks.check_data(X, y, ("X", "y"))
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc = X - x_mean  # centred features: the bias drops out of the problem
    Q, R = np.linalg.qr(Xc)  # reduced QR: Q (n, d), R (d, d) upper triangular
    _check_full_rank(Xc, R)
    w = np.linalg.solve(R, Q.T @ (y - y_mean))  # R w = Qᵀ yc  <=>  XcᵀXc w = Xcᵀ yc
    return w, float(y_mean - x_mean @ w)  # b: the mean residual


def with_ones(X) -> np.ndarray:
    """``[X, 1]``: X (n, d) with a column of ones appended, shape (n, d + 1)."""
    X = _checks.as_features("X", X)
    return np.column_stack([X, np.ones(len(X))])


def _check_full_rank(Xc, R) -> None:
    """Refuse centred features Xc (n, d), with QR factor R, whose w is not unique."""
    n, d = Xc.shape
    if n < d + 1:
        raise ValueError(
            f"X has shape {Xc.shape}: {n} example(s) cannot determine {d} weight(s) "
            f"and a bias (at least {d + 1} are needed), so w and b are not unique"
        )
    diag = np.abs(np.diag(R))
    if diag.min() > diag.max() * max(n, d) * np.finfo(float).eps:
        return
    norms = np.abs(Xc).max(axis=0)
    constant = np.flatnonzero(norms <= norms.max() * np.finfo(float).eps).tolist()
    why = (
        f"feature(s) {constant} constant, like the bias"
        if constant
        else ("a feature that is a linear combination of the others")
    )
    raise ValueError(
        f"X of shape {Xc.shape} has {why}: the columns of [X, 1] are linearly "
        "dependent, so w and b are not unique. Remove repeated or constant "
        "features (the bias is added here)."
    )
