"""One SGD epoch over data too large to be comfortable, with little overhead per batch.

``train`` records a history and checks for divergence after every epoch; on a
million rows its per-batch Python work is what costs. ``sgd_epoch`` checks its
arguments once, computes the gradient of
:func:`linreg_lib.numpy_scratch.summed_loss_grad` (the same arithmetic) into
preallocated buffers, and takes the library's one step,
:func:`linreg_lib.numpy_scratch.sgd`, over the batches of
:func:`linreg_lib.iterators.minibatches`: a NumPy array or a read-only memory
map, in float32 or float64. The mean loss of every twentieth of the epoch's
batches feeds the divergence rule of :mod:`linreg_lib.divergence` (one batch's
loss alone is too noisy to judge by). Chapter "Performance and scale".
"""

from __future__ import annotations

import math

import numpy as np

from . import _checks, divergence
from .iterators import minibatches
from .numpy_scratch import sgd

__all__ = ["sgd_epoch"]


def sgd_epoch(features, labels, w, b, *, lr, batch_size, seed=None, shuffle="batches"):
    """One pass of minibatch SGD on ½·mean squared loss, updating ``w`` in place.

    Parameters
    ----------
    features : array or memmap of shape (n, d)
    labels : array or memmap of shape (n,) or (n, 1)
    w : writeable float array of shape (d,), updated in place
    b : float, the bias
    lr, batch_size, seed, shuffle : as in ``train`` and ``minibatches``

    Returns
    -------
    float
        The updated bias (a Python float cannot be updated in place).

    Raises
    ------
    ValueError
        For bad arguments (before anything is allocated), and when the batch
        losses diverge. The data's values are not scanned (that would read a
        memory map); NaN in them makes the run diverge, which is reported.
    """
    d = _checks.check_features(features, "features")
    if features.shape[0] < 1:
        raise ValueError(f"features has no rows (shape {features.shape})")
    _checks.check_batch_size(batch_size, features.shape[0])  # before any buffer
    _checks.check_positive("lr", lr)
    if not (isinstance(w, np.ndarray) and w.flags.writeable and w.dtype.kind == "f"):
        raise TypeError(
            f"w must be a writeable float array, updated in place; got {w!r:.60}"
        )
    if w.shape != (d,):
        raise ValueError(
            f"w has shape {w.shape} but features has {d} column(s): expected ({d},)"
        )
    _checks.check_finite("w", w), _checks.check_bias(b), _checks.check_finite("b", b)
    batches = minibatches(batch_size, features, labels, seed=seed, shuffle=shuffle)
    dtype = np.result_type(features.dtype, w.dtype)
    r, grad_w = np.empty(batch_size, dtype), np.empty(d, dtype)  # reused buffers
    bias, watch = np.array([b], dtype), None
    window = math.ceil(features.shape[0] / batch_size / 20)  # 20 checks per epoch
    losses, zeros = [], []
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is checked below
        for X, y in batches:
            m = len(X)
            res = (
                np.dot(X, w, out=r[:m])
                if m == batch_size and X.dtype == dtype
                else X @ w
            )
            res -= y.reshape(m)  # residual r = Xw + b - y ...
            res += bias
            np.dot(X.T, res, out=grad_w)  # ... the gradient of the summed loss: Xᵀr
            losses.append(float(res @ res) / (2 * m))  # this batch's loss
            if watch is None:
                zeros.append(float(np.square(y, dtype=dtype).sum()) / (2 * m))
            if len(losses) == window:  # the rule on the mean of a window of batches
                loss, losses = sum(losses) / window, []
                if watch is None and not math.isfinite(loss):
                    raise ValueError(_diverged(loss, loss, lr))
                watch = watch or divergence.Divergence(loss, sum(zeros) / window)
                if watch.check(loss):
                    raise ValueError(_diverged(watch.start, loss, lr))
            sgd([w, bias], [grad_w, res.sum(keepdims=True)], lr, m)
    return float(bias[0])


def _diverged(start, loss, lr) -> str:
    if not math.isfinite(loss) and not math.isfinite(start):
        return (
            "the batch loss is not finite from the start: features or labels hold "
            "NaN or inf (sgd_epoch reads them once, without scanning them first)"
        )
    return (
        f"sgd_epoch diverged: the mean batch loss went from {start:.3g} to "
        f"{loss:.3g} with lr = {lr:g}; choose a smaller lr (or check features and "
        "labels for NaN or inf, which sgd_epoch does not scan beforehand)"
    )
