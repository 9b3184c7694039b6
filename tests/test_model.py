"""linreg and squared_loss, on NumPy arrays and torch tensors."""

import numpy as np
import pytest
import torch

from linreg_lib import linreg, squared_loss


def test_linreg_is_matrix_vector_product_plus_bias():
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 0.5]])
    w, b = np.array([2.0, -3.4]), 4.2
    expected = [2 * 1 - 3.4 * 2 + 4.2, 2 * 3 + 3.4 + 4.2, -3.4 * 0.5 + 4.2]
    np.testing.assert_allclose(linreg(X, w, b), expected)
    assert linreg(X, w.reshape(2, 1), np.array([b])).shape == (3, 1)


def test_linreg_same_on_numpy_and_torch():
    rng = np.random.default_rng(1)
    X, w, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 1)), rng.normal(size=1)
    out = linreg(torch.from_numpy(X), torch.from_numpy(w), torch.from_numpy(b))
    np.testing.assert_allclose(out.numpy(), linreg(X, w, b), rtol=1e-12)


def test_squared_loss_values_and_half():
    y_hat, y = np.array([1.0, 2.0, 4.0]), np.array([1.0, 0.0, 1.0])
    np.testing.assert_allclose(squared_loss(y_hat, y), [0.0, 2.0, 4.5])


@pytest.mark.parametrize("xp", ["numpy", "torch"])
def test_column_labels_meet_vector_predictions_safely(xp):
    """(n,) predictions and (n, 1) labels: reshaped, never broadcast to (n, n)."""
    rng = np.random.default_rng(2)
    y_hat, y = rng.normal(size=7), rng.normal(size=(7, 1))
    if xp == "torch":
        y_hat, y = torch.from_numpy(y_hat), torch.from_numpy(y)
    l = squared_loss(y_hat, y)
    assert tuple(l.shape) == (7,)
    expected = (np.asarray(y_hat) - np.asarray(y).ravel()) ** 2 / 2
    np.testing.assert_allclose(np.asarray(l), expected)


@pytest.mark.parametrize(
    "a, b", [((10,), (12, 1)), ((10, 1), (12,)), ((10,), (10, 2)), ((2, 3), (3, 2))]
)
def test_squared_loss_refuses_shapes_that_would_broadcast(a, b):
    with pytest.raises(ValueError, match=r"y_hat has shape .* but y has shape"):
        squared_loss(np.zeros(a), np.zeros(b))
