"""One SGD epoch over data too large to be comfortable, with as little overhead
per minibatch as NumPy allows.

``train`` records a history and checks for divergence after every epoch; on a
million rows its per-batch Python work is what costs. ``sgd_epoch`` validates
once, then runs the update of :func:`linreg_lib.numpy_scratch.sgd` with the
gradient of :func:`linreg_lib.numpy_scratch.squared_loss_grad` (the same
arithmetic) written into preallocated buffers, over the batches of
:func:`linreg_lib.iterators.minibatches` — a NumPy array or a read-only memory
map, in float32 or float64. Chapter "Reading data in minibatches".
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .iterators import minibatches


def sgd_epoch(features, labels, w, b, *, lr, batch_size, seed=None, shuffle="batches"):
    """One pass of minibatch SGD on ½·mean squared loss, updating ``w`` in place.

    Parameters
    ----------
    features : array or memmap of shape (n, d); labels : shape (n,) or (n, 1)
    w : array of shape (d,), the weights, updated in place (same dtype as X)
    b : float, the bias
    lr, batch_size, seed, shuffle : as in ``train`` and ``minibatches``

    Returns
    -------
    b : float, the updated bias (a Python float cannot be updated in place)
    """
    d = _checks.check_features(features, "features")
    if not isinstance(w, np.ndarray) or w.shape != (d,) or not w.flags.writeable:
        raise ValueError(f"w must be a writeable array of shape ({d},), got {w!r:.60}")
    lr = _checks.check_positive("lr", lr)
    _checks.check_finite("w", w)
    b = float(b)
    dtype = np.result_type(features.dtype, w.dtype)
    r, grad_w = np.empty(batch_size, dtype), np.empty(d, dtype)  # reused buffers
    for X, y in minibatches(batch_size, features, labels, seed=seed, shuffle=shuffle):
        m = len(X)
        res = np.dot(X, w, out=r[:m]) if m == batch_size else X @ w
        res -= y.reshape(m)  # residual r = Xw + b - y ...
        res += b
        np.dot(X.T, res, out=grad_w)  # ... gradient of the summed loss: Xᵀr, sum(r)
        grad_w *= lr / m  # sgd: param -= lr * grad / batch_size
        w -= grad_w
        b -= lr * float(res.sum()) / m
    return b
