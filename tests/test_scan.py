"""train_scan computes the same run as the plain loop, and knows when not to."""

import numpy as np
import pytest

from linreg_lib import train, train_scan
from linreg_lib.scan import affine_steps, prefix_scan, scan_is_faster


@pytest.mark.parametrize("batch_size", [1, 7, 10, 1000])
def test_scan_matches_the_loop_step_for_step(d2l_data, batch_size):
    kwargs = dict(
        lr=0.05, batch_size=batch_size, num_epochs=3, seed=4, record_steps=True
    )
    loop = train(*d2l_data, **kwargs)
    scan = train_scan(*d2l_data, **kwargs)
    assert scan.params_per_step.shape == loop.params_per_step.shape
    np.testing.assert_allclose(
        scan.params_per_step, loop.params_per_step, rtol=1e-9, atol=1e-11
    )
    np.testing.assert_allclose(scan.loss, loop.loss, rtol=1e-8)
    np.testing.assert_allclose(scan.w, loop.w, rtol=1e-9, atol=1e-11)


def test_scan_without_record_steps_gives_the_same_epochs(d2l_data):
    a = train_scan(*d2l_data, seed=1)
    b = train(*d2l_data, seed=1)
    assert a.params_per_step is None
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-8)


def test_a_shorter_run_is_a_prefix_of_a_longer_one(d2l_data):
    """What lets an epochs slider show a prefix of one run, bit for bit."""
    long = train_scan(*d2l_data, num_epochs=5, seed=2, record_steps=True)
    short = train_scan(*d2l_data, num_epochs=2, seed=2, record_steps=True)
    n = len(short.params_per_step)
    np.testing.assert_array_equal(short.params_per_step, long.params_per_step[:n])
    np.testing.assert_array_equal(short.loss, long.loss[:3])


def test_scan_flags_divergence_in_the_same_epoch_as_the_loop(d2l_data):
    kwargs = dict(lr=1.7, batch_size=2, num_epochs=5, seed=0, record_steps=True)
    loop = train(*d2l_data, **kwargs)
    scan = train_scan(*d2l_data, **kwargs)
    assert loop.diverged and scan.diverged
    assert len(scan.loss) == len(loop.loss)
    assert np.isfinite(scan.params_per_step).all()
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


def test_the_cost_guard_picks_the_loop_where_the_scan_would_be_slow():
    assert scan_is_faster(2, 300)  # D2L's run: the scan
    assert scan_is_faster(2, 30_000)
    assert not scan_is_faster(100, 20_000)  # did not finish in 600 s as a scan
    assert not scan_is_faster(40, 1_000)  # (d+1)³ log S too large
    assert not scan_is_faster(5, 10_000_000)  # S (d+1)² floats too many


def test_where_the_loop_is_faster_train_scan_runs_the_loop():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(400, 60))
    y = X @ rng.normal(size=60) + 1.0
    kwargs = dict(lr=0.002, batch_size=1, num_epochs=1, seed=3, record_steps=True)
    assert not scan_is_faster(60, 400)
    scan, loop = train_scan(X, y, **kwargs), train(X, y, **kwargs)
    np.testing.assert_array_equal(scan.params_per_step, loop.params_per_step)
    # a Generator seed is consumed once, not twice, on the way to the loop
    g1, g2 = np.random.default_rng(9), np.random.default_rng(9)
    a = train_scan(X, y, lr=0.002, batch_size=1, num_epochs=1, seed=g1)
    b = train(X, y, lr=0.002, batch_size=1, num_epochs=1, seed=g2)
    np.testing.assert_array_equal(a.w, b.w)
