"""Linear regression from scratch in NumPy, with the gradient derived by hand.

Line for line the same as :mod:`linreg_lib.torch_scratch`: put the two files
side by side and they differ in the random generator, and in the gradient,
written out here where torch gets it from autograd. Labels are (n,) in both.
Importing this module never imports torch. Chapters "Generating data",
"Reading data in minibatches" and "Minibatch SGD".
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .defaults import NOISE
from .model import linreg, squared_loss

__all__ = [
    "synthetic_data",
    "data_iter",
    "linreg",
    "squared_loss",
    "summed_loss_grad",
    "sgd",
]


def synthetic_data(w, b, num_examples: int, *, noise: float = NOISE, seed=None):
    """Generate ``y = X @ w + b + ε``, with X ~ N(0, 1) and ε ~ N(0, noise²).

    ``w`` has shape (d,), ``b`` is a number, ``num_examples`` n >= 1, ``noise``
    >= 0; ``seed`` is an int, a ``numpy.random.Generator`` or None (fresh).
    Returns ``X`` of shape (n, d) and ``y`` of shape (n,).
    """
    _checks.check_truth(w, b, num_examples, noise)
    w = np.asarray(w, dtype=np.float64)
    rng = np.random.default_rng(_checks.check_seed(seed))
    X = rng.normal(0, 1, (num_examples, len(w)))
    y = X @ w + b
    y += rng.normal(0, noise, y.shape)  # observation noise ε
    return X, y


def data_iter(batch_size: int, features, labels, *, seed=None):
    """Yield ``(X, y)`` minibatches of ``batch_size`` rows in a random order.

    One random permutation of the n examples, then consecutive slices of it;
    the last batch is smaller when n is not a multiple of ``batch_size``.
    ``seed`` as in :func:`synthetic_data`: pass one Generator to draw a fresh
    order every epoch from a single reproducible stream.
    """
    _checks.check_batches(batch_size, features, labels)
    indices = np.random.default_rng(_checks.check_seed(seed)).permutation(len(features))
    for i in range(0, len(indices), batch_size):
        batch_indices = indices[i : i + batch_size]
        yield features[batch_indices], labels[batch_indices]


def summed_loss_grad(X, y, w, b):
    """Gradients of the *summed* loss ``squared_loss(linreg(X, w, b), y).sum()``.

    What ``l.sum().backward()`` computes in the torch path, by hand: with the
    residual r = Xw + b - y, d/dw Σ r²/2 = Xᵀr and d/db Σ r²/2 = Σ r.
    Returns ``(grad_w, grad_b)`` with the shapes of ``w`` and ``b``.
    """
    y_hat = linreg(X, w, b)
    r = y_hat - _checks.match_prediction(y_hat, y)  # residual, shape of y_hat
    return X.T @ r, np.reshape(r.sum(), np.shape(b))


def sgd(params, grads, lr: float, batch_size: int) -> None:
    """Minibatch SGD, in place: ``param -= lr * grad / batch_size`` for each param.

    ``params`` are writeable float arrays, updated in place (a bias too:
    ``np.zeros(1)``, not ``0.0``, which could not change); ``grads`` are the
    gradients of the loss *summed* over the batch, with the same shapes, so
    dividing by ``batch_size`` takes the mean.
    """
    _checks.check_step(params, grads, lr, batch_size)
    for param, grad in zip(params, grads, strict=True):
        param -= lr * grad / batch_size
