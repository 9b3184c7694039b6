"""sgd_epoch runs the same updates as the book's loop, on arrays and memmaps."""

import numpy as np
import pytest

from linreg_lib import train
from linreg_lib.iterators import load_memmap, save_dataset
from linreg_lib.streaming import sgd_epoch


@pytest.mark.parametrize("batch_size", [1, 7, 10, 1000])
def test_one_epoch_matches_train_with_the_same_order(d2l_data, batch_size):
    X, y = d2l_data
    n = len(X)
    h = train(X, y, lr=0.05, batch_size=batch_size, num_epochs=1, w0=[0.5, -1.0],
              b0=0.25, orders=[np.arange(n)])  # fmt: skip
    w = np.array([0.5, -1.0])
    b = sgd_epoch(X, y, w, 0.25, lr=0.05, batch_size=batch_size, shuffle="none")
    np.testing.assert_allclose(w, h.w[-1], rtol=1e-12, atol=1e-14)
    assert b == pytest.approx(h.b[-1], rel=1e-12)


def test_shuffled_epoch_matches_train_replaying_its_order(d2l_data):
    X, y = d2l_data
    order = np.random.default_rng(3).permutation(len(X))
    h = train(X, y, lr=0.03, batch_size=10, num_epochs=1, w0=[0.0, 0.0], orders=[order])
    w = np.zeros(2)
    b = sgd_epoch(X, y, w, 0.0, lr=0.03, batch_size=10, seed=3, shuffle="examples")
    np.testing.assert_allclose(np.append(w, b), np.append(h.w[-1], h.b[-1]), rtol=1e-12)


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


@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        (dict(w=np.zeros(3)), ValueError, r"shape \(2,\)"),
        (dict(w=[0.0, 0.0]), ValueError, "writeable array"),
        (dict(lr=0.0), ValueError, "lr"),
        (dict(batch_size=0), ValueError, "batch_size"),
        (dict(w=np.array([np.nan, 0.0])), ValueError, "non-finite"),
        (dict(shuffle="random"), ValueError, "shuffle"),
    ],
)
def test_bad_input_is_refused(d2l_data, kwargs, error, pattern):
    X, y = d2l_data
    args = dict(w=np.zeros(2), lr=0.03, batch_size=10) | kwargs
    with pytest.raises(error, match=pattern):
        sgd_epoch(X, y, args.pop("w"), 0.0, **args)
