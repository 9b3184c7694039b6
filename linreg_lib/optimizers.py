"""Optimisers from scratch in NumPy, with the names and semantics of torch.optim.

``SGD``, ``Momentum`` and ``Adam`` each update a list of NumPy parameters in
place from the gradients of the *mean* minibatch loss, exactly as
``torch.optim.SGD``, ``torch.optim.SGD(momentum=μ)`` and ``torch.optim.Adam``
do (the tests compare them step for step). Each is a small stateful object:
``opt.step(params, grads)``, ``opt.reset()``, and ``opt.lr``, which a schedule
may change between steps. :func:`linreg_lib.optim_training.train_with` trains
with them. Chapter "Going further".
"""

from __future__ import annotations

import math

import numpy as np

from . import _checks
from ._checks import check_range


class Optimizer:
    """Base class: a learning rate ``lr`` and per-parameter state (``reset()``)."""

    def __init__(self, lr: float):
        self.lr = _checks.check_positive("lr", lr)
        self.reset()

    def reset(self):
        """Forget the state, e.g. before training from scratch again."""
        self.state, self.t = None, 0  # state is allocated on the first step

    def step(self, params, grads):
        """Update each array in ``params`` in place; ``grads`` has the same shapes."""
        if len(grads) != len(params):
            raise ValueError(f"{len(grads)} gradient(s) for {len(params)} parameter(s)")
        for p, g in zip(params, grads, strict=True):
            if np.shape(g) != np.shape(p):  # p -= g would broadcast silently
                raise ValueError(
                    f"gradient of shape {np.shape(g)} for a parameter of shape "
                    f"{np.shape(p)}"
                )
        if self.state is None:
            self.state = [self._init_state(p) for p in params]
        self.t += 1
        for p, g, s in zip(params, grads, self.state, strict=True):
            p -= self._delta(g, s)

    def _init_state(self, p):
        return None

    def lr_limit(self, lam_max: float) -> float:
        """Largest stable full-batch lr on a quadratic whose top curvature is λmax."""
        return 2.0 / lam_max

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({args})"

    def _params(self):
        return {"lr": self.lr}


class SGD(Optimizer):
    """Plain SGD, ``torch.optim.SGD(params, lr)``: θ ← θ − η g."""

    def _delta(self, g, state):
        return self.lr * g


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

    def _delta(self, g, v):
        v *= self.momentum
        v += g  # v ← μv + g: a running sum of past gradients, decaying by μ per step
        return self.lr * v

    def lr_limit(self, lam_max: float) -> float:
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

    def _delta(self, g, state):
        (beta1, beta2), (m, v) = self.betas, state
        m *= beta1
        m += (1 - beta1) * g  # running mean of gradients
        v *= beta2
        v += (1 - beta2) * g * g  # running mean of squared gradients
        step_size = self.lr / (1 - beta1**self.t)  # the bias corrections
        denom = np.sqrt(v) / math.sqrt(1 - beta2**self.t) + self.eps
        return step_size * (m / denom)

    def lr_limit(self, lam_max: float) -> float:
        return math.inf  # steps are at most about lr long: no curvature limit

    def _params(self):
        return {"lr": self.lr, "betas": self.betas, "eps": self.eps}
