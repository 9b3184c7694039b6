"""linreg_lib: linear regression from scratch, the library behind the book.

The D2L path works on torch tensors with D2L's names and argument order::

    from linreg_lib import synthetic_data, data_iter, linreg, squared_loss, sgd

Those five names load torch on first use only; everything else here, and the
whole of :mod:`linreg_lib.numpy_scratch`, runs on NumPy without torch.

Modules, one concept each: ``model`` (linreg, squared_loss), ``numpy_scratch``
and ``torch_scratch`` (the two line-parallel paths), ``training`` (train,
History), ``closed_form``, ``curvature`` (Hessian, stability limit),
``scan`` (every SGD step at once), ``iterators`` (minibatches at scale),
``estimators`` (the two NumPy-only programs, scikit-learn style), ``ridge``,
``optimizers``, ``schedules`` and ``optim_training`` (going further),
``plotting``, ``figures`` and ``panels`` (figures and slider panels).
"""

from __future__ import annotations

import importlib

from .closed_form import closed_form
from .curvature import hessian, stability_limit
from .estimators import LinearRegression, mini_batch_gradient_descent
from .model import linreg, squared_loss
from .optim_training import train_with
from .ridge import ridge
from .training import History, train

__version__ = "0.1.0"

_TORCH_NAMES = {"synthetic_data", "data_iter", "sgd"}

__all__ = [
    "synthetic_data",
    "data_iter",
    "linreg",
    "squared_loss",
    "sgd",
    "train",
    "History",
    "closed_form",
    "hessian",
    "stability_limit",
    "LinearRegression",
    "mini_batch_gradient_descent",
    "ridge",
    "train_with",
]


def __getattr__(name: str):
    """Import torch lazily, only when a torch-path function is asked for."""
    if name in _TORCH_NAMES:
        return getattr(importlib.import_module(".torch_scratch", __name__), name)
    raise AttributeError(f"module 'linreg_lib' has no attribute {name!r}")
