"""The NumPy-only estimators against scikit-learn, on the demo data, and every error.

Oracle: scikit-learn's LinearRegression on its diabetes data (442 patients,
10 features), with X and y standardised so that tolerances read in standard
deviations of y. Measured gaps to scikit-learn's coefficients (max abs
difference; the largest coefficient is 0.49): closed form 5e-16;
LinearRegression (lr 0.2, 10 000 steps) 6e-15; full-batch
mini_batch_gradient_descent (lr 0.2, 10 000 epochs) 4e-15; minibatches of 32
(lr 0.01, 2000 epochs, seed 42) 6e-3, with a training MSE 6e-5 above
scikit-learn's 0.482: SGD's jitter at a constant step."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression as SkLinearRegression

from linreg_lib import closed_form
from linreg_lib.estimators import (
    LinearRegression,
    NotFittedError,
    mini_batch_gradient_descent,
)


@pytest.fixture(scope="module")
def diabetes():
    """Standardised diabetes data and scikit-learn's fit: (X, y, [coef, intercept])."""
    X, y = load_diabetes(return_X_y=True)
    X, y = (X - X.mean(0)) / X.std(0), (y - y.mean()) / y.std()
    sk = SkLinearRegression().fit(X, y)
    return X, y, np.append(sk.coef_, sk.intercept_)


@pytest.fixture(scope="module")
def demo():
    """The chapter's data: y = 4 + 3x + N(0, 1) noise, x ~ U[0, 2), 100 points."""
    rng = np.random.default_rng(42)
    x = rng.uniform(0, 2, size=(100, 1))
    return x, 4 + 3 * x + rng.standard_normal((100, 1))


def mse(X, y, w, b):
    return float(np.mean((X @ w + b - y.ravel()) ** 2))


# --- scikit-learn as the oracle -------------------------------------------------


def test_closed_form_matches_sklearn(diabetes):
    X, y, ref = diabetes
    w, b = closed_form(X, y)
    np.testing.assert_allclose(np.append(w, b), ref, rtol=0, atol=1e-12)


def test_linear_regression_matches_sklearn(diabetes):
    X, y, ref = diabetes
    model = LinearRegression(learning_rate=0.2, num_iterations=10_000).fit(X, y)
    np.testing.assert_allclose(
        np.append(model.coef_, model.intercept_), ref, rtol=0, atol=1e-10
    )
    sk_mse = mse(X, y, ref[:-1], ref[-1])
    assert model.loss_history_[-1] == pytest.approx(sk_mse, abs=1e-12)
    np.testing.assert_allclose(model.predict(X), X @ ref[:-1] + ref[-1], atol=1e-10)


def test_full_batch_mini_batch_gd_matches_sklearn(diabetes):
    X, y, ref = diabetes
    w, b = mini_batch_gradient_descent(X, y, 0.2, batch_size=len(X), epochs=10_000)
    np.testing.assert_allclose(np.append(w, b), ref, rtol=0, atol=1e-10)


def test_mini_batches_land_near_sklearn(diabetes):
    # A constant step leaves SGD jittering around the optimum: gap 6e-3 measured.
    X, y, ref = diabetes
    w, b = mini_batch_gradient_descent(X, y, 0.01, batch_size=32, epochs=2000)
    np.testing.assert_allclose(np.append(w, b), ref, rtol=0, atol=0.03)
    excess = mse(X, y, w, b) - mse(X, y, ref[:-1], ref[-1])
    assert 0 <= excess < 1e-3  # vs an MSE of 0.48: within 0.2 %


# --- the chapter's demo data --------------------------------------------------------


def test_both_programs_recover_the_demo_line(demo):
    x, y = demo
    w_star, b_star = closed_form(x, y)
    assert abs(w_star[0] - 3) < 0.3 and abs(b_star - 4) < 0.3
    model = LinearRegression(learning_rate=0.1, num_iterations=1000).fit(x, y)
    np.testing.assert_allclose([model.coef_[0], model.intercept_], [w_star[0], b_star])
    X_b = np.column_stack([np.ones(len(x)), x])  # the source's column of ones
    w, b = mini_batch_gradient_descent(X_b, y, 0.01, batch_size=10, epochs=50)
    assert abs(w[1] - 3) < 0.5 and abs(w[0] + b - 4) < 0.5  # 50 epochs: not converged
    w, b = mini_batch_gradient_descent(x, y, 0.05, batch_size=10, epochs=500)
    assert abs(w[0] - w_star[0]) < 0.1 and abs(b - b_star) < 0.1


def test_redundant_bias_keeps_its_difference_with_the_ones_weight(demo):
    x, y = demo
    X_b = np.column_stack([np.ones(len(x)), x])
    w0, b0 = mini_batch_gradient_descent(X_b, y, 0.01, batch_size=10, epochs=0)
    w, b = mini_batch_gradient_descent(X_b, y, 0.01, batch_size=10, epochs=50)
    assert b - b0 > 1  # the bias moved a lot...
    assert w[0] - w0[0] == pytest.approx(b - b0, abs=1e-12)  # ...and so did w0, equally
    assert w[0] - b == pytest.approx(w0[0] - b0, abs=1e-12)  # the difference is frozen


@pytest.mark.parametrize("fit", ["gd", "sgd"])
def test_column_labels_give_identical_results(demo, fit):
    x, y = demo
    assert y.shape == (100, 1)
    if fit == "gd":
        a = LinearRegression(learning_rate=0.1).fit(x, y)
        c = LinearRegression(learning_rate=0.1).fit(x, y.ravel())
        np.testing.assert_array_equal(a.coef_, c.coef_)
        assert a.intercept_ == c.intercept_
        np.testing.assert_array_equal(a.loss_history_, c.loss_history_)
    else:
        (wa, ba), (wc, bc) = (
            mini_batch_gradient_descent(x, labels, batch_size=10, epochs=20)
            for labels in (y, y.ravel())
        )
        np.testing.assert_array_equal(wa, wc)
        assert ba == bc


def test_shorter_run_is_a_prefix_and_verbose_prints_the_mse(demo, capsys):
    x, y = demo
    w, b = mini_batch_gradient_descent(x, y, batch_size=10, epochs=3, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "Epoch 1/3",
        "Epoch 2/3",
        "Epoch 3/3",
    ]
    assert float(lines[-1].split("Loss: ")[1]) == pytest.approx(
        mse(x, y, w, b), abs=1e-6
    )
    mini_batch_gradient_descent(x, y, batch_size=10, epochs=5, verbose=True)
    longer = capsys.readouterr().out.splitlines()
    assert [s.split(",")[1] for s in longer[:3]] == [s.split(",")[1] for s in lines]


def reference_sgd(X, y, lr, batch_size, epochs, seed):
    """The specification, literally: one example at a time, in plain Python."""
    rng = np.random.default_rng(seed)
    w, b = rng.standard_normal(X.shape[1]), rng.standard_normal()
    for _ in range(epochs):
        order = rng.permutation(len(X))  # a fresh shuffle each epoch
        for k in range(len(X) // batch_size):  # full batches only
            gw, gb = np.zeros_like(w), 0.0
            for i in order[k * batch_size : (k + 1) * batch_size]:
                r = sum(X[i, j] * w[j] for j in range(len(w))) + b - y[i]
                gw, gb = gw + 2 * r * X[i] / batch_size, gb + 2 * r / batch_size
            w, b = w - lr * gw, b - lr * gb
    return w, b


@pytest.mark.parametrize("batch_size", [1, 7, 19, 20])
def test_matches_the_specification_step_for_step(batch_size):
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)  # 20 % 7 = 6 left over
    w, b = mini_batch_gradient_descent(X, y, 0.05, batch_size, epochs=3, seed=5)
    w_ref, b_ref = reference_sgd(X, y, 0.05, batch_size, epochs=3, seed=5)
    np.testing.assert_allclose(np.append(w, b), np.append(w_ref, b_ref), rtol=1e-12)


def test_seed_is_explicit(demo):
    x, y = demo
    first = mini_batch_gradient_descent(x, y, batch_size=10, epochs=2, seed=7)
    np.random.random(5)  # moving numpy's global state must change nothing
    again = mini_batch_gradient_descent(x, y, batch_size=10, epochs=2, seed=7)
    other = mini_batch_gradient_descent(x, y, batch_size=10, epochs=2, seed=8)
    np.testing.assert_array_equal(first[0], again[0])
    assert first[1] == again[1] and first[1] != other[1]


# --- divergence -------------------------------------------------------------------


@pytest.mark.parametrize("fit", ["gd", "sgd"])
def test_divergence_raises_instead_of_returning_nans(demo, fit):
    x, y = demo
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow RuntimeWarning leaks out either
        with pytest.raises(ValueError, match=r"diverged.*learning_rate < 0\.4.*got 1"):
            if fit == "gd":
                LinearRegression(learning_rate=1.0).fit(x, y)
            else:
                mini_batch_gradient_descent(x, y, learning_rate=1.0, batch_size=10)


def test_the_quoted_limit_is_the_border_for_full_batch_gd(demo):
    x, y = demo
    limit = mse_stability_limit(x)
    LinearRegression(learning_rate=0.95 * limit).fit(x, y)  # converges
    with pytest.raises(ValueError, match="diverged"):
        LinearRegression(learning_rate=1.05 * limit, num_iterations=2000).fit(x, y)


def mse_stability_limit(x):
    """1 / λmax of [x, 1]ᵀ[x, 1] / n: the MSE's Hessian is twice that matrix."""
    X1 = np.column_stack([x, np.ones(len(x))])
    return float(1 / np.linalg.eigvalsh(X1.T @ X1 / len(X1))[-1])


# --- scikit-learn's estimator conventions ---------------------------------------------


def test_constructor_stores_its_arguments_only():
    model = LinearRegression(learning_rate=-5, num_iterations="many")  # checked in fit
    assert vars(model) == {"learning_rate": -5, "num_iterations": "many"}
    assert (
        repr(LinearRegression())
        == "LinearRegression(learning_rate=0.01, num_iterations=1000)"
    )


def test_fit_returns_self_and_sets_learned_attributes(demo):
    x, y = demo
    model = LinearRegression(learning_rate=0.1, num_iterations=250)
    assert model.fit(x, y) is model
    assert model.coef_.shape == (1,) and isinstance(model.intercept_, float)
    assert model.loss_history_.shape == (250,) and model.n_features_in_ == 1
    assert np.all(np.diff(model.loss_history_) < 0)  # lr below 1/λmax: monotone
    assert model.predict(np.array([[0.0], [2.0]])).shape == (2,)


def test_zero_iterations_keep_the_zero_start(demo):
    model = LinearRegression(num_iterations=0).fit(*demo)
    assert model.coef_.tolist() == [0.0] and model.intercept_ == 0.0
    assert model.loss_history_.shape == (0,)


def test_predict_before_fit_raises():
    with pytest.raises(NotFittedError, match=r"not fitted.*fit\(X, y\)") as info:
        LinearRegression().predict(np.zeros((3, 1)))
    assert isinstance(info.value, ValueError)


def test_params_round_trip_and_sklearn_clone(demo):
    model = LinearRegression().set_params(learning_rate=0.1, num_iterations=5)
    assert model.get_params() == {"learning_rate": 0.1, "num_iterations": 5}
    copy = clone(model.fit(*demo))  # scikit-learn's clone: same params, not fitted
    assert copy.get_params() == model.get_params() and not hasattr(copy, "coef_")
    with pytest.raises(ValueError, match="'alpha'"):
        model.set_params(alpha=1.0)


# --- every bad input ----------------------------------------------------------------

X = np.random.default_rng(0).normal(size=(20, 2))
Y = X @ np.array([2.0, -3.4]) + 4.2


def with_nan(a, index):
    a = a.copy()
    a[index] = np.nan
    return a


def mbgd(X=X, y=Y, **kw):
    return mini_batch_gradient_descent(X, y, **{"batch_size": 5, "epochs": 1, **kw})


def gd(X=X, y=Y, **kw):
    return LinearRegression(**{"num_iterations": 5, **kw}).fit(X, y)


FITTED = LinearRegression(num_iterations=5).fit(X, Y)

CASES = {
    "labels (n, 2)": (lambda f: f(y=np.zeros((20, 2))), ValueError, r"\(20, 2\)"),
    "X and y of different lengths": (
        lambda f: f(y=Y[:15]), ValueError, r"\(15,\) but X has 20 row"),
    "X 1-D": (lambda f: f(X=X[:, 0]), ValueError, r"2-D.*\(20,\)"),
    "NaN in X": (lambda f: f(X=with_nan(X, (3, 1))), ValueError, r"non-finite.*\(3, 1\)"),
    "inf in y": (
        lambda f: f(y=np.where(np.arange(20) == 7, np.inf, Y)), ValueError,
        r"labels contains 1 non-finite.*7"),
    "learning_rate = 0": (
        lambda f: f(learning_rate=0), ValueError, r"learning_rate must be .*> 0, got 0"),
    "learning_rate < 0": (lambda f: f(learning_rate=-0.1), ValueError, r"got -0.1"),
    "learning_rate nan": (lambda f: f(learning_rate=float("nan")), ValueError, r"got nan"),
    "learning_rate a string": (lambda f: f(learning_rate="0.1"), TypeError, r"'0.1'"),
}  # fmt: skip

SGD_CASES = {
    "batch_size = 0": (lambda: mbgd(batch_size=0), ValueError, r"batch_size.*got 0"),
    "batch_size a float": (lambda: mbgd(batch_size=2.5), TypeError, r"batch_size.*2.5"),
    "batch_size True": (lambda: mbgd(batch_size=True), TypeError, r"True"),
    "batch_size > n": (lambda: mbgd(batch_size=21), ValueError, r"21 exceeds the 20"),
    "epochs < 0": (lambda: mbgd(epochs=-1), ValueError, r"epochs.*got -1"),
    "epochs a float": (lambda: mbgd(epochs=3.0), TypeError, r"epochs.*3.0"),
}  # fmt: skip

GD_CASES = {
    "num_iterations < 0": (lambda: gd(num_iterations=-1), ValueError, r"num_iterations.*-1"),
    "num_iterations a float": (
        lambda: gd(num_iterations=10.0), TypeError, r"num_iterations.*10.0"),
    "predict with 3 features": (
        lambda: FITTED.predict(np.zeros((4, 3))), ValueError,
        r"\(4, 3\): 3 feature.*fitted on 2"),
    "predict with 1-D X": (lambda: FITTED.predict(np.zeros(2)), ValueError, r"\(2,\)"),
    "predict with NaN": (
        lambda: FITTED.predict(with_nan(np.zeros((4, 2)), (1, 0))), ValueError,
        r"non-finite.*\(1, 0\)"),
}  # fmt: skip


@pytest.mark.parametrize("fit", [mbgd, gd], ids=["mini_batch_gd", "LinearRegression"])
@pytest.mark.parametrize("case", CASES)
def test_bad_input_raises_for_both(case, fit):
    call, error, pattern = CASES[case]
    with pytest.raises(error, match=pattern):
        call(fit)


@pytest.mark.parametrize("case", {**SGD_CASES, **GD_CASES})
def test_bad_input_raises(case):
    call, error, pattern = {**SGD_CASES, **GD_CASES}[case]
    with pytest.raises(error, match=pattern):
        call()
