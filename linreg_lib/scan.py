"""Every minibatch SGD step of a run at once, as a prefix scan of affine maps.

For the squared loss one SGD step on a batch B of m examples is *affine* in
theta = [w, b]::

    theta <- theta - (lr/m) (G_B theta - c_B) = A_B theta + v_B,
    G_B = X1_Bᵀ X1_B,  c_B = X1_Bᵀ y_B,  A_B = I - (lr/m) G_B,  v_B = (lr/m) c_B,

with X1 = [X, 1]. A run is a chain of such maps, and composing two affine maps
gives an affine map, an associative operation. So all S iterates follow from
log2(S) rounds of batched (d+1)×(d+1) matrix products (a Hillis–Steele scan)
instead of S sequential Python steps: the same numbers as the loop, to
rounding, hundreds of times faster for a few features. Cost grows as (d+1)³,
so the step-by-step loop is the better choice beyond a few dozen features.
Chapter "Training".
"""

from __future__ import annotations

import numpy as np

from .closed_form import with_ones


def affine_steps(X, y, lr, batch_size, orders):
    """The maps (A, v) of every step: A (S, d+1, d+1), v (S, d+1), epoch sizes.

    ``orders`` yields one permutation of range(n) per epoch; each is cut into
    batches of ``batch_size`` (the last one shorter), as ``data_iter`` does.
    """
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
    """Compose affine maps: returns (P, u) with P_k = A_k ⋯ A_1 and u_k such that
    theta_k = P_k theta_0 + u_k. Hillis–Steele: log2(S) rounds of batched matmuls.
    """
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

    Parameters: X (n, d), y (n,), theta0 (d+1,) = [w0, b0]; ``orders`` as in
    :func:`affine_steps`. Returns theta (S+1, d+1), row 0 = theta0, and the
    number of steps in each epoch. Inputs are assumed valid (``train`` checks).
    """
    A, v, per_epoch = affine_steps(X, y, lr, batch_size, orders)
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run overflows
        P, u = prefix_scan(A, v)
        theta = np.einsum("kij,j->ki", P, theta0) + u
    return np.vstack([theta0, theta]), per_epoch
