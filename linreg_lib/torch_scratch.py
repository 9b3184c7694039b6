"""Linear regression from scratch in PyTorch, with gradients from autograd.

D2L's five functions with D2L's names, argument order and shapes: labels are a
column (n, 1), ``w`` is (d, 1), and the training step is
``l = squared_loss(linreg(X, w, b), y); l.sum().backward(); sgd([w, b], lr,
batch_size)``. Line for line the same algorithm as
:mod:`linreg_lib.numpy_scratch`, whose docstrings give the maths.
"""

from __future__ import annotations

import torch

from . import _checks
from .model import linreg, squared_loss
from .numpy_scratch import _batches, _check_batches, _check_truth

__all__ = ["synthetic_data", "data_iter", "linreg", "squared_loss", "sgd"]


def synthetic_data(w, b, num_examples, *, noise=0.01, seed=None):
    """Generate ``y = X w + b + noise`` as torch tensors, X ~ N(0, 1).

    ``w`` is a tensor (d,); ``seed`` an int, a ``torch.Generator`` or None.
    Returns ``X`` of shape (n, d) and ``y`` of shape (n, 1), as in D2L.
    """
    w = torch.as_tensor(w)
    _check_truth(w, b, num_examples, noise)
    g = _generator(seed)
    X = torch.normal(0, 1, (num_examples, len(w)), generator=g, dtype=w.dtype)
    y = torch.matmul(X, w) + b
    y += torch.normal(0, noise, y.shape, generator=g, dtype=w.dtype)  # noise ε
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels, *, seed=None):
    """Yield ``(X, y)`` minibatches in a random order; see the NumPy version."""
    _check_batches(batch_size, features, labels)
    indices = torch.randperm(len(features), generator=_generator(seed))
    return _batches(batch_size, features, labels, indices)


def sgd(params, lr, batch_size):
    """Minibatch SGD, in place: ``param -= lr * param.grad / batch_size``.

    Each ``param.grad`` holds the gradient of the loss *summed* over the batch
    (from ``l.sum().backward()``); it is reset to zero after the update.
    """
    _checks.check_positive("lr", lr)
    _checks.check_int("batch_size", batch_size, 1)
    with torch.no_grad():
        for param in params:
            if param.grad is None:
                raise ValueError("a parameter has no .grad: call l.sum().backward()")
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def _generator(seed) -> torch.Generator:
    """A ``torch.Generator`` from an int seed, a Generator, or None (fresh)."""
    if isinstance(seed, torch.Generator):
        return seed
    g = torch.Generator()
    if seed is None:
        g.seed()  # non-deterministic, like numpy.random.default_rng(None)
    else:
        g.manual_seed(_checks.check_int("seed", seed, 0))
    return g
