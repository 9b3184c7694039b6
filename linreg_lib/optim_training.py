"""Training with any optimiser, an L2 penalty and a learning-rate schedule.

``train_with(optimizer, X, y, ...)`` is :func:`linreg_lib.training.train` with
three changes: the step is the optimiser's (``SGD``, ``Momentum``, ``Adam``
from :mod:`linreg_lib.optimizers`), the gradient is the ridge objective's when
``l2 > 0``, and a schedule (:mod:`linreg_lib.schedules`) sets the learning rate
of each epoch. The same seed gives the same initial ``w`` and the same batches
as ``train``, and it returns the same :class:`linreg_lib.history.History`.
Chapter "Going further".
"""

from __future__ import annotations

import copy

import numpy as np

from . import _checks
from .defaults import BATCH_SIZE, NUM_EPOCHS
from .history import History, Recorder
from .numpy_scratch import data_iter, summed_loss_grad
from .optimizers import Optimizer
from .ridge import ridge_hessian, ridge_loss
from .training import start

__all__ = ["train_with"]


@np.errstate(over="ignore", invalid="ignore")  # divergence is reported, not warned
def train_with(
    optimizer: Optimizer,
    features,
    labels,
    *,
    batch_size: int = BATCH_SIZE,
    num_epochs: int = NUM_EPOCHS,
    seed=None,
    w0=None,
    b0: float = 0.0,
    l2: float = 0.0,
    schedule=None,
    record_steps: bool = False,
) -> History:
    """Minibatch training with an optimiser, an L2 penalty and an lr schedule.

    Parameters
    ----------
    optimizer : SGD, Momentum or Adam
        Copied and reset, never changed; its ``lr`` is the base learning rate.
    features, labels, batch_size, num_epochs, seed, w0, b0, record_steps
        As for :func:`linreg_lib.training.train`.
    l2 : float >= 0
        λ: each step feeds the optimiser the mean minibatch gradient plus λw
        (the bias is not penalised), minimising :func:`linreg_lib.ridge.ridge_loss`.
    schedule : callable or None
        ``schedule(base_lr, epoch) -> lr`` for epochs 0, 1, ..., such as
        :class:`linreg_lib.schedules.StepLR`; each lr must be finite and > 0.

    Returns
    -------
    History
        As from ``train``; ``loss`` is the ridge objective (the plain loss when
        l2 = 0) and ``stability_limit`` the optimiser's full-batch lr limit.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be SGD, Momentum or Adam, got {optimizer!r}")
    if schedule is not None and not callable(schedule):
        raise TypeError(f"schedule must be callable(base_lr, epoch), got {schedule!r}")
    base_lr = optimizer.lr
    X, y, w, b, rng = start(
        features, labels, base_lr, batch_size, num_epochs, seed, w0, b0
    )
    l2 = _checks.check_range("l2", l2, 0.0)
    opt = copy.deepcopy(optimizer)
    opt.reset()
    objective = lambda w, b: ridge_loss(X, y, w, b, l2)  # noqa: E731  (what is recorded)
    record = Recorder(X, y, w, b, record_steps=record_steps, loss=objective)
    for epoch in range(num_epochs):
        opt.lr = base_lr if schedule is None else _scheduled(schedule, base_lr, epoch)
        for X_batch, y_batch in data_iter(batch_size, X, y, seed=rng):
            grad_w, grad_b = summed_loss_grad(X_batch, y_batch, w, b)  # summed...
            m = len(y_batch)
            opt.step([w, b], [grad_w / m + l2 * w, grad_b / m])  # ...so / m, + λw
            record.step(w, b)
        if record.epoch(w, b):
            break
    limit = opt.lr_limit(np.linalg.eigvalsh(ridge_hessian(X, l2))[-1])
    return record.history(
        base_lr, batch_size, num_epochs, limit, explain=_why(opt, limit)
    )


def _scheduled(schedule, base_lr, epoch) -> float:
    """The schedule's lr for ``epoch``, refused unless a finite number >= 0."""
    lr = schedule(base_lr, epoch)
    return _checks.check_range(f"the schedule's lr for epoch {epoch}", lr, 0.0)


def _why(opt, limit):
    return lambda epoch, start, loss: (
        f"training diverged in epoch {epoch}: the loss went from {start:.3g} to "
        f"{loss:.3g} with {opt!r}; lower lr (full-batch limit for this optimiser: "
        f"{limit:.3g})"
    )
