"""An optimisation of ``train``: every SGD step at once, as a prefix scan.

``train_scan`` returns the same History as :func:`linreg_lib.training.train`
(the tests compare them step for step). One SGD step on a batch B of m examples
is *affine* in θ = [w, b]: θ ← A_B θ + v_B, with A_B = I − (η/m) X1_Bᵀ X1_B,
v_B = (η/m) X1_Bᵀ y_B and X1 = [X, 1]. Affine maps compose into affine maps,
associatively, so all S iterates follow from log2(S) rounds of batched
(d+1)×(d+1) matrix products (a Hillis–Steele scan), not S Python steps. Cost
grows as (d+1)³ log S and memory as S (d+1)²: where the loop is faster,
``train_scan`` runs the loop. Chapter "Performance and scale"; panels use it.
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from . import _checks
from .closed_form import with_ones
from .curvature import stability_limit
from .history import History, Recorder
from .training import start, train

__all__ = ["train_scan", "scan_is_faster", "affine_steps", "prefix_scan", "sgd_scan"]

#: Above this cost, (d+1)³·log2(S), the loop is faster than the scan.
SCAN_MAX_COST = 80_000  # measured: at d = 20, S = 1000 both take ~30 ms
#: The scan keeps S maps of (d+1)² floats several times over; at most this many.
SCAN_MAX_FLOATS = 20_000_000


def train_scan(features, labels, **options) -> History:
    """:func:`linreg_lib.training.train`, computed by the scan: the same keyword
    arguments (all but ``backend``) and the same History, to rounding.

    Runs the plain loop instead when :func:`scan_is_faster` says the scan would
    be slower or need too much memory.
    """
    run = inspect.signature(train).bind(features, labels, **options)  # train's names
    run.apply_defaults()
    lr, batch_size, num_epochs, seed, w0, b0, record_steps, backend = (
        run.arguments[name] for name in list(run.arguments)[2:]
    )
    if backend != "numpy":
        raise TypeError(f"train_scan takes no backend (got backend={backend!r})")
    X, y, w, b, rng = start(features, labels, lr, batch_size, num_epochs, seed, w0, b0)
    steps = num_epochs * math.ceil(len(X) / batch_size)
    if not scan_is_faster(X.shape[1], steps):  # the same run, step by step
        kwargs = dict(lr=lr, batch_size=batch_size, num_epochs=num_epochs)
        return train(X, y, seed=rng, w0=w, b0=b, record_steps=record_steps, **kwargs)
    orders = [rng.permutation(len(X)) for _ in range(num_epochs)]  # as data_iter draws
    theta, per_epoch = sgd_scan(X, y, np.append(w, b), lr, batch_size, orders)
    record = Recorder(X, y, w, b, record_steps=record_steps)
    end = 0
    for size in per_epoch:
        end += size
        if record.steps is not None:
            record.steps.extend(theta[end - size + 1 : end + 1])
        if record.epoch(theta[end, :-1].copy(), theta[end, -1:]):
            break
    return record.history(lr, batch_size, num_epochs, stability_limit(X))


def scan_is_faster(d: int, steps: int) -> bool:
    """Whether the scan beats the loop for ``d`` features and ``steps`` SGD steps."""
    d, steps = _checks.check_int("d", d, 1), _checks.check_int("steps", steps, 0)
    cost = (d + 1) ** 3 * math.log2(max(steps, 2))
    return cost <= SCAN_MAX_COST and steps * (d + 1) ** 2 <= SCAN_MAX_FLOATS


def affine_steps(X, y, lr, batch_size, orders):
    """The maps (A, v) of every step: A (S, d+1, d+1), v (S, d+1), and epoch sizes.

    ``orders`` holds one permutation of range(n) per epoch; each is cut into
    batches of ``batch_size`` (the last one shorter), as ``data_iter`` does.
    """
    X, y = _checks.check_data(X, y, ("X", "y"))
    _checks.check_positive("lr", lr), _checks.check_batch_size(batch_size, len(X))
    orders = _checks.check_orders(orders, len(X))
    n, d = X.shape
    X1 = with_ones(X)
    full = n // batch_size * batch_size
    A, v, per_epoch = [], [], []
    for perm in orders:
        Xp, yp = X1[perm], y[perm]
        Xb = Xp[:full].reshape(-1, batch_size, d + 1)
        G = np.einsum("kbi,kbj->kij", Xb, Xb)  # X1_Bᵀ X1_B for every batch
        c = np.einsum("kbi,kb->ki", Xb, yp[:full].reshape(-1, batch_size))
        sizes = np.full(len(G), float(batch_size))
        if full < n:  # the last, partial batch
            Xr = Xp[full:]
            G = np.concatenate([G, (Xr.T @ Xr)[None]])
            c = np.concatenate([c, (Xr.T @ yp[full:])[None]])
            sizes = np.append(sizes, n - full)
        step = lr / sizes
        A.append(np.eye(d + 1) - step[:, None, None] * G)
        v.append(step[:, None] * c)
        per_epoch.append(len(G))
    if not A:
        return np.empty((0, d + 1, d + 1)), np.empty((0, d + 1)), []
    return np.concatenate(A), np.concatenate(v), per_epoch


def prefix_scan(A, v):
    """Compose affine maps: (P, u) with P_k = A_k ⋯ A_1, θ_k = P_k θ_0 + u_k.

    Hillis–Steele: log2(S) rounds of batched matrix products. ``A`` has shape
    (S, p, p) and ``v`` (S, p).
    """
    A, v = _checks.as_float_array("A", A), _checks.as_float_array("v", v)
    if A.ndim != 3 or A.shape[1] != A.shape[2] or v.shape != A.shape[:2]:
        raise ValueError(
            f"A must be (S, p, p) and v (S, p), got {A.shape} and {v.shape}"
        )
    P, u = A.copy(), v.copy()
    offset = 1
    while offset < len(P):
        # (P_k, u_k) after (P_{k-offset}, u_{k-offset}):  x -> P_k (P' x + u') + u_k
        new_u = np.einsum("kij,kj->ki", P[offset:], u[:-offset]) + u[offset:]
        P[offset:] = P[offset:] @ P[:-offset]
        u[offset:] = new_u
        offset *= 2
    return P, u


def sgd_scan(X, y, theta0, lr, batch_size, orders):
    """All iterates of minibatch SGD on ½·mean squared loss, without a Python loop.

    X (n, d), y (n,), theta0 (d+1,) = [w0, b0]; ``orders`` as in
    :func:`affine_steps`. Returns θ (S+1, d+1), row 0 = theta0, and the number
    of steps in each epoch.
    """
    X, y = _checks.check_data(X, y, ("X", "y"))
    theta0 = _checks.as_float_array("theta0", theta0)
    if theta0.shape != (X.shape[1] + 1,):
        raise ValueError(
            f"theta0 must be [w0, b0] of shape (d + 1,), got {theta0.shape}"
        )
    _checks.check_finite("theta0", theta0)
    A, v, per_epoch = affine_steps(X, y, lr, batch_size, orders)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run overflows
        P, u = prefix_scan(A, v)
        theta = np.einsum("kij,j->ki", P, theta0) + u
    return np.vstack([theta0, theta]), per_epoch
