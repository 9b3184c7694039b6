"""Linear regression from scratch in PyTorch, with the gradient from autograd.

D2L's functions with D2L's names and argument order, line for line the same
as :mod:`linreg_lib.numpy_scratch` (whose docstrings give the maths): the
differences are the random generator, and the gradient, which autograd fills
in. Labels are (n,) in both; ``w`` may be (d,) or D2L's (d, 1).
The training step is ``l = squared_loss(linreg(X, w, b), y);
l.sum().backward(); sgd([w, b], lr, batch_size)``. Chapter "Training".
"""

from __future__ import annotations

import torch

from . import _checks, numpy_scratch
from .defaults import NOISE
from .model import linreg, squared_loss

__all__ = numpy_scratch.__all__  # the same names, in the same order


def synthetic_data(w, b, num_examples: int, *, noise: float = NOISE, seed=None):
    """Generate ``y = X @ w + b + ε`` as tensors; ``seed`` may be a torch.Generator.

    Returns ``X`` of shape (n, d) and ``y`` of shape (n,), in ``w``'s dtype.
    """
    _checks.check_truth(w, b, num_examples, noise)
    w = torch.as_tensor(w)
    g = _generator(seed)
    X = torch.normal(0, 1, (num_examples, len(w)), generator=g, dtype=w.dtype)
    y = X @ w + b
    y += torch.normal(0, noise, y.shape, generator=g, dtype=w.dtype)  # noise ε
    return X, y


def data_iter(batch_size: int, features, labels, *, seed=None):
    """Yield ``(X, y)`` minibatches in a random order; see the NumPy version."""
    _checks.check_batches(batch_size, features, labels)
    indices = torch.randperm(len(features), generator=_generator(seed))
    for i in range(0, len(indices), batch_size):
        batch_indices = indices[i : i + batch_size]
        yield features[batch_indices], labels[batch_indices]


def summed_loss_grad(X, y, w, b):
    """Gradients of the summed loss by autograd: what ``l.sum().backward()`` fills in.

    ``w`` and ``b`` are tensors; fresh leaf copies get the gradients, so the
    arguments are left untouched. Returns ``(grad_w, grad_b)``.
    """
    _checks.check_real("w", w), _checks.check_real("b", b)
    w = torch.as_tensor(w).detach().clone().requires_grad_()  # a fresh leaf
    b = torch.as_tensor(b, dtype=w.dtype).detach().clone().requires_grad_()
    l = squared_loss(linreg(X, w, b), y)
    l.sum().backward()
    return w.grad, b.grad


def sgd(params, lr: float, batch_size: int) -> None:
    """Minibatch SGD, in place: ``param -= lr * param.grad / batch_size``.

    Each ``param.grad`` holds the gradient of the loss *summed* over the batch
    (from ``l.sum().backward()``); it is reset to zero after the update.
    """
    grads = [getattr(param, "grad", None) for param in params]
    _checks.check_step(params, grads, lr, batch_size)
    with torch.no_grad():
        for param in params:
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
