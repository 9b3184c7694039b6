"""Every bad input named in the foundation issue raises, naming the shape or value."""

import numpy as np
import pytest
import torch

from linreg_lib import (
    closed_form,
    linreg,
    numpy_scratch,
    squared_loss,
    stability_limit,
    torch_scratch,
    train,
)

X = np.random.default_rng(0).normal(size=(20, 2))
Y = X @ np.array([2.0, -3.4]) + 4.2
W = np.array([2.0, -3.4])


def with_nan(a, index):
    a = a.copy()
    a[index] = np.nan
    return a


# each case: a call, the exception, and a regex its message must match
CASES = {
    "column labels vs vector predictions of another length": (
        lambda: squared_loss(np.zeros(10), np.zeros((12, 1))), ValueError,
        r"\(10,\).*\(12, 1\).*broadcast to \(12, 10\)"),
    "labels (n, 2)": (lambda: train(X, np.zeros((20, 2))), ValueError, r"\(20, 2\)"),
    "X and y of different lengths (train)": (
        lambda: train(X, Y[:15]), ValueError, r"\(15,\) but X has 20 row"),
    "X and y of different lengths (closed form)": (
        lambda: closed_form(X[:10], Y), ValueError, r"\(20,\) but X has 10 row"),
    "X and y of different lengths (data_iter)": (
        lambda: list(numpy_scratch.data_iter(5, X, Y[:15])), ValueError, r"20 rows.*15"),
    "X 1-D": (lambda: train(X[:, 0], Y), ValueError, r"2-D.*\(20,\)"),
    "w that does not fit X": (
        lambda: linreg(X, np.zeros((3, 1)), 0.0), ValueError, r"\(3, 1\).*2 feature"),
    "w0 that does not fit X": (
        lambda: train(X, Y, w0=np.zeros(3)), ValueError, r"w0 has shape \(3,\)"),
    "bias of shape (2,)": (lambda: linreg(X, W, np.zeros(2)), ValueError, r"\(2,\)"),
    "NaN in features": (
        lambda: train(with_nan(X, (3, 1)), Y), ValueError, r"1 non-finite.*\(3, 1\)"),
    "inf in labels": (
        lambda: train(X, np.where(np.arange(20) == 7, np.inf, Y)), ValueError,
        r"labels contains 1 non-finite.*7"),
    "NaN in closed form": (
        lambda: closed_form(with_nan(X, (0, 0)), Y), ValueError, "non-finite"),
    "NaN in data_iter": (
        lambda: list(numpy_scratch.data_iter(5, with_nan(X, (2, 0)), Y)), ValueError,
        "non-finite"),
    "NaN in stability limit": (
        lambda: stability_limit(with_nan(X, (0, 0))), ValueError, "non-finite"),
    "lr = 0": (lambda: train(X, Y, lr=0), ValueError, r"lr must be .*> 0, got 0"),
    "lr < 0": (lambda: train(X, Y, lr=-0.1), ValueError, r"got -0.1"),
    "lr = nan": (lambda: train(X, Y, lr=float("nan")), ValueError, r"got nan"),
    "lr a string": (lambda: train(X, Y, lr="0.1"), TypeError, r"'0.1'"),
    "batch_size = 0": (lambda: train(X, Y, batch_size=0), ValueError, r"got 0"),
    "batch_size a float": (lambda: train(X, Y, batch_size=2.5), TypeError, r"2.5"),
    "batch_size True": (lambda: train(X, Y, batch_size=True), TypeError, r"True"),
    "batch_size > n": (lambda: train(X, Y, batch_size=21), ValueError, r"21.*20"),
    "data_iter batch_size 0": (
        lambda: list(numpy_scratch.data_iter(0, X, Y)), ValueError, r"got 0"),
    "epochs < 0": (lambda: train(X, Y, num_epochs=-1), ValueError, r"got -1"),
    "epochs a float": (lambda: train(X, Y, num_epochs=3.0), TypeError, r"3.0"),
    "negative number of examples": (
        lambda: numpy_scratch.synthetic_data(W, 4.2, -5), ValueError, r"got -5"),
    "zero examples": (lambda: numpy_scratch.synthetic_data(W, 4.2, 0), ValueError, r"got 0"),
    "negative noise": (
        lambda: numpy_scratch.synthetic_data(W, 4.2, 5, noise=-1), ValueError, r"-1"),
    "w a matrix in synthetic_data": (
        lambda: numpy_scratch.synthetic_data(W.reshape(2, 1), 4.2, 5), ValueError, r"\(2, 1\)"),
    "sgd lr <= 0": (
        lambda: numpy_scratch.sgd([W.copy()], [W], 0.0, 10), ValueError, r"lr"),
    "unknown backend": (lambda: train(X, Y, backend="jax"), ValueError, r"'jax'"),
    "torch: negative examples": (
        lambda: torch_scratch.synthetic_data(torch.tensor(W), 4.2, -1), ValueError, r"-1"),
    "torch: labels of another length": (
        lambda: squared_loss(torch.zeros(10), torch.zeros(12, 1)), ValueError, r"\(12, 1\)"),
    "torch: w that does not fit X": (
        lambda: linreg(torch.zeros(5, 2), torch.zeros(3, 1), torch.zeros(1)), ValueError,
        r"\(3, 1\)"),
    "torch: sgd without backward": (
        lambda: torch_scratch.sgd([torch.zeros(2, requires_grad=True)], 0.1, 10),
        ValueError, r"backward"),
    "torch: sgd batch_size 0": (
        lambda: torch_scratch.sgd([torch.zeros(2, requires_grad=True)], 0.1, 0),
        ValueError, r"batch_size"),
    "torch: data_iter batch_size 0": (
        lambda: list(torch_scratch.data_iter(0, torch.zeros(5, 2), torch.zeros(5, 1))),
        ValueError, r"batch_size"),
    "torch: NaN in features": (
        lambda: list(torch_scratch.data_iter(2, torch.full((5, 2), float("nan")),
                                             torch.zeros(5, 1))), ValueError, "non-finite"),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_bad_input_raises_a_clear_error(case):
    call, error, pattern = CASES[case]
    with pytest.raises(error, match=pattern):
        call()
