"""Curvature of the loss, and the largest learning rate that does not diverge.

The training loss is L(w, b) = 1/n · Σ_i ½ (x_iᵀ w + b − y_i)², a quadratic
whose Hessian H = X1ᵀ X1 / n (X1 = [X, 1]) does not depend on (w, b). Gradient
descent multiplies the error along each eigenvector of H by (1 − lr·λ) every
step, so it converges exactly when lr < 2 / λmax. Chapter "Minibatch SGD".
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .closed_form import with_ones

__all__ = ["hessian", "stability_limit"]


def hessian(X) -> np.ndarray:
    """Hessian of the mean squared loss (with the ½) in (w, b): shape (d+1, d+1).

    Raises ``ValueError`` when X is so large that X1ᵀX1 overflows float64.
    """
    X = _checks.as_features("X", X)
    X1 = with_ones(X)
    with np.errstate(over="ignore", invalid="ignore"):
        H = X1.T @ X1 / len(X1)
    if not np.isfinite(H).all():
        raise ValueError(
            f"X is too large: its largest entry {np.abs(X).max():.3g} squared "
            "overflows float64 in the Hessian X1ᵀX1/n. Rescale the features."
        )
    return H


def stability_limit(X) -> float:
    """The learning rate 2 / λmax(H) beyond which full-batch gradient descent diverges.

    Examples
    --------
    >>> import numpy as np
    >>> stability_limit(np.array([[1.0], [-1.0]]))  # H = I, so the limit is 2
    2.0
    """
    return float(2.0 / np.linalg.eigvalsh(hessian(X))[-1])
