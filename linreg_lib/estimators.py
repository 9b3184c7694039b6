"""The two NumPy programs of the study notes, fixed: minibatch descent and an estimator.

Both minimise the mean squared error MSE = mean((X w + b − y)²), *without* the
½ of :func:`linreg_lib.model.squared_loss`: its gradient is twice ours, so
their step is :func:`linreg_lib.numpy_scratch.sgd` with twice the learning
rate. Labels (n, 1) are flattened at the boundary, which removes the
(n, 1) − (n,) → (n, n) broadcast that crashed the originals, and a run that
diverges (:mod:`linreg_lib.divergence`) raises ``ValueError``, as
scikit-learn's ``SGDRegressor`` does. ``LinearRegression`` is a real
scikit-learn estimator. Needs scikit-learn. Chapter "NumPy only".
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import NotFittedError  # noqa: F401  (raised by predict)
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _checks, divergence
from .curvature import stability_limit
from .numpy_scratch import sgd, summed_loss_grad

__all__ = ["mini_batch_gradient_descent", "LinearRegression", "NotFittedError"]


@np.errstate(over="ignore", invalid="ignore")  # divergence is reported, not warned
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

    ``X`` (n, d); ``y`` (n,) or (n, 1), the same result for both. ``seed`` (int,
    Generator or None) draws the initial weights (d,) and bias from N(0, 1),
    then a fresh shuffle every epoch. Each epoch takes n // batch_size steps on
    full batches (the rest of the shuffle is skipped, as in the notes).
    ``verbose`` prints the MSE after each epoch. Returns ``weights`` (d,) and
    ``bias`` a float; raises ``ValueError`` if the run diverges.
    """
    X, y = _checks.check_data(X, y, ("X", "y"))
    n, d = X.shape
    _checks.check_positive("learning_rate", learning_rate)
    _checks.check_batch_size(batch_size, n)
    _checks.check_int("epochs", epochs, 0), _checks.check_bool("verbose", verbose)
    rng = np.random.default_rng(_checks.check_seed(seed))
    weights, bias = rng.standard_normal(d), rng.standard_normal(1)
    watch = _Watch(X, y, weights, bias, learning_rate)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)  # a fresh shuffle every epoch
        for start in range(0, n - batch_size + 1, batch_size):
            batch = order[start : start + batch_size]
            grads = summed_loss_grad(X[batch], y[batch], weights, bias)
            sgd([weights, bias], grads, 2 * learning_rate, batch_size)  # MSE: 2× ours
        loss = watch.check(weights, bias, f"epoch {epoch}")
        if verbose:
            print(f"Epoch {epoch}/{epochs}, Loss: {loss:.6f}")
    return weights, float(bias[0])


class LinearRegression(RegressorMixin, BaseEstimator):
    """Full-batch gradient descent on the MSE, as a scikit-learn estimator.

    ``LinearRegression(learning_rate=0.01, num_iterations=1000).fit(X, y)``
    starts from zero weights and bias, takes ``num_iterations`` steps and sets
    ``coef_`` (d,), ``intercept_`` (float), ``loss_history_``
    (num_iterations,), the MSE after each step, and ``n_features_in_``.
    ``predict(X)`` maps (m, d) to (m,); ``score`` is R². Works in scikit-learn's
    ``Pipeline``, ``cross_val_score`` and ``GridSearchCV``. A column y (n, 1)
    is flattened with scikit-learn's ``DataConversionWarning``.
    """

    def __init__(self, learning_rate: float = 0.01, num_iterations: int = 1000):
        self.learning_rate = learning_rate
        self.num_iterations = num_iterations

    @np.errstate(over="ignore", invalid="ignore")  # divergence is reported below
    def fit(self, X, y) -> LinearRegression:
        """Learn ``coef_`` and ``intercept_`` from X (n, d) and y (n,)."""
        X, y = validate_data(self, X, y, y_numeric=True, dtype=np.float64)
        _checks.check_positive("learning_rate", self.learning_rate)
        steps = _checks.check_int("num_iterations", self.num_iterations, 0)
        n, d = X.shape
        w, b = np.zeros(d), np.zeros(1)
        watch = _Watch(X, y, w, b, self.learning_rate)
        losses = np.empty(steps)
        for i in range(steps):
            grads = summed_loss_grad(X, y, w, b)  # full batch: Xᵀr and Σr
            sgd([w, b], grads, 2 * self.learning_rate, n)  # d/dw mean(r²) = 2/n Xᵀr
            losses[i] = watch.check(w, b, f"iteration {i + 1}")
        self.coef_, self.intercept_, self.loss_history_ = w, float(b[0]), losses
        return self

    def predict(self, X) -> np.ndarray:
        """Predictions ``X @ coef_ + intercept_``: X (m, d) -> (m,)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_ + self.intercept_


class _Watch:
    """The MSE of (w, b) after each epoch or step, and the divergence rule on it."""

    def __init__(self, X, y, w, b, lr):
        self.X, self.y, self.lr = X, y, lr
        self.rule = divergence.Divergence(self.mse(w, b), self.mse(0 * w, 0.0))

    def mse(self, w, b) -> float:
        return float(np.mean((self.X @ w + b - self.y) ** 2))

    def check(self, w, b, when) -> float:
        """The MSE now; raises ``ValueError`` naming the limit once diverged."""
        loss = self.mse(w, b)
        if self.rule.check(loss):
            limit = stability_limit(self.X) / 2  # the MSE is twice as curved as ½-loss
            raise ValueError(
                divergence.message(
                    when,
                    self.rule.start,
                    loss,
                    self.lr,
                    limit,
                    lr_name="learning_rate",
                    limit_name="1/λmax",
                )  # fmt: skip
            )
        return loss
