"""The model and its loss, shared by the NumPy and the torch path.

``linreg`` and ``squared_loss`` are written with ``@``, ``+``, ``-`` and
``reshape`` only, so the very same function serves NumPy arrays and torch
tensors (autograd flows through it). Introduced in the chapters "The model"
and "The loss".
"""

from __future__ import annotations

from . import _checks

__all__ = ["linreg", "squared_loss"]


def linreg(X, w, b):
    """The linear model ``y_hat = X @ w + b``.

    Parameters
    ----------
    X : array or tensor, shape (n, d)
        One example per row.
    w : array or tensor, shape (d,) or (d, 1)
        Weights. The output has shape (n,) or (n, 1) to match.
    b : number, or shape () or (1,)
        Bias, broadcast over the n examples.

    Returns
    -------
    array or tensor, shape (n,) if ``w`` is (d,), (n, 1) if ``w`` is (d, 1)

    Raises
    ------
    ValueError
        When ``w`` does not fit ``X`` (w of shape (3, 1) for X of shape
        (1000, 2)), ``b`` is not one number, or anything is NaN or infinite.
    TypeError
        For complex or non-numeric input.

    Examples
    --------
    >>> import numpy as np
    >>> linreg(np.array([[1.0, 2.0]]), np.array([2.0, -3.4]), 4.2).round(6)
    array([-0.6])
    """
    d = _checks.check_features(X)
    _checks.check_weights(w, d)
    _checks.check_bias(b)
    return X @ w + b  # matrix-vector product, then b broadcast to every row


def squared_loss(y_hat, y):
    """Per-example squared loss ``(y_hat - y) ** 2 / 2``, with the shape of ``y_hat``.

    The 1/2 makes the gradient ``y_hat - y``, without a factor 2.

    Parameters
    ----------
    y_hat : array or tensor, shape (n,) or (n, 1)
        Predictions.
    y : array or tensor with n elements, (n,) or (n, 1)
        Labels; reshaped to ``y_hat``'s shape, so (n, 1) labels and (n,)
        predictions meet safely.

    Raises
    ------
    ValueError
        When the two would broadcast instead of matching, e.g. (10,) against
        (12, 1), or the labels are not finite.
    """
    y = _checks.match_prediction(y_hat, y)
    return (y_hat - y) ** 2 / 2
