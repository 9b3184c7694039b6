"""The closed-form least-squares solution, the reference SGD is compared with.

Append a column of ones to X so the bias is one more weight: X1 = [X, 1] and
theta = (w, b). The minimiser of sum((X1 theta - y)²) solves the normal
equations ``X1ᵀ X1 theta = X1ᵀ y``. Forming X1ᵀX1 squares the condition number,
so we solve them through the QR factorisation X1 = QR instead: then
``R theta = Qᵀ y``, a triangular system. Chapter "Theory".
"""

from __future__ import annotations

import numpy as np

from . import _checks


def closed_form(X, y):
    """Least-squares ``(w, b)`` for ``y ≈ X w + b``, exactly, without iterating.

    Parameters: ``X`` (n, d), ``y`` (n,) or (n, 1); NumPy arrays or tensors.
    Returns ``w`` of shape (d,) and ``b`` a float.
    Raises ``ValueError`` when the columns of [X, 1] are linearly dependent
    (fewer rows than d + 1, or a feature that repeats another or the bias):
    then the minimiser is not unique.
    """
    X, y = _checks.check_data(X, y, "X")
    X1 = with_ones(X)
    Q, R = np.linalg.qr(X1)  # reduced QR: Q (n, d+1), R (d+1, d+1) upper triangular
    check_full_rank(X1, R)
    theta = np.linalg.solve(R, Q.T @ y)  # R theta = Qᵀy  <=>  X1ᵀX1 theta = X1ᵀy
    return theta[:-1], float(theta[-1])


def with_ones(X):
    """``[X, 1]``: X (n, d) with a column of ones appended, shape (n, d + 1)."""
    return np.column_stack([X, np.ones(len(X))])


def check_full_rank(X1, R):
    """Refuse a rank-deficient [X, 1] (given its QR factor R): w, b not unique."""
    n, p = X1.shape
    diag = np.abs(np.diag(R))
    if n < p or diag.min() <= diag.max() * max(n, p) * np.finfo(float).eps:
        raise ValueError(
            f"[X, 1] of shape {X1.shape} has linearly dependent columns "
            f"(rank {np.linalg.matrix_rank(X1)} < {p}): w and b are not unique. "
            "Remove repeated features or a column of ones (the bias is added here)."
        )
