"""The closed form against numpy.linalg.lstsq; the Hessian against autograd."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from linreg_lib import closed_form, hessian, linreg, squared_loss

from .conftest import TRUE_B, TRUE_W


@settings(max_examples=40, deadline=None)
@given(extra=st.integers(0, 60), d=st.integers(1, 4), seed=st.integers(0, 2**32 - 1))
def test_closed_form_matches_lstsq(extra, d, seed):
    n = d + 1 + extra  # at least as many rows as unknowns (w and b)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.1, 10, size=d) + rng.normal(size=d)
    y = rng.normal(size=n)
    w, b = closed_form(X, y)
    theta, *_ = np.linalg.lstsq(np.column_stack([X, np.ones(n)]), y, rcond=None)
    np.testing.assert_allclose(np.append(w, b), theta, rtol=1e-7, atol=1e-9)


def test_closed_form_recovers_d2l_parameters(d2l_data):
    w, b = closed_form(*d2l_data)
    assert np.abs(w - TRUE_W).max() < 2e-3 and abs(b - TRUE_B) < 2e-3


def test_closed_form_is_exact_without_noise():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    w, b = closed_form(X, X @ np.array([1.0, -2.0, 0.5]) + 3.0)
    np.testing.assert_allclose(np.append(w, b), [1.0, -2.0, 0.5, 3.0], atol=1e-12)


def test_closed_form_accepts_column_labels_and_tensors(d2l_data):
    X, y = d2l_data
    w, b = closed_form(X, y)
    w2, b2 = closed_form(torch.from_numpy(X), torch.from_numpy(y).reshape(-1, 1))
    np.testing.assert_array_equal(w, w2)
    assert b == b2


@pytest.mark.parametrize(
    "X",
    [
        np.column_stack([np.arange(5.0), np.ones(5)]),  # a column of ones again
        np.column_stack([np.arange(5.0), 2 * np.arange(5.0)]),  # repeated feature
        np.ones((2, 3)),  # fewer rows than d + 1
    ],
)
def test_closed_form_refuses_dependent_columns(X):
    with pytest.raises(ValueError, match="not unique"):
        closed_form(X, np.arange(len(X), dtype=float))


def test_the_message_names_the_real_cause():
    X = np.column_stack([np.arange(6.0), np.full(6, 3.0), np.arange(6.0) ** 2])
    with pytest.raises(ValueError, match=r"feature\(s\) \[1\] constant, like the bias"):
        closed_form(X, np.arange(6.0))
    with pytest.raises(ValueError, match=r"2 example\(s\) cannot determine 3 weight"):
        closed_form(np.ones((2, 3)), np.arange(2.0))


@pytest.mark.parametrize("offset", [1e4, 1e8, -1e8])
def test_features_with_a_large_offset_are_solved_like_scikit_learn(d2l_data, offset):
    """[X + 10⁸, 1] has nearly parallel columns; centring first keeps it solvable."""
    from sklearn.linear_model import LinearRegression

    X, y = d2l_data
    w, b = closed_form(X + offset, y)
    sk = LinearRegression().fit(X + offset, y)
    np.testing.assert_allclose(w, sk.coef_, rtol=1e-6)
    assert b == pytest.approx(sk.intercept_, rel=1e-9)
    w0, _ = closed_form(X, y)  # the offset only moves the bias
    np.testing.assert_allclose(w, w0, rtol=1e-5)


def test_hessian_matches_autograd(d2l_data):
    X, y = d2l_data
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def mean_loss(theta):
        return squared_loss(linreg(Xt, theta[:2], theta[2]), yt).mean()

    H_auto = torch.autograd.functional.hessian(
        mean_loss, torch.zeros(3, dtype=torch.float64)
    )
    np.testing.assert_allclose(hessian(X), H_auto.numpy(), rtol=1e-12, atol=1e-14)
