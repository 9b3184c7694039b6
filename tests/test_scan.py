"""The scan backend computes the same SGD iterates as the step-by-step loop."""

import numpy as np
import pytest

from linreg_lib import train
from linreg_lib.scan import affine_steps, prefix_scan


@pytest.mark.parametrize("batch_size", [1, 7, 10, 1000])
def test_scan_matches_the_loop_step_for_step(d2l_data, batch_size):
    kwargs = dict(lr=0.05, batch_size=batch_size, num_epochs=3, seed=4)
    loop = train(*d2l_data, backend="numpy", record_steps=True, **kwargs)
    scan = train(*d2l_data, backend="scan", record_steps=True, **kwargs)
    assert scan.steps.shape == loop.steps.shape
    np.testing.assert_allclose(scan.steps, loop.steps, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(scan.loss, loop.loss, rtol=1e-8)
    np.testing.assert_allclose(scan.w, loop.w, rtol=1e-9, atol=1e-11)


def test_scan_without_record_steps_gives_the_same_epochs(d2l_data):
    a = train(*d2l_data, backend="scan", seed=1)
    b = train(*d2l_data, backend="numpy", seed=1)
    assert a.steps is None
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-8)


def test_scan_flags_divergence_in_the_same_epoch_as_the_loop(d2l_data):
    kwargs = dict(lr=1.7, batch_size=2, num_epochs=5, seed=0, record_steps=True)
    loop = train(*d2l_data, backend="numpy", **kwargs)
    scan = train(*d2l_data, backend="scan", **kwargs)
    assert loop.diverged and scan.diverged
    assert len(scan.loss) == len(loop.loss)
    assert np.isfinite(scan.steps).all()
    assert scan.message.split(":")[0] == loop.message.split(":")[0]


def test_prefix_scan_equals_sequential_composition():
    rng = np.random.default_rng(0)
    A, v = rng.normal(size=(13, 3, 3)) * 0.5, rng.normal(size=(13, 3))
    P, u = prefix_scan(A, v)
    theta0 = rng.normal(size=3)
    theta = theta0
    for k in range(13):
        theta = A[k] @ theta + v[k]
        np.testing.assert_allclose(P[k] @ theta0 + u[k], theta, rtol=1e-12, atol=1e-12)


def test_affine_step_is_the_sgd_update():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(5, 2)), rng.normal(size=5)
    A, v, per_epoch = affine_steps(X, y, 0.1, 5, [np.arange(5)])
    assert per_epoch == [1]
    theta = rng.normal(size=3)
    w, b = theta[:2], theta[2]
    r = X @ w + b - y
    expected = np.append(w - 0.1 * X.T @ r / 5, b - 0.1 * r.sum() / 5)
    np.testing.assert_allclose(A[0] @ theta + v[0], expected, rtol=1e-12)


def test_orders_replay_a_given_batch_order(d2l_data):
    n = len(d2l_data[0])
    orders = [np.arange(n), np.arange(n)[::-1]]
    a = train(*d2l_data, num_epochs=2, orders=orders, w0=[0.0, 0.0], record_steps=True)
    b = train(*d2l_data, num_epochs=2, orders=orders, w0=[0.0, 0.0], backend="scan",
              record_steps=True)  # fmt: skip
    np.testing.assert_allclose(a.steps, b.steps, rtol=1e-9, atol=1e-11)
    first = d2l_data[0][:10]  # the first batch is examples 0..9, in order
    r = first @ np.zeros(2) - d2l_data[1][:10]
    np.testing.assert_allclose(a.steps[1, :2], -0.03 * first.T @ r / 10)


@pytest.mark.parametrize(
    "orders, pattern",
    [([np.arange(1000)], "got 1 orders"), ([np.zeros(1000, int)] * 3, "permutation")],
)
def test_bad_orders_are_refused(d2l_data, orders, pattern):
    with pytest.raises(ValueError, match=pattern):
        train(*d2l_data, num_epochs=3, orders=orders)
