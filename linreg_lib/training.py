"""The training loop: the Training chapter's loop, as a library function.

``train`` is the loop the book writes by hand, ``for X, y in data_iter(...)``,
the gradient of the summed loss, ``sgd``, with a record of every epoch. The
checks and the starting point live in :func:`start`, the record and the
divergence rule in :mod:`linreg_lib.history`. ``backend="torch"`` takes the
gradient from autograd instead of the hand-derived formula; the numbers agree
to rounding. :func:`linreg_lib.scan.train_scan` computes the same run far
faster for a few features. Chapter "Training".
"""

from __future__ import annotations

import numpy as np

from . import _checks
from .curvature import stability_limit
from .defaults import BATCH_SIZE, LR, NUM_EPOCHS
from .history import History, Recorder
from .numpy_scratch import data_iter, sgd, summed_loss_grad

__all__ = ["train", "start", "losses_along", "GRADIENTS"]


@np.errstate(over="ignore", invalid="ignore")  # divergence is reported, not warned
def train(
    features,
    labels,
    *,
    lr: float = LR,
    batch_size: int = BATCH_SIZE,
    num_epochs: int = NUM_EPOCHS,
    seed=None,
    w0=None,
    b0: float = 0.0,
    record_steps: bool = False,
    backend: str = "numpy",
) -> History:
    """Minibatch SGD on the squared loss, with D2L's hyperparameters by default.

    features (n, d), labels (n,) or (n, 1). seed (int, Generator or None) draws
    w0 ~ N(0, 0.01²) unless given, then a shuffle per epoch. record_steps keeps
    [w, b] after every step. backend: "numpy" (hand-derived gradient) or
    "torch" (autograd). A run that diverges stops, and its History says why.
    """
    X, y, w, b, rng = start(features, labels, lr, batch_size, num_epochs, seed, w0, b0)
    gradient = GRADIENTS[_checks.check_choice("backend", backend, GRADIENTS)]
    record = Recorder(X, y, w, b, record_steps=record_steps)
    for epoch in range(num_epochs):
        for X_batch, y_batch in data_iter(batch_size, X, y, seed=rng):
            grad_w, grad_b = gradient(X_batch, y_batch, w, b)  # of the summed loss
            sgd([w, b], [grad_w, grad_b], lr, len(y_batch))  # a step by the mean
            record.step(w, b)
        if record.epoch(w, b):  # the full-data loss; stop once the run diverges
            break
    return record.history(lr, batch_size, num_epochs, stability_limit(X))


def start(features, labels, lr, batch_size, num_epochs, seed, w0, b0):
    """Check a run's arguments and make its start: ``X, y, w, b, rng``.

    ``X`` (n, d) and ``y`` (n,) float64; ``w`` (d,) and ``b`` (1,) fresh arrays
    that the run updates in place; ``rng`` the Generator for the shuffles (it
    drew ``w`` ~ N(0, 0.01²) first when ``w0`` is None). Shared by every loop.
    """
    X, y = _checks.check_data(features, labels)
    n, d = X.shape
    _checks.check_positive("lr", lr)
    _checks.check_batch_size(batch_size, n)
    _checks.check_int("num_epochs", num_epochs, 0)
    rng = np.random.default_rng(_checks.check_seed(seed))
    if w0 is None:
        w = rng.normal(0, 0.01, d)  # D2L's start: small random weights...
    else:
        w = _checks.as_float_array("w0", w0)
        _checks.check_weights(w, d, "w0"), _checks.check_finite("w0", w)
        w = w.reshape(d).copy()
    _checks.check_bias(b0, "b0"), _checks.check_finite("b0", b0)
    b = np.array([float(np.ravel(_checks.to_numpy(b0))[0])])  # ...and a bias of 0
    return X, y, w, b, rng


def _autograd_grad(X, y, w, b):
    """:func:`linreg_lib.torch_scratch.summed_loss_grad` on NumPy arrays, in float64."""
    import torch

    from .torch_scratch import summed_loss_grad as by_autograd

    tensors = (torch.from_numpy(np.asarray(a)) for a in (X, y, w, b))
    return tuple(g.numpy() for g in by_autograd(*tensors))


#: The gradient of the summed loss, by backend: by hand, or by autograd.
GRADIENTS = {"numpy": summed_loss_grad, "torch": _autograd_grad}


def losses_along(features, labels, params) -> np.ndarray:
    """The full-data loss (mean of ``squared_loss``) at every row of ``params``.

    ``params`` has shape (S, d + 1), rows ``[w, b]`` as in
    ``History.params_per_step``; returns shape (S,). One matrix product, not S
    passes over the data. Rows that overflow give inf or nan.
    """
    X, y = _checks.check_data(features, labels)
    params = _checks.as_float_array("params", params)
    if params.ndim != 2 or params.shape[1] != X.shape[1] + 1:
        raise ValueError(
            f"params has shape {params.shape}; expected (S, {X.shape[1] + 1}): rows [w, b]"
        )
    with np.errstate(over="ignore", invalid="ignore"):
        residuals = X @ params[:, :-1].T + params[:, -1] - y[:, None]  # (n, S)
        return np.mean(residuals**2, axis=0) / 2
