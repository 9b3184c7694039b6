"""One divergence rule, pinned down, and shared by every loop in the library."""

import math

import numpy as np
import pytest

from linreg_lib import divergence, stability_limit, train, train_scan, train_with
from linreg_lib.estimators import LinearRegression, mini_batch_gradient_descent
from linreg_lib.optimizers import SGD
from linreg_lib.streaming import sgd_epoch


def first_report(losses, zero=0.0):
    """The index of the first loss (after the start) at which the rule fires."""
    watch = divergence.Divergence(losses[0], zero)
    for k, loss in enumerate(losses[1:], start=1):
        if watch.check(loss):
            return k
    return None


@pytest.mark.parametrize(
    "losses, zero, expected",
    [
        ([16.0, 1.0, 0.1, 0.01], 0.0, None),  # converging
        ([16.0, 161.0], 0.0, 1),  # past 10× the start: 160
        ([16.0, 1.0, 170.0], 0.0, 2),
        ([16.0, 100.0, 150.0, 159.0], 0.0, 3),  # three rises, above the start
        ([16.0, 5.0, 10.0, 15.0, 20.0], 0.0, 4),  # three rises, then above the start
        ([16.0, 5.0, 10.0, 15.0, 15.5], 0.0, None),  # three rises, still below it
        ([0.01, 0.02, 0.03, 0.04, 0.05], 16.0, None),  # near the optimum: noise
        ([16.0, 1.0, math.inf], 0.0, 2),
        ([16.0, math.nan], 0.0, 1),
        ([16.0, 17.0, 16.5, 17.0, 16.8], 0.0, None),  # wobbling above the start
    ],
)
def test_the_rule(losses, zero, expected):
    assert divergence.DIVERGENCE_FACTOR == 10.0 and divergence.RISES_IN_A_ROW == 3
    assert first_report(losses, zero) == expected


def test_growth_past_the_limit_is_caught_early(d2l_data):
    """Full batch at twice the limit: 16.7 -> 132 -> 1050 ..., reported in epoch 2.

    The old rule (10⁴ times the scale) waited until epoch 5 and let a run that
    grew 1400-fold in 5 epochs pass as converged.
    """
    X, y = d2l_data
    h = train(X, y, lr=2 * stability_limit(X), batch_size=len(X), num_epochs=5, seed=0)
    assert h.diverged and len(h.loss) == 2  # the start and epoch 1 (×7.9)
    assert h.message.startswith("training diverged in epoch 2: the loss went from 16.7")
    # just past the limit the loss grows a few percent per epoch: caught by the
    # three rises in a row once it passes the start, long before it overflows
    slow = train(
        X, y, lr=1.02 * stability_limit(X), batch_size=len(X), num_epochs=1500, seed=0
    )
    assert (
        slow.diverged
        and slow.loss[-1] < 17
        and "above the stability limit" in slow.message
    )


def test_noisy_but_stable_runs_are_never_flagged(d2l_data):
    X, y = d2l_data
    limit = stability_limit(X)
    for batch_size, lr in [(100, 0.9 * limit), (10, 1.2), (1, 0.3)]:
        h = train_scan(X, y, lr=lr, batch_size=batch_size, num_epochs=30, seed=0)
        assert not h.diverged, (batch_size, lr, h.message)


@pytest.fixture
def never(monkeypatch):
    """Switch the rule off: only NaN and inf still count."""
    monkeypatch.setattr(divergence, "DIVERGENCE_FACTOR", math.inf)
    monkeypatch.setattr(divergence, "RISES_IN_A_ROW", 10**9)


def test_every_loop_uses_this_rule(d2l_data, never, monkeypatch):
    """With the rule switched off each loop runs on until overflow: it has no other."""
    X, y = d2l_data
    lr = 1.05 * stability_limit(X)
    full = dict(batch_size=len(X), num_epochs=200, seed=0)
    assert not train(X, y, lr=lr, **full).diverged
    assert not train_scan(X, y, lr=lr, **full).diverged
    assert not train_with(SGD(lr), X, y, **full).diverged
    LinearRegression(learning_rate=lr / 2, num_iterations=200).fit(X, y)  # MSE: lr/2
    mini_batch_gradient_descent(
        X, y, learning_rate=lr / 2, batch_size=len(X), epochs=200
    )
    w = np.zeros(2)
    sgd_epoch(X, y, w, 0.0, lr=0.7, batch_size=1, seed=0)  # grows 10¹²-fold, finite
    assert np.abs(w).max() > 1e6
    monkeypatch.undo()
    assert train(X, y, lr=lr, **full).diverged
    with pytest.raises(ValueError, match="diverged"):
        LinearRegression(learning_rate=lr / 2, num_iterations=200).fit(X, y)
    with pytest.raises(ValueError, match="diverged"):
        sgd_epoch(X, y, np.zeros(2), 0.0, lr=0.7, batch_size=1, seed=0)
    w = np.zeros(2)  # while a noisy but stable epoch passes
    sgd_epoch(X, y, w, 0.0, lr=0.6, batch_size=1, seed=0)
    assert np.abs(w - [2.0, -3.4]).max() < 0.05
