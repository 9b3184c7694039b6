"""Checks of the loops' and figures' arguments: data, batches, steps, grids, runs.

Part of :mod:`linreg_lib._checks`, which re-exports them; import from there.
"""

from __future__ import annotations

import numpy as np

from ._basic_checks import REAL_KINDS, check_int, check_range, check_real, shape_of


def check_batch_size(batch_size, n: int) -> int:
    """An integer batch size from 1 to the number of examples n."""
    batch_size = check_int("batch_size", batch_size, 1)
    if batch_size > n:
        raise ValueError(f"batch_size={batch_size} exceeds the {n} examples")
    return batch_size


def check_step(params, grads, lr, batch_size) -> None:
    """The arguments of both ``sgd`` functions, checked before any update.

    ``lr`` may be 0 (a schedule may decay to it), never negative: that would
    climb the loss instead of descending it.
    """
    check_range("lr", lr, 0.0)
    check_int("batch_size", batch_size, 1)
    for name, seq in (("params", params), ("grads", grads)):
        if not isinstance(seq, list | tuple):
            raise TypeError(f"{name} must be a list such as [w, b], got {seq!r:.60}")
    if len(grads) != len(params):
        raise ValueError(f"{len(grads)} gradient(s) for {len(params)} parameter(s)")
    for k, (p, g) in enumerate(zip(params, grads, strict=True)):
        if _plain_pair(p, g):
            continue  # the common case, checked fast: this runs on every SGD step
        tensor = hasattr(p, "requires_grad")
        if not tensor and not (isinstance(p, np.ndarray) and p.flags.writeable):
            raise TypeError(
                f"params[{k}] must be an array (or tensor) that can be updated in "
                f"place, got {p!r:.40} ({type(p).__name__}): use np.array([{p!r:.20}])"
            )
        if p.dtype.kind != "f" if not tensor else not p.is_floating_point():
            raise TypeError(f"params[{k}] must hold floats, got dtype {p.dtype}")
        if g is None:
            raise ValueError(
                f"params[{k}] has no gradient: call l.sum().backward() first"
            )
        check_real(f"grads[{k}]", g)
        if shape_of(g) != shape_of(p):  # p -= g would broadcast, or fail
            raise ValueError(
                f"grads[{k}] has shape {shape_of(g)} but params[{k}] has shape "
                f"{shape_of(p)}"
            )


def _plain_pair(p, g) -> bool:
    """A writeable float NumPy parameter and a real gradient of the same shape."""
    return (
        type(p) is np.ndarray
        and type(g) is np.ndarray
        and p.flags.writeable
        and p.dtype.kind == "f"
        and g.dtype.kind in REAL_KINDS
        and g.shape == p.shape
    )


def check_orders(orders, n: int) -> list:
    """A list of permutations of range(n), one per epoch."""
    if not isinstance(orders, list | tuple):
        raise TypeError(f"orders must be a list of permutations, got {orders!r:.60}")
    orders = [np.asarray(order) for order in orders]
    for k, order in enumerate(orders):
        if order.shape != (n,) or not np.array_equal(np.sort(order), np.arange(n)):
            raise ValueError(f"orders[{k}] is not a permutation of range({n})")
    return orders


def check_truth(w, b, num_examples, noise) -> None:
    """The arguments of both ``synthetic_data`` functions."""
    from ._checks import check_bias, check_finite  # array checks (no import cycle)

    check_real("w", w)
    if len(shape_of(w)) != 1:
        raise ValueError(f"w must be a vector of shape (d,), got shape {shape_of(w)}")
    check_finite("w", w), check_finite("b", b), check_bias(b)
    check_int("num_examples", num_examples, 1)
    check_range("noise", noise, 0.0)


def check_batches(batch_size, features, labels) -> None:
    """The arguments of both ``data_iter`` functions."""
    from ._checks import as_labels, check_features, check_finite

    check_features(features, "features")
    check_finite("features", features)
    n = shape_of(features)[0]
    if n < 1:
        raise ValueError(f"features has no rows (shape {shape_of(features)})")
    as_labels(labels, n, "labels")
    check_finite("labels", labels)
    check_batch_size(batch_size, n)


def grid(name, values) -> np.ndarray:
    """A 1-D grid of at least two finite values."""
    from ._checks import as_float_array, check_finite

    values = as_float_array(name, values)
    if values.ndim != 1 or len(values) < 2:
        raise ValueError(
            f"{name} must be a 1-D grid of >= 2 values, got shape {values.shape}"
        )
    check_finite(name, values)
    return values


def check_history(history):
    from .history import History

    if not isinstance(history, History):
        raise TypeError(f"history must be a History (from train), got {history!r:.60}")
    return history
