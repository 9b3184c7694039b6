"""Learning-rate schedules: step decay and cosine decay, as in torch.

A schedule is a callable ``schedule(base_lr, epoch) -> lr`` giving the learning
rate of epoch 0, 1, 2, ... from the initial one, with the semantics of
``torch.optim.lr_scheduler.StepLR`` and ``CosineAnnealingLR`` stepped once per
epoch (the tests compare the sequences). Pass one to
:func:`linreg_lib.optim_training.train_with`. Chapter "Going further".
"""

from __future__ import annotations

import math

import numpy as np

from . import _checks
from ._checks import check_range

__all__ = ["StepLR", "CosineAnnealingLR", "lr_sequence"]


class StepLR:
    """Step decay: lr = base_lr · gamma^⌊epoch / step_size⌋.

    ``torch.optim.lr_scheduler.StepLR(opt, step_size, gamma)``: the lr is
    multiplied by ``gamma`` in (0, 1] every ``step_size`` >= 1 epochs.
    """

    def __init__(self, step_size: int, gamma: float = 0.1):
        self.step_size = _checks.check_int("step_size", step_size, 1)
        self.gamma = check_range(
            "gamma", gamma, 0.0, 1.0, low_open=True, high_open=False
        )

    def __call__(self, base_lr: float, epoch: int) -> float:
        base_lr, epoch = _check_call(base_lr, epoch)
        return base_lr * self.gamma ** (epoch // self.step_size)

    def __repr__(self) -> str:
        return f"StepLR(step_size={self.step_size}, gamma={self.gamma:g})"


class CosineAnnealingLR:
    """Cosine decay from base_lr to eta_min over T_max epochs.

    lr = eta_min + (base_lr − eta_min) · (1 + cos(π · epoch / T_max)) / 2, as
    ``torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max, eta_min)``: it
    reaches ``eta_min`` >= 0 at epoch ``T_max`` >= 1 (and, like torch, rises
    again after it; train for at most T_max epochs).
    """

    def __init__(self, T_max: int, eta_min: float = 0.0):
        self.T_max = _checks.check_int("T_max", T_max, 1)
        self.eta_min = check_range("eta_min", eta_min, 0.0)

    def __call__(self, base_lr: float, epoch: int) -> float:
        base_lr, epoch = _check_call(base_lr, epoch)
        cosine = (1 + math.cos(math.pi * epoch / self.T_max)) / 2  # 1 → 0
        return self.eta_min + (base_lr - self.eta_min) * cosine

    def __repr__(self) -> str:
        return f"CosineAnnealingLR(T_max={self.T_max}, eta_min={self.eta_min:g})"


def lr_sequence(schedule, base_lr: float, num_epochs: int) -> np.ndarray:
    """The lr of epochs 0 .. num_epochs − 1, shape (num_epochs,); None is constant.

    Raises ``ValueError`` if the schedule gives an lr that is negative or not finite.
    """
    num_epochs = _checks.check_int("num_epochs", num_epochs, 0)
    base_lr = _checks.check_positive("base_lr", base_lr)
    if schedule is None:
        return np.full(num_epochs, base_lr)
    if not callable(schedule):
        raise TypeError(f"schedule must be callable(base_lr, epoch), got {schedule!r}")
    return np.array(
        [
            _checks.check_range(
                f"the schedule's lr for epoch {e}", schedule(base_lr, e), 0.0
            )
            for e in range(num_epochs)
        ]
    )


def _check_call(base_lr, epoch):
    return _checks.check_positive("base_lr", base_lr), _checks.check_int(
        "epoch", epoch, 0
    )
