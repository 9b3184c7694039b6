"""Three oracles agree on the gradient: hand-derived, autograd, finite differences."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from linreg_lib import linreg, numpy_scratch, squared_loss, torch_scratch


def total_loss(X, y, w, b):
    return float(squared_loss(linreg(X, w, b), y).sum())


def autograd_grad(X, y, w, b):
    """The torch path's summed_loss_grad: autograd, the first oracle."""
    grads = torch_scratch.summed_loss_grad(
        *(torch.from_numpy(np.asarray(a)) for a in (X, y, w, b))
    )
    return tuple(g.numpy() for g in grads)


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
    grad_w, grad_b = numpy_scratch.summed_loss_grad(X, y, w, b)
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
    grad_w, grad_b = numpy_scratch.summed_loss_grad(X, y, theta[:2], theta[2:])
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
    torch_scratch.sgd([wt, bt], 0.03, 10)
    numpy_scratch.sgd([w, b], numpy_scratch.summed_loss_grad(X, y, w, b), 0.03, 10)
    np.testing.assert_allclose(w, wt.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(b, bt.detach().numpy(), rtol=1e-12)
    assert float(wt.grad.abs().sum()) == 0.0  # sgd zeroes the gradient


def test_torch_summed_loss_grad_leaves_its_arguments_untouched():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.zeros(1)
    X, y = torch.ones(3, 2), torch.zeros(3)
    grad_w, grad_b = torch_scratch.summed_loss_grad(X, y, w, b)
    assert w.grad is None and not b.requires_grad  # fresh leaves got the gradients
    assert grad_w.tolist() == [9.0, 9.0] and grad_b.tolist() == [9.0]  # r = 3 each


def test_sgd_refuses_a_python_float_bias_instead_of_skipping_it():
    """A float cannot be updated in place: the old sgd left b at 0 without a word."""
    w, b = np.zeros(2), 0.0
    with pytest.raises(TypeError, match=r"params\[1\].*updated in place.*np.array"):
        numpy_scratch.sgd([w, b], [np.ones(2), 1.0], 0.1, 1)
    assert w.tolist() == [0.0, 0.0]  # checked before any update
