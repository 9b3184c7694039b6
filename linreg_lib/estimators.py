"""The source notes' two NumPy programs, fixed: minibatch SGD and an estimator class.

Both minimise the mean squared error L = mean((X w + b - y)²), *without* the ½
of :func:`linreg_lib.model.squared_loss`, so their hand-written gradients carry a
factor 2. Labels may be (n,) or (n, 1): they are flattened at the boundary,
which removes the (n, 1) - (n,) -> (n, n) broadcast that crashed the originals.
A run whose loss blows up raises ``ValueError`` (as scikit-learn's
``SGDRegressor`` does) instead of returning NaNs. Chapter "NumPy only".
"""

from __future__ import annotations

import math

import numpy as np

from . import _checks
from .curvature import stability_limit
from .training import DIVERGENCE_FACTOR


class NotFittedError(ValueError, AttributeError):
    """``predict`` was called before ``fit`` (as in scikit-learn)."""


def mini_batch_gradient_descent(
    X,
    y,
    learning_rate: float = 0.01,
    batch_size: int = 32,
    epochs: int = 100,
    seed=42,
    verbose: bool = False,
) -> tuple[np.ndarray, float]:
    """Minibatch gradient descent on the MSE; returns ``(weights, bias)``.

    Parameters: ``X`` (n, d); ``y`` (n,) or (n, 1), same result for both;
    ``learning_rate`` > 0; ``1 <= batch_size <= n``; ``epochs`` >= 0; ``seed``
    for ``numpy.random.default_rng``, which draws the initial weights (d,) and
    bias from N(0, 1), then a fresh shuffle every epoch. Each epoch takes
    n // batch_size steps on full batches (the rest of the shuffle is skipped).
    ``verbose`` prints the training-set MSE after each epoch.
    Returns ``weights`` of shape (d,) and ``bias`` a float.
    Raises ``ValueError`` if the loss diverges (learning_rate too large).
    """
    X, y = _checks.check_data(X, y, "X")
    n, d = X.shape
    learning_rate = _checks.check_positive("learning_rate", learning_rate)
    batch_size = _checks.check_batch_size(batch_size, n)
    epochs = _checks.check_int("epochs", epochs, 0)
    rng = np.random.default_rng(seed)
    weights, bias = rng.standard_normal(d), float(rng.standard_normal())
    watch = _Divergence(X, y, learning_rate, np.mean((X @ weights + bias - y) ** 2))
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)  # a fresh shuffle every epoch
        with np.errstate(over="ignore", invalid="ignore"):  # checked just below
            for start in range(0, n - batch_size + 1, batch_size):
                batch = order[start : start + batch_size]
                r = X[batch] @ weights + bias - y[batch]  # residuals, (batch_size,)
                weights -= learning_rate * (2 / batch_size) * (X[batch].T @ r)
                bias -= learning_rate * (2 / batch_size) * r.sum()  # d/db of MSE
            loss = np.mean((X @ weights + bias - y) ** 2)
        watch.check(loss, f"epoch {epoch}")
        if verbose:
            print(f"Epoch {epoch}/{epochs}, Loss: {loss:.6f}")
    return weights, float(bias)


class LinearRegression:
    """Full-batch gradient descent on the MSE, with scikit-learn's conventions.

    ``LinearRegression(learning_rate=0.1, num_iterations=1000).fit(X, y)``
    starts from zero weights and bias, takes ``num_iterations`` steps and sets
    ``coef_`` (d,), ``intercept_`` (float), ``loss_history_`` (num_iterations,),
    the MSE after each step, and ``n_features_in_``. ``predict(X)`` maps
    (m, d) to (m,). The constructor only stores its arguments; ``fit`` checks
    them and raises ``ValueError`` if the loss diverges.
    """

    def __init__(self, learning_rate: float = 0.01, num_iterations: int = 1000):
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations

    def fit(self, X, y) -> LinearRegression:
        """Learn ``coef_`` and ``intercept_`` from X (n, d), y (n,) or (n, 1)."""
        X, y = _checks.check_data(X, y, "X")
        n, d = X.shape
        lr = _checks.check_positive("learning_rate", self.learning_rate)
        steps = _checks.check_int("num_iterations", self.num_iterations, 0)
        w, b = np.zeros(d), 0.0
        r = X @ w + b - y  # residuals, shape (n,)
        watch = _Divergence(X, y, lr, np.mean(r**2))
        losses = np.empty(steps)
        with np.errstate(over="ignore", invalid="ignore"):  # checked in the loop
            for i in range(steps):
                w -= lr * (2 / n) * (X.T @ r)  # d/dw mean(r²) = 2/n Xᵀr
                b -= lr * (2 / n) * r.sum()  # d/db mean(r²) = 2/n Σr
                r = X @ w + b - y
                losses[i] = np.mean(r**2)
                watch.check(losses[i], f"iteration {i + 1}")
        self.coef_, self.intercept_ = w, float(b)
        self.loss_history_, self.n_features_in_ = losses, d
        return self

    def predict(self, X) -> np.ndarray:
        """Predictions ``X @ coef_ + intercept_``: X (m, d) -> (m,)."""
        if not hasattr(self, "coef_"):
            raise NotFittedError(
                "This LinearRegression instance is not fitted yet: call fit(X, y) "
                "before predict(X)."
            )
        X = np.asarray(_checks._to_numpy(X), dtype=np.float64)
        if _checks.check_features(X) != self.n_features_in_:
            raise ValueError(
                f"X has shape {X.shape}: {X.shape[1]} feature(s), but this model "
                f"was fitted on {self.n_features_in_}"
            )
        _checks.check_finite("X", X)
        return X @ self.coef_ + self.intercept_

    def get_params(self, deep: bool = True) -> dict:
        """The constructor's arguments, as a dict."""
        return {k: getattr(self, k) for k in ("learning_rate", "num_iterations")}

    def set_params(self, **params) -> LinearRegression:
        """Set constructor arguments by name; returns ``self``."""
        for name, value in params.items():
            if name not in self.get_params():
                raise ValueError(f"unknown parameter {name!r} for LinearRegression")
            setattr(self, name, value)
        return self

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"LinearRegression({args})"


class _Divergence:
    """Raise once the MSE is non-finite or 10⁴ times its starting scale."""

    def __init__(self, X, y, lr, first):
        self.X, self.lr, self.first = X, lr, float(first)
        self.too_big = DIVERGENCE_FACTOR * max(self.first, float(np.mean(y**2)))

    def check(self, loss, when):
        if math.isfinite(loss) and loss <= self.too_big:
            return
        limit = stability_limit(self.X) / 2  # the MSE has twice the ½-loss's curvature
        raise ValueError(
            f"training diverged in {when}: the MSE went from {self.first:.3g} to "
            f"{loss:.3g}. Full-batch gradient descent on the MSE is stable only for "
            f"learning_rate < {limit:.3g} on these data (minibatches need less); "
            f"got {self.lr:g}."
        )
