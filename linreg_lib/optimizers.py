"""Optimisers from scratch in NumPy, with the names and semantics of torch.optim.

``SGD``, ``Momentum`` and ``Adam`` each update a list of NumPy parameters in
place from the gradients of the *mean* minibatch loss, exactly as
``torch.optim.SGD``, ``torch.optim.SGD(momentum=μ)`` and ``torch.optim.Adam``
do (the tests compare them step for step). Each computes a direction from the
gradient and its state, and every one then takes the same step,
:func:`linreg_lib.numpy_scratch.sgd`: param −= lr · direction. Each is a small
stateful object: ``opt.step(params, grads)``, ``opt.reset()``, and ``opt.lr``,
which a schedule may change between epochs.
:func:`linreg_lib.optim_training.train_with` trains with them. Chapter "Going
further".
"""

from __future__ import annotations

import math

import numpy as np

from . import _checks
from ._checks import check_range
from .numpy_scratch import sgd

__all__ = ["Optimizer", "SGD", "Momentum", "Adam"]


class Optimizer:
    """Base class: a learning rate ``lr`` and per-parameter state (``reset()``)."""

    def __init__(self, lr: float):
        self.lr = _checks.check_positive("lr", lr)
        self.reset()

    def reset(self):
        """Forget the state, e.g. before training from scratch again."""
        self.state, self.t = None, 0  # state is allocated on the first step

    def step(self, params, grads) -> None:
        """Update each array in ``params`` in place; ``grads`` has the same shapes."""
        _checks.check_step(params, grads, self.lr, 1)
        shapes = [np.shape(p) for p in params]
        if self.state is None:
            self.state, self.shapes = [self._init_state(p) for p in params], shapes
        elif shapes != self.shapes:  # the state belongs to other parameters
            raise ValueError(
                f"params have shapes {shapes}, but this optimiser's state is for "
                f"{self.shapes}: call reset() before training other parameters"
            )
        self.t += 1
        directions = [
            self._direction(g, s) for g, s in zip(grads, self.state, strict=True)
        ]
        sgd(params, directions, self.lr, 1)  # the one SGD step: p -= lr * direction

    def _init_state(self, p):
        return None

    def lr_limit(self, lam_max: float) -> float:
        """Largest stable full-batch lr on a quadratic whose top curvature is λmax."""
        return 2.0 / _checks.check_positive("lam_max", lam_max)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({args})"

    def _params(self):
        return {"lr": self.lr}


class SGD(Optimizer):
    """Plain SGD, ``torch.optim.SGD(params, lr)``: θ ← θ − η g."""

    def _direction(self, g, state):
        return g


class Momentum(Optimizer):
    """SGD with momentum, ``torch.optim.SGD(params, lr, momentum)``.

    v ← μ v + g, then θ ← θ − η v, with v = 0 before the first step.
    ``momentum`` μ in [0, 1); μ = 0 is plain SGD.
    """

    def __init__(self, lr: float, momentum: float = 0.9):
        self.momentum = check_range("momentum", momentum, 0.0, 1.0)
        super().__init__(lr)

    def _init_state(self, p):
        return np.zeros_like(p)

    def _direction(self, g, v):
        v *= self.momentum
        v += g  # v ← μv + g: a running sum of past gradients, decaying by μ per step
        return v

    def lr_limit(self, lam_max: float) -> float:
        lam_max = _checks.check_positive("lam_max", lam_max)
        return 2.0 * (1.0 + self.momentum) / lam_max  # heavy ball: ηλ < 2(1 + μ)

    def _params(self):
        return {"lr": self.lr, "momentum": self.momentum}


class Adam(Optimizer):
    """Adam, ``torch.optim.Adam(params, lr, betas, eps)``, with bias correction.

    m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  at step t,
    θ ← θ − η/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + ε).
    ``betas`` (β1, β2) each in [0, 1); ``eps`` ε > 0.
    """

    def __init__(self, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8):
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = tuple(
            check_range(f"betas[{i}]", beta, 0.0, 1.0) for i, beta in enumerate(betas)
        )
        self.eps = _checks.check_positive("eps", eps)
        super().__init__(lr)

    def _init_state(self, p):
        return np.zeros_like(p), np.zeros_like(p)

    def _direction(self, g, state):
        (beta1, beta2), (m, v) = self.betas, state
        m *= beta1
        m += (1 - beta1) * g  # running mean of gradients
        v *= beta2
        v += (1 - beta2) * g * g  # running mean of squared gradients
        denom = np.sqrt(v) / math.sqrt(1 - beta2**self.t) + self.eps  # bias-corrected
        return (m / denom) / (1 - beta1**self.t)

    def lr_limit(self, lam_max: float) -> float:
        _checks.check_positive("lam_max", lam_max)
        return math.inf  # steps are at most about lr long: no curvature limit

    def _params(self):
        return {"lr": self.lr, "betas": self.betas, "eps": self.eps}
