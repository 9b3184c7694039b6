"""synthetic_data and data_iter in both paths; the NumPy path never imports torch."""

import subprocess
import sys

import numpy as np
import pytest
import torch

from linreg_lib import closed_form, numpy_scratch, torch_scratch

from .conftest import TRUE_B, TRUE_W


@pytest.mark.parametrize("path", [numpy_scratch, torch_scratch])
def test_synthetic_data_shapes_and_noise_level(path):
    w = TRUE_W if path is numpy_scratch else torch.tensor(TRUE_W)
    X, y = path.synthetic_data(w, TRUE_B, 5000, noise=0.5, seed=0)
    X, y = np.asarray(X), np.asarray(y)
    assert X.shape == (5000, 2)
    assert y.shape == (5000,)  # one data contract: labels are (n,) in both paths
    assert abs(X.mean()) < 0.05 and abs(X.std() - 1) < 0.05  # X ~ N(0, 1)
    residual = y.ravel() - (X @ TRUE_W + TRUE_B)
    assert abs(residual.std() - 0.5) < 0.02 and abs(residual.mean()) < 0.03


@pytest.mark.parametrize("path", [numpy_scratch, torch_scratch])
def test_synthetic_data_is_reproducible_from_its_seed(path):
    w = TRUE_W if path is numpy_scratch else torch.tensor(TRUE_W)
    a = path.synthetic_data(w, TRUE_B, 10, seed=4)
    b = path.synthetic_data(w, TRUE_B, 10, seed=4)
    c = path.synthetic_data(w, TRUE_B, 10, seed=5)
    np.testing.assert_array_equal(np.asarray(a[0]), np.asarray(b[0]))
    assert not np.array_equal(np.asarray(a[0]), np.asarray(c[0]))


def test_noise_free_data_is_exactly_linear():
    X, y = numpy_scratch.synthetic_data(TRUE_W, TRUE_B, 20, noise=0.0, seed=0)
    np.testing.assert_allclose(y, X @ TRUE_W + TRUE_B)
    w, b = closed_form(X, y)
    np.testing.assert_allclose(np.append(w, b), np.append(TRUE_W, TRUE_B), atol=1e-12)


@pytest.mark.parametrize("path", [numpy_scratch, torch_scratch])
@pytest.mark.parametrize("n, batch_size", [(1000, 10), (103, 10), (5, 5), (7, 1)])
def test_data_iter_visits_every_example_once(path, n, batch_size):
    features = np.arange(2 * n, dtype=float).reshape(n, 2)
    labels = features[:, :1] * 10  # (n, 1): labels stay attached to their rows
    if path is torch_scratch:
        features, labels = torch.from_numpy(features), torch.from_numpy(labels)
    batches = list(path.data_iter(batch_size, features, labels, seed=0))
    sizes = [len(X) for X, _ in batches]
    assert sizes == [batch_size] * (n // batch_size) + (
        [n % batch_size] if n % batch_size else []
    )
    rows = np.concatenate([np.asarray(X)[:, 0] for X, _ in batches])
    assert sorted(rows.tolist()) == list(range(0, 2 * n, 2))
    assert not np.array_equal(rows, np.sort(rows)) or n <= 5  # shuffled
    for X, y in batches:
        np.testing.assert_array_equal(np.asarray(y), np.asarray(X)[:, :1] * 10)


def test_numpy_path_does_not_import_torch():
    code = (
        "import sys, numpy as np, linreg_lib\n"
        "from linreg_lib import numpy_scratch as N\n"
        "X, y = N.synthetic_data(np.array([2, -3.4]), 4.2, 100, seed=0)\n"
        "h = linreg_lib.train(X, y, seed=0)\n"
        "linreg_lib.closed_form(X, y), linreg_lib.stability_limit(X)\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
        "assert h.loss[-1] < h.loss[0]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_two_paths_are_line_parallel():
    """Same functions in the same order, and the same lines wherever they can be."""
    import inspect

    names = [
        "synthetic_data",
        "data_iter",
        "linreg",
        "squared_loss",
        "summed_loss_grad",
        "sgd",
    ]
    assert numpy_scratch.__all__ == torch_scratch.__all__ == names
    for name in ("synthetic_data", "data_iter"):
        np_lines = _code_lines(inspect.getsource(getattr(numpy_scratch, name)))
        pt_lines = _code_lines(inspect.getsource(getattr(torch_scratch, name)))
        assert len(np_lines) == len(pt_lines), name  # a diff pairs them line by line
        for a, b in zip(np_lines, pt_lines, strict=True):  # differing lines: the
            assert a == b or ("np." in a and "torch." in b) or "rng" in a, (a, b)
    for module in (numpy_scratch, torch_scratch):
        assert "y = X @ w + b" in inspect.getsource(module.synthetic_data)
        order = [
            name
            for name, _ in inspect.getmembers(module, inspect.isfunction)
            if inspect.getmodule(_) is module and not name.startswith("_")
        ]
        source = inspect.getsource(module)
        assert sorted(order, key=lambda n: source.index(f"def {n}(")) == [
            n for n in names if n in order
        ]  # fmt: skip


def _code_lines(source):
    """The statements of a function, without its docstring and comments."""
    body = source.split('"""')[-1] if '"""' in source else source
    return [line.split("#")[0].strip() for line in body.splitlines() if line.strip()]


def test_torch_names_are_reexported_lazily():
    import linreg_lib

    assert linreg_lib.sgd is torch_scratch.sgd
    assert linreg_lib.synthetic_data is torch_scratch.synthetic_data
    with pytest.raises(AttributeError):
        linreg_lib.no_such_function  # noqa: B018


def test_every_module_of_the_package_is_small_enough_to_read_in_one_sitting():
    from pathlib import Path

    import linreg_lib

    package = Path(linreg_lib.__file__).parent
    lengths = {p.name: len(p.read_text().splitlines()) for p in package.glob("*.py")}
    assert len(lengths) > 10
    assert {name: n for name, n in lengths.items() if n > 150} == {}
