"""One divergence rule, pinned down, and shared by every loop in the library."""

import math

import numpy as np
import pytest

import linreg_lib
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


RISING = [16.0, 5.0] + [5.0 + k for k in range(1, 31)]  # rises every record from 5


@pytest.mark.parametrize(
    "losses, zero, expected",
    [
        ([16.0, 1.0, 0.1, 0.01], 0.0, None),  # converging
        ([16.0, 1601.0], 0.0, 1),  # past 100 times the start: 1600
        ([16.0, 1.0, 1700.0], 0.0, 2),
        ([16.0, 1.0, math.inf], 0.0, 2),
        ([16.0, math.nan], 0.0, 1),
        # rising from 5 to 36 one unit a record: above the start (16) from 17 on,
        # and twenty rises in a row at 25 (record 21): sustained growth
        (RISING, 0.0, 21),
        (RISING[:21], 0.0, None),  # nineteen rises: not yet
        ([16.0, 17.0, 16.5, 17.0, 16.8] * 10, 0.0, None),  # wobbling above the start
        ([0.01, 0.02, 0.03, 0.04, 0.05], 16.0, None),  # near the optimum: noise
        # momentum near its limit: up 40-fold for a dozen steps, then down
        ([11.0, *[11.0 * 1.36**k for k in range(1, 13)], 30.0, 1.0, 1e-3], 0.0, None),
    ],
)
def test_the_rule(losses, zero, expected):
    assert divergence.DIVERGENCE_FACTOR == 100.0 and divergence.RISES_IN_A_ROW == 20
    assert first_report(losses, zero) == expected


def test_growth_past_the_limit_is_caught_long_before_overflow(d2l_data):
    """Full batch at twice the limit: 16.7, 132, 1050, 8290 (the old rule, 10⁴
    times the scale, waited until 6.6e5 and let a 1400-fold rise pass)."""
    X, y = d2l_data
    h = train(X, y, lr=2 * stability_limit(X), batch_size=len(X), num_epochs=5, seed=0)
    assert h.diverged and len(h.loss) == 3  # the start, epochs 1 and 2
    assert h.message.startswith(
        "training diverged in epoch 3: the loss went from 16.7 to 8.3e+03"
    )
    # just past the limit the loss grows a few percent per epoch: twenty rises
    # in a row above the start, long before a hundredfold
    slow = train(
        X, y, lr=1.02 * stability_limit(X), batch_size=len(X), num_epochs=1500, seed=0
    )
    assert slow.diverged and slow.loss[-1] < 5 * slow.loss[0]
    assert "above the stability limit" in slow.message


def test_momentum_near_its_limit_converges_and_is_not_flagged():
    """Heavy-ball's loss rises before it falls; the rule lets it (ch. Going further)."""
    from linreg_lib.optimizers import Momentum

    rng = np.random.default_rng(1)
    z = rng.normal(size=(1000, 2))
    X = np.column_stack([z[:, 0], 0.98 * z[:, 0] + np.sqrt(1 - 0.98**2) * z[:, 1]])
    y = X @ np.array([2.0, -3.4]) + 4.2 + rng.normal(0, 0.01, 1000)
    lam_max = np.linalg.eigvalsh(linreg_lib.hessian(X))[-1]
    for mu in (0.8, 0.9, 0.95):
        limit = Momentum(1.0, mu).lr_limit(lam_max)
        h = train_with(Momentum(0.98 * limit, mu), X, y, batch_size=1000, num_epochs=400,
                       w0=[-1.5, 2.0], seed=0)  # fmt: skip
        assert not h.diverged, (mu, h.message)
        assert h.loss.max() > 3 * h.loss[0]  # it did climb first
        assert h.loss[-1] < 1e-4
        late = train_with(Momentum(1.03 * limit, mu), X, y, batch_size=1000,
                          num_epochs=2000, w0=[-1.5, 2.0], seed=0)  # fmt: skip
        assert late.diverged, mu


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
