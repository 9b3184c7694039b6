"""Ridge regression: scikit-learn as the oracle, optimality, λ = 0, SGD, bad input."""

import numpy as np
import pytest
import torch
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge

from linreg_lib import closed_form
from linreg_lib.optim_training import train_with
from linreg_lib.optimizers import SGD
from linreg_lib.ridge import ridge, ridge_hessian, ridge_loss, ridge_path
from linreg_lib.schedules import CosineAnnealingLR

# Agreement with scikit-learn, relative to the largest weight. Measured: about
# 1e-13 on the diabetes data (sklearn's default solver is a Cholesky
# factorisation of the centred normal equations, ours a QR of the augmented
# system, so they round differently); 1e-10 leaves room, and is still tight.
SKLEARN_RTOL = 1e-10


@pytest.fixture(scope="module")
def diabetes():
    """scikit-learn's diabetes data (442 × 10), each feature standardised."""
    X, y = load_diabetes(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def random_problem(n, d, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.1, 3, d)  # features on other scales
    return X, X @ rng.normal(size=d) + 1.5 + rng.normal(0, 0.5, n)


def assert_matches_sklearn(X, y, l2):
    w, b = ridge(X, y, l2)
    ref = Ridge(alpha=len(X) * l2).fit(X, y)  # alpha = n·λ
    scale = np.abs(ref.coef_).max()
    assert np.abs(w - ref.coef_).max() <= SKLEARN_RTOL * scale
    assert abs(b - ref.intercept_) <= SKLEARN_RTOL * max(abs(ref.intercept_), scale)


@pytest.mark.parametrize("l2", [1e-6, 1e-3, 0.1, 1.0, 10.0, 1e3])
def test_ridge_matches_sklearn_on_the_diabetes_data(diabetes, l2):
    assert_matches_sklearn(*diabetes, l2)


@pytest.mark.parametrize(
    "n, d, seed", [(50, 3, 0), (200, 8, 1), (12, 30, 2)]
)  # the last has fewer examples than features
@pytest.mark.parametrize("l2", [1e-3, 0.5])
def test_ridge_matches_sklearn_on_random_data(n, d, seed, l2):
    assert_matches_sklearn(*random_problem(n, d, seed), l2)


def test_penalty_shrinks_the_weights_but_not_the_bias(diabetes):
    X, y = diabetes
    W, B = ridge_path(X, y, [0.0, 0.1, 1.0, 10.0, 1e6])
    norms = np.linalg.norm(W, axis=1)
    assert np.all(np.diff(norms) < 0) and norms[-1] < 1e-3 * norms[0]
    # features are centred, so the bias is the mean label whatever λ is
    np.testing.assert_allclose(B, y.mean(), rtol=1e-12)


def test_zero_penalty_is_ordinary_least_squares(diabetes):
    for X, y in [diabetes, random_problem(40, 5, 3)]:
        w, b = ridge(X, y, 0.0)
        w_ols, b_ols = closed_form(X, y)
        np.testing.assert_allclose(w, w_ols, rtol=1e-12, atol=1e-12)
        assert b == pytest.approx(b_ols, rel=1e-12)


def test_solution_is_where_the_gradient_vanishes():
    X, y = random_problem(30, 4, 4)
    l2 = 0.3
    w, b = ridge(X, y, l2)
    r = X @ w + b - y
    np.testing.assert_allclose(X.T @ r / len(y) + l2 * w, 0, atol=1e-12)  # ∂/∂w
    assert abs(r.mean()) < 1e-12  # ∂/∂b: the bias is not penalised
    # and it is a minimum: nudging any coordinate raises the objective
    best = ridge_loss(X, y, w, b, l2)
    for k in range(5):
        theta = np.append(w, b)
        theta[k] += 1e-4
        assert ridge_loss(X, y, theta[:-1], theta[-1], l2) > best


def test_ridge_is_unique_with_fewer_examples_than_features():
    X, y = random_problem(5, 20, 5)
    with pytest.raises(ValueError, match="not unique"):
        ridge(X, y, 0.0)
    w, b = ridge(X, y, 0.01)
    assert np.isfinite(w).all() and w.shape == (20,)


def test_loss_and_hessian_agree_with_their_definitions():
    X, y = random_problem(25, 3, 6)
    w, b, l2 = np.array([0.5, -1.0, 2.0]), 0.3, 0.7
    direct = np.mean((X @ w + b - y) ** 2) / 2 + l2 / 2 * np.sum(w**2)
    assert ridge_loss(X, y, w, b, l2) == pytest.approx(direct, rel=1e-12)
    # the objective is quadratic, so central differences of it are exact
    H, h = ridge_hessian(X, l2), 1e-3
    theta = np.append(w, b)

    def f(t):
        return ridge_loss(X, y, t[:-1], t[-1], l2)

    for i in range(4):
        for j in range(4):
            ei, ej = np.eye(4)[i] * h, np.eye(4)[j] * h
            fd = (f(theta + ei + ej) - f(theta + ei - ej) - f(theta - ei + ej)
                  + f(theta - ei - ej)) / (4 * h * h)  # fmt: skip
            assert fd == pytest.approx(H[i, j], rel=1e-6, abs=1e-8)
    assert H[-1, -1] == pytest.approx(1.0)  # the bias row gets no λ


def test_ridge_path_is_ridge_at_every_lambda():
    X, y = random_problem(30, 4, 7)
    W, B = ridge_path(X, y, [0.01, 1.0])
    for k, l2 in enumerate([0.01, 1.0]):
        w, b = ridge(X, y, l2)
        np.testing.assert_array_equal(W[k], w)
        assert B[k] == b


def test_labels_as_column_and_tensors_give_the_same_answer():
    X, y = random_problem(30, 3, 8)
    w, b = ridge(X, y, 0.2)
    w2, b2 = ridge(torch.from_numpy(X), torch.from_numpy(y).reshape(-1, 1), 0.2)
    np.testing.assert_array_equal(w, w2)
    assert b == b2


def test_gradient_descent_converges_to_the_ridge_solution():
    X, y = random_problem(40, 3, 9)
    l2 = 0.5
    w, b = ridge(X, y, l2)
    h = train_with(SGD(0.2), X, y, batch_size=40, num_epochs=400, seed=0, l2=l2)
    assert not h.diverged and h.stability_limit > 0.2
    np.testing.assert_allclose(h.w[-1], w, atol=1e-10)
    assert h.b[-1] == pytest.approx(b, abs=1e-10)
    assert h.loss[-1] == pytest.approx(ridge_loss(X, y, w, b, l2), rel=1e-12)
    w_ols, _ = closed_form(X, y)
    assert np.abs(h.w[-1] - w_ols).max() > 0.05  # it is not least squares


def test_minibatch_sgd_with_cosine_decay_lands_near_the_ridge_solution():
    X, y = random_problem(200, 3, 10)
    w, b = ridge(X, y, 0.5)
    kwargs = dict(batch_size=10, num_epochs=30, seed=1, l2=0.5)
    h = train_with(SGD(0.05), X, y, schedule=CosineAnnealingLR(30), **kwargs)
    assert np.abs(h.w[-1] - w).max() < 3e-3 and abs(h.b[-1] - b) < 3e-3  # ~1e-3
    constant = train_with(SGD(0.05), X, y, **kwargs)  # stays at its noise floor
    assert np.abs(constant.w[-1] - w).max() > 3 * np.abs(h.w[-1] - w).max()


X0, Y0 = random_problem(10, 2, 11)
