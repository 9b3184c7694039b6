"""minibatches, save_dataset and load_memmap: coverage, order, memmaps, errors."""

import subprocess
import sys

import numpy as np
import pytest

from linreg_lib.iterators import SHUFFLES, load_memmap, minibatches, save_dataset


def numbered(n, column=False):
    """Row i of X is [2i, 2i + 1]; its label is 10 * 2i, so pairs can be checked."""
    X = np.arange(2 * n, dtype=float).reshape(n, 2)
    y = X[:, 0] * 10
    return X, (y[:, None] if column else y)


def row_ids(batches):
    return np.concatenate([X[:, 0] // 2 for X, _ in batches]).astype(int)


def expected_sizes(n, batch_size):
    return [batch_size] * (n // batch_size) + (
        [n % batch_size] if n % batch_size else []
    )


@pytest.mark.parametrize("shuffle", SHUFFLES)
@pytest.mark.parametrize(
    "n, batch_size", [(1000, 10), (1000, 3), (103, 10), (7, 1), (5, 5)]
)
def test_every_example_once_per_epoch_and_labels_attached(shuffle, n, batch_size):
    X, y = numbered(n)
    batches = list(minibatches(batch_size, X, y, seed=0, shuffle=shuffle))
    sizes = [len(Xb) for Xb, _ in batches]
    if shuffle == "examples" or shuffle == "none":  # the partial batch comes last
        assert sizes == expected_sizes(n, batch_size)
    else:  # the partial block may come anywhere
        assert sorted(sizes) == sorted(expected_sizes(n, batch_size))
    assert sorted(row_ids(batches)) == list(range(n))
    for Xb, yb in batches:
        assert Xb.shape == (len(yb), 2) and yb.shape == (len(Xb),)
        np.testing.assert_array_equal(yb, Xb[:, 0] * 10)


def test_examples_mode_is_slices_of_one_permutation():
    X, y = numbered(103)
    order = np.random.default_rng(7).permutation(103)  # the oracle
    batches = list(minibatches(10, X, y, seed=7))
    for k, (Xb, yb) in enumerate(batches):
        np.testing.assert_array_equal(Xb, X[order[10 * k : 10 * k + 10]])
        np.testing.assert_array_equal(yb, y[order[10 * k : 10 * k + 10]])


def test_batches_mode_yields_views_of_contiguous_blocks_in_shuffled_order():
    X, y = numbered(1003)
    batches = list(minibatches(10, X, y, seed=0, shuffle="batches"))
    starts = []
    for Xb, yb in batches:
        ids = Xb[:, 0] // 2
        assert np.all(np.diff(ids) == 1)  # contiguous rows
        assert ids[0] % 10 == 0  # blocks start at multiples of batch_size
        assert np.shares_memory(Xb, X) and np.shares_memory(yb, y)  # views
        starts.append(int(ids[0]))
    assert starts != sorted(starts)  # the block order is shuffled
    assert sorted(starts) == list(range(0, 1003, 10))


def test_none_mode_is_the_data_in_order():
    X, y = numbered(23)
    batches = list(minibatches(5, X, y, seed=0, shuffle="none"))
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), X)
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y)


def test_examples_mode_shuffles_and_column_labels_keep_their_shape():
    X, y = numbered(100, column=True)
    batches = list(minibatches(10, X, y, seed=0))
    ids = row_ids(batches)
    assert not np.array_equal(ids, np.sort(ids))
    for Xb, yb in batches:
        assert yb.shape == (10, 1)
        np.testing.assert_array_equal(yb[:, 0], Xb[:, 0] * 10)


@pytest.mark.parametrize("shuffle", ["examples", "batches"])
def test_seeded_order_is_reproducible_and_a_generator_gives_new_epochs(shuffle):
    X, y = numbered(200)

    def epoch(seed):
        return row_ids(minibatches(10, X, y, seed=seed, shuffle=shuffle))

    np.testing.assert_array_equal(epoch(3), epoch(3))
    assert not np.array_equal(epoch(3), epoch(4))
    rng_a, rng_b = np.random.default_rng(5), np.random.default_rng(5)
    first, second = epoch(rng_a), epoch(rng_a)
    assert not np.array_equal(first, second)  # one stream: a new order each epoch
    np.testing.assert_array_equal(first, epoch(rng_b))
    np.testing.assert_array_equal(second, epoch(rng_b))


@pytest.mark.parametrize("shuffle", SHUFFLES)
@pytest.mark.parametrize("column", [False, True])
def test_memmap_batches_equal_in_memory_batches(tmp_path, shuffle, column):
    X, y = numbered(107, column)
    X, y = X.astype(np.float32), y.astype(np.float32)
    assert save_dataset(tmp_path / "data", X, y) == tmp_path / "data"
    Xm, ym = load_memmap(tmp_path / "data")
    assert isinstance(Xm, np.memmap) and not Xm.flags.writeable
    assert Xm.dtype == np.float32 and Xm.shape == X.shape and ym.shape == y.shape
    in_memory = list(minibatches(10, X, y, seed=1, shuffle=shuffle))
    mapped = list(minibatches(10, Xm, ym, seed=1, shuffle=shuffle))
    assert len(in_memory) == len(mapped)
    for (Xa, ya), (Xb, yb) in zip(in_memory, mapped, strict=True):
        np.testing.assert_array_equal(Xa, Xb)
        np.testing.assert_array_equal(ya, yb)
    with pytest.raises(ValueError, match="read-only"):
        Xm[0, 0] = 1.0


def test_arguments_are_checked_at_the_call_not_at_the_first_batch():
    X, y = numbered(10)
    with pytest.raises(ValueError, match="batch_size=11"):
        minibatches(11, X, y)  # no list(): the error must not wait for next()


def test_load_memmap_refuses_files_that_do_not_fit_together(tmp_path):
    with pytest.raises(FileNotFoundError, match="X.npy"):
        load_memmap(tmp_path)
    np.save(tmp_path / "X.npy", np.zeros((5, 2)))
    np.save(tmp_path / "y.npy", np.zeros(4))
    with pytest.raises(ValueError, match=r"labels has shape \(4,\).*5 row"):
        load_memmap(tmp_path)


def test_iterators_module_does_not_import_torch():
    code = (
        "import sys, numpy as np\n"
        "from linreg_lib.iterators import minibatches\n"
        "X = np.zeros((20, 2)); y = np.zeros(20)\n"
        "assert sum(len(b) for b, _ in minibatches(3, X, y, seed=0)) == 20\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
