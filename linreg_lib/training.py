"""The training loop behind the chapters and the slider panels.

``train`` runs minibatch SGD on (features, labels) for given hyperparameters
and returns a :class:`History` of the full-data loss, ``w`` and ``b`` after
every epoch. The loop is the book's loop, ``data_iter`` → ``linreg`` →
``squared_loss`` → gradient → ``sgd``, in NumPy (hand-derived gradient, the
default, fast enough to re-run on every slider move) or in torch (autograd).
When the loss blows up it stops and says why, naming the stability limit.
Chapter "Training".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _checks
from .curvature import stability_limit
from .model import linreg, squared_loss
from .numpy_scratch import _batches, sgd, squared_loss_grad

#: Training has diverged once the loss exceeds this many times its starting scale.
DIVERGENCE_FACTOR = 1e4


@dataclass
class History:
    """What :func:`train` records. Row 0 is before the first epoch.

    loss : (E+1,) full-data mean of ``squared_loss`` after each epoch
    w : (E+1, d) and b : (E+1,) the parameters after each epoch
    steps : (S+1, d+1) ``[w, b]`` after every SGD step, if ``record_steps``
    diverged, message : whether training stopped early, and why
    E counts the epochs actually run: fewer than ``num_epochs`` if diverged.
    """

    loss: np.ndarray
    w: np.ndarray
    b: np.ndarray
    lr: float
    batch_size: int
    num_epochs: int
    stability_limit: float
    diverged: bool = False
    message: str = ""
    steps: np.ndarray | None = None

    @property
    def epochs(self) -> np.ndarray:
        """0, 1, ..., E: the x axis of a per-epoch plot."""
        return np.arange(len(self.loss))

    def param_error(self, true_w, true_b) -> np.ndarray:
        """(E+1,) Euclidean distance of ``[w, b]`` from ``[true_w, true_b]``."""
        truth = np.append(np.ravel(_checks._to_numpy(true_w)), float(true_b))
        return np.linalg.norm(np.column_stack([self.w, self.b]) - truth, axis=1)

    def __repr__(self) -> str:
        head = (
            f"History(lr={self.lr:g}, batch_size={self.batch_size}, "
            f"epochs={len(self.loss) - 1}/{self.num_epochs}"
        )
        if self.diverged:
            return f"{head}, diverged)"
        w = ", ".join(f"{v:.4f}" for v in self.w[-1])
        return f"{head}, loss {self.loss[-1]:.3g}, w=[{w}], b={self.b[-1]:.4f})"


def train(
    features,
    labels,
    *,
    lr: float = 0.03,
    batch_size: int = 10,
    num_epochs: int = 3,
    seed=None,
    w0=None,
    b0: float = 0.0,
    backend: str = "numpy",
    record_steps: bool = False,
    orders=None,
) -> History:
    """Minibatch SGD on the squared loss; D2L's hyperparameters by default.

    Parameters
    ----------
    features : (n, d); labels : (n,) or (n, 1). NumPy arrays or torch tensors.
    lr : learning rate > 0.  batch_size : 1 <= batch_size <= n.
    num_epochs : passes over the data, >= 0.
    seed : int, ``numpy.random.Generator`` or None. Draws ``w0`` (if not given,
        N(0, 0.01²) as in D2L) and then one shuffle per epoch.
    w0 : (d,) initial weights; b0 : initial bias.
    backend : "numpy" (the loop, hand-derived gradient), "torch" (the loop,
        autograd, float64) or "scan" (every step at once, see
        :mod:`linreg_lib.scan`: the same numbers, far faster for small d).
    record_steps : also keep ``[w, b]`` after every step (for trajectories).
    orders : optional ``num_epochs`` permutations of range(n), the batch order
        of each epoch, instead of drawing them (to replay another run's batches).
    """
    X, y = _checks.check_data(features, labels)
    n, d = X.shape
    lr = _checks.check_positive("lr", lr)
    batch_size = _checks.check_batch_size(batch_size, n)
    num_epochs = _checks.check_int("num_epochs", num_epochs, 0)
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 0.01, d) if w0 is None else _initial_w(w0, d)
    b = np.array([float(b0)])
    _checks.check_finite("b0", b)
    if orders is None:
        orders = (rng.permutation(n) for _ in range(num_epochs))  # drawn lazily
    else:
        orders = _check_orders(orders, n, num_epochs)
    if backend == "scan":
        epochs = _scan_epochs(X, y, w, b, lr, batch_size, orders)
    else:
        epochs = _loop_epochs(backend, X, y, w, b, lr, batch_size, orders, record_steps)

    def full_loss(w, b):
        return float(squared_loss(linreg(X, w, b), y).mean())

    losses, ws, bs = [full_loss(w, b)], [w.copy()], [b[0]]
    steps = [np.append(w, b)[None]]
    limit = stability_limit(X)
    too_big = DIVERGENCE_FACTOR * max(losses[0], float(np.mean(y**2)) / 2)
    message = ""
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        for epoch, (w, b, epoch_steps) in enumerate(epochs, start=1):
            steps.append(epoch_steps)
            loss = full_loss(w, b)
            if not math.isfinite(loss) or loss > too_big:
                message = _divergence_message(
                    epoch, losses[0], loss, lr, batch_size, limit
                )
                if math.isfinite(loss):
                    losses.append(loss), ws.append(w), bs.append(b)
                break
            losses.append(loss), ws.append(w), bs.append(b)
    if record_steps:
        steps = np.concatenate(steps)
        finite = np.isfinite(steps).all(axis=1)
        steps = steps[: len(steps) if finite.all() else int(np.argmin(finite))]
    return History(
        loss=np.array(losses), w=np.array(ws), b=np.array(bs), lr=lr,
        batch_size=batch_size, num_epochs=num_epochs, stability_limit=limit,
        diverged=bool(message), message=message,
        steps=steps if record_steps else None,
    )  # fmt: skip


def _loop_epochs(backend, X, y, w, b, lr, batch_size, orders, record_steps):
    """The book's loop, one epoch at a time: yields (w, b, steps of the epoch)."""
    step, params = _stepper(backend, w, b, lr)
    for order in orders:
        steps = []
        for X_batch, y_batch in _batches(batch_size, X, y, order):
            step(X_batch, y_batch)
            if record_steps:
                steps.append(np.append(*params()))
        w, b = params()
        yield w, b[0], np.array(steps).reshape(-1, len(w) + 1)


def _scan_epochs(X, y, w, b, lr, batch_size, orders):
    """All steps at once (:func:`linreg_lib.scan.sgd_scan`), cut into epochs."""
    from .scan import sgd_scan

    theta, per_epoch = sgd_scan(X, y, np.append(w, b), lr, batch_size, orders)
    ends = np.cumsum(per_epoch)
    for start, end in zip(ends - per_epoch, ends, strict=True):
        yield theta[end, :-1].copy(), theta[end, -1], theta[start + 1 : end + 1]


def _check_orders(orders, n, num_epochs):
    orders = [np.asarray(order) for order in orders]
    if len(orders) != num_epochs:
        raise ValueError(f"got {len(orders)} orders for num_epochs={num_epochs}")
    for order in orders:
        if order.shape != (n,) or not np.array_equal(np.sort(order), np.arange(n)):
            raise ValueError(f"each order must be a permutation of range({n})")
    return orders


def losses_along(features, labels, steps) -> np.ndarray:
    """The full-data loss (mean of ``squared_loss``) at every row of ``steps``.

    ``steps`` has shape (S, d + 1), rows ``[w, b]`` as in ``History.steps``;
    returns shape (S,). Rows that are not finite give ``nan``.
    """
    X, y = _checks.check_data(features, labels)
    steps = np.asarray(steps, dtype=np.float64)
    if steps.ndim != 2 or steps.shape[1] != X.shape[1] + 1:
        raise ValueError(
            f"steps has shape {steps.shape}; expected (S, {X.shape[1] + 1}): rows [w, b]"
        )
    with np.errstate(over="ignore", invalid="ignore"):
        residuals = X @ steps[:, :-1].T + steps[:, -1] - y[:, None]  # (n, S)
        return np.mean(residuals**2, axis=0) / 2


def _initial_w(w0, d):
    w0 = np.array(_checks._to_numpy(w0), dtype=np.float64)
    _checks.check_weights(w0, d, "w0")
    _checks.check_finite("w0", w0)
    return w0.reshape(d)


def _stepper(backend, w, b, lr):
    """One SGD step on a minibatch, and a getter of (w, b) as NumPy copies."""
    if backend == "numpy":

        def step(X, y):
            grads = squared_loss_grad(X, y, w, b)  # hand-derived gradient of l.sum()
            sgd([w, b], grads, lr, len(y))

        return step, lambda: (w.copy(), b.copy())
    if backend == "torch":
        import torch

        from . import torch_scratch

        wt = torch.tensor(w, requires_grad=True)
        bt = torch.tensor(b, requires_grad=True)

        def step(X, y):
            l = squared_loss(linreg(torch.from_numpy(X), wt, bt), torch.from_numpy(y))
            l.sum().backward()  # autograd fills wt.grad, bt.grad
            torch_scratch.sgd([wt, bt], lr, len(y))

        return step, lambda: (wt.detach().numpy().copy(), bt.detach().numpy().copy())
    raise ValueError(f"backend must be 'numpy' or 'torch', got {backend!r}")


def _divergence_message(epoch, first, loss, lr, batch_size, limit):
    grew = f"training diverged in epoch {epoch}: the loss went from {first:.3g} to {loss:.3g}"
    if lr >= limit:
        return (
            f"{grew}. lr = {lr:g} is above the stability limit 2/λmax = {limit:.3g} "
            f"for this data; choose lr < {limit:.3g}."
        )
    return (
        f"{grew}, although lr = {lr:g} is below the full-batch stability limit "
        f"2/λmax = {limit:.3g} for this data: minibatches of {batch_size} are noisy "
        "and some are more curved than the whole; lower lr or raise batch_size."
    )
