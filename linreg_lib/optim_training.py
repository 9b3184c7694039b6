"""Training with any optimiser, an L2 penalty and a learning-rate schedule.

``train_with(optimizer, X, y, ...)`` is :func:`linreg_lib.training.train`
with the SGD update swapped for an optimiser from :mod:`linreg_lib.optimizers`
(``SGD``, ``Momentum``, ``Adam``), the gradient of the ridge objective when
``l2 > 0``, and the lr of each epoch set by a schedule from
:mod:`linreg_lib.schedules`.
Same seed, same initial ``w`` and same batches as ``train``; it returns the
same :class:`linreg_lib.training.History`. Chapter "Going further".
"""

from __future__ import annotations

import copy
import math

import numpy as np

from . import _checks
from ._checks import check_range
from .numpy_scratch import _batches, squared_loss_grad
from .optimizers import Optimizer
from .ridge import ridge_hessian, ridge_loss
from .training import DIVERGENCE_FACTOR, History, _initial_w


def train_with(
    optimizer: Optimizer,
    features,
    labels,
    *,
    batch_size: int = 10,
    num_epochs: int = 3,
    seed=None,
    w0=None,
    b0: float = 0.0,
    l2: float = 0.0,
    schedule=None,
    record_steps: bool = False,
) -> History:
    """Minibatch training with any optimiser, an L2 penalty and an lr schedule.

    Parameters
    ----------
    optimizer : ``SGD``, ``Momentum`` or ``Adam``; copied and reset, never changed.
    features : (n, d); labels : (n,) or (n, 1). NumPy arrays or torch tensors.
    batch_size, num_epochs, seed, w0 (d,), b0, record_steps : as in
        :func:`linreg_lib.training.train`: the same seed gives the same initial
        ``w`` and the same batches.
    l2 : λ >= 0. Each step feeds the optimiser the gradient of the mean
        minibatch loss plus λw (the bias is not penalised), so training
        minimises the ridge objective :func:`linreg_lib.ridge.ridge_loss`.
    schedule : None, or ``schedule(base_lr, epoch) -> lr`` such as
        :class:`linreg_lib.schedules.StepLR`; it sets the lr of every epoch
        (0-based) from ``optimizer.lr``.

    Returns
    -------
    History
        As from ``train``: ``loss`` (E+1,) is the ridge objective (the plain
        loss when l2 = 0), ``w`` (E+1, d), ``b`` (E+1,), ``steps`` (S+1, d+1);
        ``stability_limit`` is the optimiser's full-batch lr limit for this
        objective (inf for Adam).
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be SGD, Momentum or Adam, got {optimizer!r}")
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be callable(base_lr, epoch), got {schedule!r}")
    X, y = _checks.check_data(features, labels)
    n, d = X.shape
    batch_size = _checks.check_batch_size(batch_size, n)
    num_epochs = _checks.check_int("num_epochs", num_epochs, 0)
    l2 = check_range("l2", l2, 0.0)
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 0.01, d) if w0 is None else _initial_w(w0, d)
    b = np.array([float(b0)])
    _checks.check_finite("b0", b)
    opt = copy.deepcopy(optimizer)
    opt.reset()
    limit = opt.lr_limit(np.linalg.eigvalsh(ridge_hessian(X, l2))[-1])
    losses, ws, bs = [ridge_loss(X, y, w, b[0], l2)], [w.copy()], [b[0]]
    steps = [np.append(w, b)] if record_steps else None
    too_big = DIVERGENCE_FACTOR * max(losses[0], float(np.mean(y**2)) / 2)
    message = ""
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        for epoch in range(num_epochs):
            if schedule is not None:
                opt.lr = schedule(optimizer.lr, epoch)
            for X_batch, y_batch in _batches(batch_size, X, y, rng.permutation(n)):
                grad_w, grad_b = squared_loss_grad(X_batch, y_batch, w, b)  # summed
                m = len(y_batch)
                opt.step([w, b], [grad_w / m + l2 * w, grad_b / m])  # mean, + λw
                if record_steps:
                    steps.append(np.append(w, b))
            loss = ridge_loss(X, y, w, b[0], l2)
            if not math.isfinite(loss) or loss > too_big:
                message = (
                    f"training diverged in epoch {epoch + 1}: the loss went from "
                    f"{losses[0]:.3g} to {loss:.3g} with {opt!r}; lower lr "
                    f"(full-batch limit for this optimiser: {limit:.3g})"
                )
                break
            losses.append(loss), ws.append(w.copy()), bs.append(b[0])
    if record_steps:
        steps = np.array(steps)
        finite = np.isfinite(steps).all(axis=1)
        steps = steps[: len(steps) if finite.all() else int(np.argmin(finite))]
    return History(
        loss=np.array(losses), w=np.array(ws), b=np.array(bs), lr=optimizer.lr,
        batch_size=batch_size, num_epochs=num_epochs, stability_limit=limit,
        diverged=bool(message), message=message, steps=steps,
    )  # fmt: skip
