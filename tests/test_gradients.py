"""Three oracles agree on the gradient: hand-derived, autograd, finite differences."""

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from linreg_lib import linreg, numpy_scratch, squared_loss


def total_loss(X, y, w, b):
    return float(squared_loss(linreg(X, w, b), y).sum())


def autograd_grad(X, y, w, b):
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True)
    squared_loss(
        linreg(torch.from_numpy(X), wt, bt), torch.from_numpy(y)
    ).sum().backward()
    return wt.grad.numpy(), bt.grad.numpy()


def finite_diff_grad(X, y, w, b, h=1e-6):
    theta = np.append(w.ravel(), b)
    grad = np.empty_like(theta)
    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = h
        plus, minus = theta + e, theta - e
        grad[i] = (
            total_loss(X, y, plus[:-1].reshape(w.shape), plus[-1:])
            - total_loss(X, y, minus[:-1].reshape(w.shape), minus[-1:])
        ) / (2 * h)
    return grad[:-1].reshape(w.shape), grad[-1:]


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 30),
    d=st.integers(1, 5),
    column=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_hand_gradient_matches_autograd_and_finite_differences(n, d, column, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = rng.normal(size=(d, 1) if column else d)
    b = rng.normal(size=1)
    y = rng.normal(size=(n, 1))  # column labels, as D2L's synthetic_data returns
    grad_w, grad_b = numpy_scratch.squared_loss_grad(X, y, w, b)
    assert grad_w.shape == w.shape and grad_b.shape == b.shape
    auto_w, auto_b = autograd_grad(X, y, w, b)
    np.testing.assert_allclose(grad_w, auto_w, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(grad_b, auto_b, rtol=1e-10, atol=1e-10)
    fd_w, fd_b = finite_diff_grad(X, y, w, b)
    scale = 1 + np.abs(np.append(grad_w, grad_b)).max()
    np.testing.assert_allclose(grad_w, fd_w, atol=1e-5 * scale)
    np.testing.assert_allclose(grad_b, fd_b, atol=1e-5 * scale)


def test_gradient_is_zero_at_the_least_squares_solution(d2l_data):
    X, y = d2l_data
    X1 = np.column_stack([X, np.ones(len(X))])
    theta = np.linalg.lstsq(X1, y, rcond=None)[0]
    grad_w, grad_b = numpy_scratch.squared_loss_grad(X, y, theta[:2], theta[2:])
    assert np.abs(np.append(grad_w, grad_b)).max() < 1e-9


def test_numpy_and_torch_sgd_take_the_same_step():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
    w, b = rng.normal(size=(2, 1)), np.zeros(1)
    wt = torch.tensor(w, requires_grad=True)
    bt = torch.tensor(b, requires_grad=True)
    squared_loss(
        linreg(torch.from_numpy(X), wt, bt), torch.from_numpy(y)
    ).sum().backward()
    from linreg_lib import torch_scratch

    torch_scratch.sgd([wt, bt], 0.03, 10)
    numpy_scratch.sgd([w, b], numpy_scratch.squared_loss_grad(X, y, w, b), 0.03, 10)
    np.testing.assert_allclose(w, wt.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(b, bt.detach().numpy(), rtol=1e-12)
    assert float(wt.grad.abs().sum()) == 0.0  # sgd zeroes the gradient
