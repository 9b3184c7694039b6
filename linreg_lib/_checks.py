"""Validation at the library's public boundary.

Every public function checks its inputs with these helpers, so that bad input
fails at once with a ``ValueError`` (or ``TypeError``) naming the offending
shape or value, instead of broadcasting into a silently wrong answer. They
work on NumPy arrays and torch tensors alike (duck typing: this module never
imports torch).
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def shape_of(x) -> tuple[int, ...]:
    """The shape of an array, tensor or Python scalar (``()`` for a scalar)."""
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)


def check_int(name: str, value, minimum: int) -> int:
    """An integer (not a bool, not a float) that is at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, got {value!r} ({type(value).__name__})"
        )
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def check_batch_size(batch_size, n: int) -> int:
    """An integer batch size from 1 to the number of examples n."""
    batch_size = check_int("batch_size", batch_size, 1)
    if batch_size > n:
        raise ValueError(f"batch_size={batch_size} exceeds the {n} examples")
    return batch_size


def check_positive(name: str, value) -> float:
    """A finite real number > 0, such as a learning rate."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return float(value)


def check_range(
    name: str,
    value,
    low: float,
    high: float = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = True,
) -> float:
    """``value`` as a float if it is a finite real in the interval, else raise.

    The default interval is [low, inf). ``TypeError`` for non-numbers (and
    bools), ``ValueError`` naming ``name``, the interval and the value otherwise.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    inside = (low < value if low_open else low <= value) and (
        value < high if high_open else value <= high
    )
    if not math.isfinite(value) or not inside:
        interval = (
            f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
        )
        raise ValueError(f"{name} must be a finite number in {interval}, got {value}")
    return float(value)


def check_finite(name: str, x) -> None:
    """Refuse NaN and inf, naming how many there are and the first row."""
    finite = x.isfinite() if hasattr(x, "isfinite") else np.isfinite(x)  # torch|np
    if not bool(finite.all()):
        bad = ~finite
        first = tuple(int(i) for i in np.argwhere(np.asarray(bad))[0])
        raise ValueError(
            f"{name} contains {int(bad.sum())} non-finite value(s) (NaN or inf), "
            f"the first at index {first if len(first) > 1 else first[0]}"
        )


def check_features(X, name: str = "X") -> int:
    """``X`` must be 2-D, (n, d). Returns d."""
    if len(shape_of(X)) != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n, d), got shape {shape_of(X)}"
        )
    return shape_of(X)[1]


def check_weights(w, d: int, name: str = "w") -> None:
    """``w`` must be (d,) or (d, 1) to multiply an (n, d) matrix."""
    if shape_of(w) not in ((d,), (d, 1)):
        raise ValueError(
            f"{name} has shape {shape_of(w)} but X has {d} feature(s): "
            f"expected shape ({d},) or ({d}, 1)"
        )


def check_bias(b, name: str = "b") -> None:
    """``b`` is one number: a scalar, or an array of shape () or (1,)."""
    if shape_of(b) not in ((), (1,)):
        raise ValueError(
            f"{name} must be a scalar or have shape (1,), got shape {shape_of(b)}"
        )


def as_labels(y, n: int, name: str = "y"):
    """Labels as a vector of shape (n,); (n, 1) is reshaped, anything else refused.

    The library's one convention: inside, labels are (n,). A column (n, 1), as
    D2L's ``synthetic_data`` returns, is accepted at the boundary and flattened.
    """
    if shape_of(y) not in ((n,), (n, 1)):
        raise ValueError(
            f"{name} has shape {shape_of(y)} but X has {n} row(s): "
            f"expected labels of shape ({n},) or ({n}, 1)"
        )
    return y.reshape(-1)


def match_prediction(y_hat, y):
    """``y`` reshaped to ``y_hat``'s shape when that is safe, else a ValueError.

    Safe means: both are vectors (every axis but one has length 1) with the same
    number of elements, e.g. (n,) and (n, 1). Subtracting those directly would
    broadcast to an (n, n) matrix, the bug in both programs of the source notes.
    """
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


def check_data(features, labels, name: str = "features"):
    """(X, y) as float64 NumPy arrays of shapes (n, d) and (n,), all finite."""
    X = np.asarray(_to_numpy(features), dtype=np.float64)
    check_features(X, name)
    if X.shape[0] < 1:
        raise ValueError(f"{name} has no rows (shape {X.shape})")
    y = as_labels(np.asarray(_to_numpy(labels), dtype=np.float64), X.shape[0])
    check_finite(name, X)
    check_finite("labels", y)
    return X, y


def _to_numpy(x):
    """Torch tensors (even ones that require grad) to NumPy; others unchanged."""
    return x.detach().cpu().numpy() if hasattr(x, "detach") else x
