"""The basic checks: shapes, real dtypes, integers, flags, ranges, choices, seeds.

Part of :mod:`linreg_lib._checks`, which re-exports them; import from there.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

REAL_KINDS = "biuf"
_REAL_TYPES = {
    float,
    int,
    np.float64,
    np.float32,
}  # NumPy dtype kinds of real numbers: bool, int, uint, float


def shape_of(x) -> tuple[int, ...]:
    """The shape of an array, tensor or Python scalar (``()`` for a scalar)."""
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)


def to_numpy(x):
    """Torch tensors (even ones that require grad) to NumPy; others unchanged."""
    return x.detach().cpu().numpy() if hasattr(x, "detach") else x


def check_real(name: str, x) -> None:
    """Refuse complex, object and text data, which would be cast or fail later."""
    if type(x) in _REAL_TYPES or (type(x) is np.ndarray and x.dtype.kind in REAL_KINDS):
        return  # the common cases, checked fast: this runs on every SGD step
    if hasattr(x, "is_complex"):  # a torch tensor
        real = not x.is_complex() and (x.is_floating_point() or "int" in str(x.dtype))
        real = real or str(x.dtype) == "torch.bool"
    elif isinstance(x, numbers.Number):
        real = isinstance(x, numbers.Real)
    else:
        real = np.asarray(x).dtype.kind in REAL_KINDS
    if not real:
        dtype = getattr(x, "dtype", type(x).__name__)
        raise TypeError(f"{name} must hold real numbers, got dtype {dtype}")


def check_int(name: str, value, minimum: int) -> int:
    """An integer (not a bool, not a float) that is at least ``minimum``."""
    if type(value) is int and value >= minimum:
        return value  # the common case, checked fast
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer, got {value!r} ({type(value).__name__})"
        )
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def check_bool(name: str, value) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_range(name, value, low, high=math.inf, *, low_open=False, high_open=True):
    """``value`` as a float if it is a finite real in the interval, else raise.

    The default interval is [low, inf); ``low_open``/``high_open`` exclude an end.
    """
    if type(value) is float and low < value < high and value != math.inf:
        return value  # the common case, checked fast
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    inside = (low < value if low_open else low <= value) and (
        value < high if high_open else value <= high
    )
    if not math.isfinite(value) or not inside:
        lo, hi = "(" if low_open else "[", ")" if high_open else "]"
        raise ValueError(
            f"{name} must be a finite number in {lo}{low:g}, {high:g}{hi}, got {value}"
        )
    return float(value)


def check_positive(name: str, value) -> float:
    """A finite real number > 0, such as a learning rate."""
    return check_range(name, value, 0.0, low_open=True)


def check_choice(name: str, value, choices):
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")
    return value


def check_seed(seed):
    """A seed for ``numpy.random.default_rng``: None, an int >= 0 or a Generator."""
    if seed is None or isinstance(seed, np.random.Generator):
        return seed
    return check_int("seed", seed, 0)
