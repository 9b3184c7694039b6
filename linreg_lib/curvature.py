"""Curvature of the loss, and the largest learning rate that does not diverge.

The training loss is L(w, b) = 1/n · sum_i ½ (x_iᵀ w + b − y_i)², a quadratic
whose Hessian H = X1ᵀ X1 / n (X1 = [X, 1]) does not depend on (w, b). Gradient
descent multiplies the error along each eigenvector of H by (1 − lr·λ) every
step, so it converges exactly when lr < 2 / λmax. Chapter "Minibatch SGD".
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .closed_form import with_ones


def hessian(X):
    """Hessian of the mean squared loss (with the ½) in (w, b): shape (d+1, d+1)."""
    X = np.asarray(_checks._to_numpy(X), dtype=np.float64)
    _checks.check_features(X)
    _checks.check_finite("X", X)
    X1 = with_ones(X)
    return X1.T @ X1 / len(X1)


def stability_limit(X) -> float:
    """The learning rate 2 / λmax(H) beyond which full-batch gradient descent diverges.

    >>> import numpy as np
    >>> stability_limit(np.array([[1.0], [-1.0]]))  # H = I, so the limit is 2
    2.0
    """
    return float(2.0 / np.linalg.eigvalsh(hessian(X))[-1])
