"""sgd_epoch runs the same updates as the book's loop, on arrays and memmaps."""

import numpy as np
import pytest

from linreg_lib import train
from linreg_lib.iterators import load_memmap, save_dataset
from linreg_lib.numpy_scratch import sgd, summed_loss_grad
from linreg_lib.streaming import sgd_epoch


@pytest.mark.parametrize("batch_size", [1, 7, 10, 1000])
def test_one_epoch_in_file_order_is_the_book_step_on_consecutive_slices(
    d2l_data, batch_size
):
    X, y = d2l_data
    w_ref, b_ref = np.array([0.5, -1.0]), np.array([0.25])
    for i in range(0, len(X), batch_size):  # the book's step, batch by batch
        grads = summed_loss_grad(
            X[i : i + batch_size], y[i : i + batch_size], w_ref, b_ref
        )
        sgd([w_ref, b_ref], grads, 0.05, len(X[i : i + batch_size]))
    w = np.array([0.5, -1.0])
    b = sgd_epoch(X, y, w, 0.25, lr=0.05, batch_size=batch_size, shuffle="none")
    np.testing.assert_allclose(w, w_ref, rtol=1e-12, atol=1e-14)
    assert b == pytest.approx(b_ref[0], rel=1e-12)


def test_shuffled_epoch_matches_train_with_the_same_seed(d2l_data):
    """train with w0 given draws only the shuffles: the same order as sgd_epoch's."""
    X, y = d2l_data
    h = train(X, y, lr=0.03, batch_size=10, num_epochs=1, w0=[0.0, 0.0], seed=3)
    w = np.zeros(2)
    b = sgd_epoch(X, y, w, 0.0, lr=0.03, batch_size=10, seed=3, shuffle="examples")
    np.testing.assert_allclose(np.append(w, b), np.append(h.w[-1], h.b[-1]), rtol=1e-12)


def test_a_diverging_epoch_raises_instead_of_returning_nans(d2l_data):
    X, y = d2l_data
    w = np.zeros(2)
    with pytest.raises(ValueError, match=r"diverged.*lr = 5"):
        sgd_epoch(X, y, w, 0.0, lr=5.0, batch_size=1, seed=0)


def test_a_huge_batch_size_is_refused_before_any_allocation(d2l_data):
    X, y = d2l_data
    with pytest.raises(ValueError, match=r"batch_size=10000000000000 exceeds the 1000"):
        sgd_epoch(X, y, np.zeros(2), 0.0, lr=0.1, batch_size=10**13)


def test_memmap_float32_epoch_equals_in_memory(tmp_path, d2l_data):
    X, y = (a.astype(np.float32) for a in d2l_data)
    save_dataset(tmp_path, X, y.reshape(-1, 1))
    Xm, ym = load_memmap(tmp_path)
    w_mem, w_map = np.zeros(2, np.float32), np.zeros(2, np.float32)
    b_mem = b_map = 0.0
    for epoch in range(5):
        b_mem = sgd_epoch(X, y, w_mem, b_mem, lr=0.05, batch_size=16, seed=epoch)
        b_map = sgd_epoch(Xm, ym, w_map, b_map, lr=0.05, batch_size=16, seed=epoch)
    np.testing.assert_array_equal(w_mem, w_map)
    assert b_mem == b_map
    assert np.abs(np.append(w_mem, b_mem) - [2, -3.4, 4.2]).max() < 1e-3
