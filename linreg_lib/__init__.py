"""linreg_lib: linear regression from scratch, the library behind the book.

The D2L path works on torch tensors with D2L's names and argument order::

    from linreg_lib import synthetic_data, data_iter, linreg, squared_loss, sgd

Those names load torch on first use only, and ``LinearRegression`` and
``mini_batch_gradient_descent`` load scikit-learn; everything else, and the
whole of :mod:`linreg_lib.numpy_scratch`, runs on NumPy alone.

Modules, one concept each:

- ``model``: ``linreg`` and ``squared_loss``, for NumPy and torch alike
- ``numpy_scratch`` and ``torch_scratch``: the two line-parallel paths
- ``training`` (``train``), ``history`` (``History``), ``divergence``
- ``closed_form``, ``curvature`` (Hessian, stability limit), ``ridge``
- ``scan``: ``train_scan``, the same run as ``train``, all steps at once
- ``iterators`` and ``streaming``: minibatches at scale, memory maps
- ``estimators``: the two NumPy programs of the study notes, scikit-learn style
- ``optimizers``, ``schedules``, ``optim_training`` (``train_with``)
- ``plotting``, ``figures`` and ``panels``: figures and slider panels
- ``defaults``: D2L's setup, the book's defaults
"""

from __future__ import annotations

import importlib

from .closed_form import closed_form
from .curvature import hessian, stability_limit
from .history import History
from .model import linreg, squared_loss
from .optim_training import train_with
from .ridge import ridge
from .scan import train_scan
from .training import train

__version__ = "0.2.0"

#: Names imported on first use, and the module that holds them.
_LAZY = {
    "synthetic_data": "torch_scratch",  # torch
    "data_iter": "torch_scratch",
    "sgd": "torch_scratch",
    "LinearRegression": "estimators",  # scikit-learn
    "mini_batch_gradient_descent": "estimators",
}

__all__ = [
    "synthetic_data",
    "data_iter",
    "linreg",
    "squared_loss",
    "sgd",
    "train",
    "train_scan",
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
    """Import torch (or scikit-learn) lazily, only when a name that needs it is used."""
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'linreg_lib' has no attribute {name!r}")
