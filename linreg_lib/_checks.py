"""Validation at the library's public boundary: every module imports its checks here.

Public functions check all their arguments before they allocate or compute:
bad input fails at once with a ValueError or TypeError naming the argument and
its shape or value. NumPy arrays and torch tensors alike (no torch import).
"""

from __future__ import annotations

import math

import numpy as np

from ._basic_checks import (  # noqa: F401
    REAL_KINDS,
    check_bool,
    check_choice,
    check_int,
    check_positive,
    check_range,
    check_real,
    check_seed,
    shape_of,
    to_numpy,
)
from ._loop_checks import (  # noqa: F401  (re-exported: import checks from here)
    check_batch_size,
    check_batches,
    check_history,
    check_orders,
    check_step,
    check_truth,
    grid,
)


def check_finite(name: str, x) -> None:
    """Refuse NaN and inf (and non-real data), naming how many and the first index."""
    check_real(name, x)
    finite = np.asarray(x.isfinite() if hasattr(x, "isfinite") else np.isfinite(x))
    if not finite.all():
        first = [int(i) for i in np.argwhere(~finite)[0]]
        at = first[0] if len(first) == 1 else tuple(first)
        at = f", the first at index {at}" if first else ""
        raise ValueError(
            f"{name} contains {int((~finite).sum())} non-finite value(s) (NaN or inf){at}"
        )


def as_float_array(name: str, x) -> np.ndarray:
    """``x`` (array, tensor, list) as a float64 NumPy array, refusing non-reals."""
    x = np.asarray(to_numpy(x))
    check_real(name, x)
    return x.astype(np.float64, copy=False)


def check_features(X, name: str = "X") -> int:
    """``X`` must be 2-D, (n, d) with d >= 1, and real (finite: see check_data)."""
    if len(shape_of(X)) != 2 or shape_of(X)[1] < 1:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n, d), got shape {shape_of(X)}"
        )
    check_real(name, X)
    return shape_of(X)[1]


def check_weights(w, d: int, name: str = "w") -> None:
    """``w`` must be (d,) or (d, 1) to multiply an (n, d) matrix, and real."""
    if shape_of(w) not in ((d,), (d, 1)):
        raise ValueError(
            f"{name} has shape {shape_of(w)} but X has {d} feature(s): "
            f"expected shape ({d},) or ({d}, 1)"
        )
    check_real(name, w)


def check_bias(b, name: str = "b") -> None:
    """``b`` is one real number: a scalar, or an array of shape () or (1,)."""
    if shape_of(b) not in ((), (1,)):
        raise ValueError(
            f"{name} must be a scalar or have shape (1,), got shape {shape_of(b)}"
        )
    check_real(name, b)


def as_labels(y, n: int, name: str = "y"):
    """Labels as a vector of shape (n,); (n, 1) is reshaped, anything else refused."""
    if shape_of(y) not in ((n,), (n, 1)):
        raise ValueError(
            f"{name} has shape {shape_of(y)} but X has {n} row(s): "
            f"expected labels of shape ({n},) or ({n}, 1)"
        )
    return y.reshape(-1)


def match_prediction(y_hat, y):
    """``y`` reshaped to ``y_hat``'s shape when that is safe, else a ValueError.

    Safe: two vectors of the same length, e.g. (n,) and (n, 1), which would
    otherwise broadcast to (n, n): the crash of both programs in the notes.
    """
    check_real("y_hat", y_hat), check_real("y", y)
    a, b = shape_of(y_hat), shape_of(y)
    if a == b:
        return y
    if math.prod(a) == math.prod(b) and _is_vector(a) and _is_vector(b):
        return y.reshape(a)
    try:
        hint = f"y_hat - y would broadcast to {np.broadcast_shapes(a, b)}"
    except ValueError:
        hint = "they do not broadcast"
    raise ValueError(
        f"y_hat has shape {a} but y has shape {b} ({math.prod(a)} predictions "
        f"vs {math.prod(b)} labels): {hint}"
    )


def _is_vector(shape: tuple[int, ...]) -> bool:
    return sum(s != 1 for s in shape) <= 1


def as_features(name: str, X) -> np.ndarray:
    """``X`` as a float64 NumPy array of shape (n, d), n >= 1, real and finite."""
    X = as_float_array(name, X)
    check_features(X, name)
    check_finite(name, X)
    if X.shape[0] < 1:
        raise ValueError(f"{name} has no rows (shape {X.shape})")
    return X


def check_data(features, labels, names=("features", "labels")):
    """(X, y) as float64 NumPy arrays of shapes (n, d) and (n,), real and finite.

    ``names`` are the arguments' names in the caller, for the messages.
    """
    X = as_features(names[0], features)
    y = as_labels(as_float_array(names[1], labels), X.shape[0], names[1])
    check_finite(names[1], y)
    return X, y
