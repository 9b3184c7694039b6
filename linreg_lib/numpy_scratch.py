"""Linear regression from scratch in NumPy, with gradients derived by hand.

Line for line the same algorithm as :mod:`linreg_lib.torch_scratch`: put the
two files side by side and the only differences are the random generator and
the gradient, which here is written out instead of coming from autograd.
Importing this module never imports torch. Chapter "Minibatch SGD".
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .model import linreg, squared_loss

__all__ = [
    "synthetic_data",
    "data_iter",
    "linreg",
    "squared_loss",
    "squared_loss_grad",
    "sgd",
]


def synthetic_data(w, b, num_examples, *, noise=0.01, seed=None):
    """Generate ``y = X w + b + noise``, with X ~ N(0, 1) and noise ~ N(0, noise²).

    Parameters: ``w`` (d,), ``b`` a number, ``num_examples`` n >= 1; ``seed`` an
    int, a ``numpy.random.Generator`` or None (fresh entropy).
    Returns ``X`` of shape (n, d) and ``y`` of shape (n,).
    """
    w = np.asarray(w, dtype=np.float64)
    _check_truth(w, b, num_examples, noise)
    rng = np.random.default_rng(seed)
    X = rng.normal(0, 1, (num_examples, len(w)))
    y = X @ w + b
    y += rng.normal(0, noise, y.shape)  # observation noise ε
    return X, y


def data_iter(batch_size, features, labels, *, seed=None):
    """Yield ``(X, y)`` minibatches of ``batch_size`` rows in a random order.

    One random permutation of the n examples, then consecutive slices of it;
    the last batch is smaller when n is not a multiple of ``batch_size``.
    ``seed`` as in :func:`synthetic_data`; pass one Generator to draw a fresh
    order every epoch from a single reproducible stream.
    """
    _check_batches(batch_size, features, labels)
    indices = np.random.default_rng(seed).permutation(len(features))
    return _batches(batch_size, features, labels, indices)


def _batches(batch_size, features, labels, indices):
    """Consecutive slices of a shuffled order ``indices``; works for NumPy and torch.

    The unchecked generator behind both ``data_iter`` functions.
    """
    num_examples = len(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = indices[i : i + batch_size]
        yield features[batch_indices], labels[batch_indices]


def squared_loss_grad(X, y, w, b):
    """Gradients of the summed loss ``squared_loss(linreg(X, w, b), y).sum()``.

    What ``l.sum().backward()`` computes in the torch path, by hand:
    with residual r = Xw + b - y, d/dw sum(r²/2) = Xᵀr and d/db = sum(r).
    Returns ``(grad_w, grad_b)`` with the shapes of ``w`` and ``b``.
    """
    r = linreg(X, w, b)
    r = r - _checks.match_prediction(r, y)  # residual, shape of y_hat
    grad_w = X.T @ r
    grad_b = np.reshape(r.sum(), np.shape(b))
    return grad_w, grad_b


def sgd(params, grads, lr, batch_size):
    """Minibatch SGD update, in place: ``param -= lr * grad / batch_size``.

    ``grads`` are gradients of the loss *summed* over the batch (as from
    :func:`squared_loss_grad`), so dividing by ``batch_size`` takes the mean.
    """
    _checks.check_positive("lr", lr)
    _checks.check_int("batch_size", batch_size, 1)
    for param, grad in zip(params, grads, strict=True):
        param -= lr * grad / batch_size


def _check_truth(w, b, num_examples, noise):
    """Shared checks for both ``synthetic_data`` functions."""
    if len(_checks.shape_of(w)) != 1:
        raise ValueError(f"w must be a vector of shape (d,), got {_checks.shape_of(w)}")
    _checks.check_finite("w", w)
    _checks.check_bias(b)
    _checks.check_int("num_examples", num_examples, 1)
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite standard deviation >= 0, got {noise}")


def _check_batches(batch_size, features, labels):
    """Shared checks for both ``data_iter`` functions."""
    n = len(features)
    if len(labels) != n:
        raise ValueError(
            f"features has {n} rows but labels has {len(labels)}: "
            f"shapes {_checks.shape_of(features)} and {_checks.shape_of(labels)}"
        )
    _checks.check_batch_size(batch_size, n)
    _checks.check_finite("features", features)
    _checks.check_finite("labels", labels)
