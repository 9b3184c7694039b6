"""The training loop: D2L's numbers, agreement of the two paths, determinism, limits."""

import numpy as np
import pytest
import torch

import linreg_lib
from linreg_lib import closed_form, stability_limit, train

from .conftest import TRUE_B, TRUE_W


def test_d2l_loop_on_torch_recovers_the_parameters():
    """D2L's chapter verbatim, on the library's torch functions (float32)."""
    true_w, true_b = torch.tensor([2, -3.4]), 4.2
    features, labels = linreg_lib.synthetic_data(true_w, true_b, 1000, seed=0)
    g = torch.Generator().manual_seed(1)
    w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True, generator=g)
    b = torch.zeros(1, requires_grad=True)
    lr, num_epochs, batch_size = 0.03, 3, 10
    for _ in range(num_epochs):
        for X, y in linreg_lib.data_iter(batch_size, features, labels, seed=g):
            l = linreg_lib.squared_loss(linreg_lib.linreg(X, w, b), y)
            l.sum().backward()
            linreg_lib.sgd([w, b], lr, batch_size)
    with torch.no_grad():
        train_l = linreg_lib.squared_loss(linreg_lib.linreg(features, w, b), labels)
    assert float(train_l.mean()) < 1e-4  # D2L prints 0.000051; the floor is 0.01²/2
    assert (true_w - w.reshape(true_w.shape)).abs().max() < 3e-3  # D2L: ~5e-4
    assert abs(true_b - b.item()) < 3e-3


def test_train_reproduces_d2l_numbers(d2l_data):
    history = train(*d2l_data, lr=0.03, batch_size=10, num_epochs=3, seed=1)
    assert history.loss.shape == (4,) and history.w.shape == (4, 2)
    assert not history.diverged
    assert history.loss[-1] < 1e-4 and history.loss[-1] > 0.01**2 / 2 * 0.5
    assert np.all(np.diff(history.loss) < 0)  # every epoch improves at this lr
    assert np.abs(history.w[-1] - TRUE_W).max() < 3e-3
    assert abs(history.b[-1] - TRUE_B) < 3e-3
    np.testing.assert_allclose(
        history.param_error(TRUE_W, TRUE_B)[-1],
        np.linalg.norm(np.append(history.w[-1] - TRUE_W, history.b[-1] - TRUE_B)),
    )


def test_sgd_approaches_the_closed_form(d2l_data):
    w_star, b_star = closed_form(*d2l_data)
    history = train(*d2l_data, lr=0.03, batch_size=10, num_epochs=10, seed=2)
    assert np.abs(history.w[-1] - w_star).max() < 2e-3
    assert abs(history.b[-1] - b_star) < 2e-3


def test_numpy_and_torch_backends_agree(d2l_data):
    kwargs = dict(lr=0.05, batch_size=7, num_epochs=2, seed=3, record_steps=True)
    a = train(*d2l_data, backend="numpy", **kwargs)
    b = train(*d2l_data, backend="torch", **kwargs)
    np.testing.assert_allclose(
        a.params_per_step, b.params_per_step, rtol=1e-10, atol=1e-12
    )
    np.testing.assert_allclose(a.loss, b.loss, rtol=1e-10)


def test_same_seed_same_history_other_seed_other_history(d2l_data):
    a = train(*d2l_data, seed=5, record_steps=True)
    b = train(*d2l_data, seed=5, record_steps=True)
    c = train(*d2l_data, seed=6, record_steps=True)
    np.testing.assert_array_equal(a.params_per_step, b.params_per_step)
    np.testing.assert_array_equal(a.loss, b.loss)
    assert not np.array_equal(a.params_per_step, c.params_per_step)


def test_seed_none_is_not_reproducible(d2l_data):
    a, b = train(*d2l_data, num_epochs=1), train(*d2l_data, num_epochs=1)
    assert not np.array_equal(a.w, b.w)


def test_record_steps_counts_every_update_including_the_partial_batch(d2l_data):
    history = train(*d2l_data, batch_size=300, num_epochs=2, seed=0, record_steps=True)
    assert history.params_per_step.shape == (
        1 + 2 * 4,
        3,
    )  # 1000 = 3·300 + 100: 4 steps/epoch
    np.testing.assert_array_equal(
        history.params_per_step[-1], np.append(history.w[-1], history.b[-1])
    )


def test_zero_epochs_returns_the_start(d2l_data):
    history = train(*d2l_data, num_epochs=0, w0=[1.0, 1.0], b0=0.5)
    np.testing.assert_array_equal(history.w, [[1.0, 1.0]])
    assert history.b.tolist() == [0.5]


@pytest.mark.parametrize("factor, diverges", [(0.98, False), (1.02, True)])
def test_full_batch_gd_diverges_exactly_past_the_stability_limit(
    d2l_data, factor, diverges
):
    X, y = d2l_data
    limit = stability_limit(X)
    history = train(X, y, lr=factor * limit, batch_size=len(X), num_epochs=1500, seed=0)
    assert history.diverged is diverges
    if diverges:
        assert len(history.loss) < 1501  # stopped early
        assert f"{limit:.3g}" in history.message and "above" in history.message
    else:
        w_star, b_star = closed_form(X, y)
        assert np.abs(history.w[-1] - w_star).max() < 1e-6
        assert abs(history.b[-1] - b_star) < 1e-6


def test_huge_lr_stops_with_a_message_not_nans(d2l_data):
    history = train(*d2l_data, lr=50.0, seed=0, record_steps=True)
    assert history.diverged and len(history.loss) == 1  # stopped in epoch 1
    assert (
        np.isfinite(history.loss).all() and np.isfinite(history.params_per_step).all()
    )
    assert "stability limit" in history.message
    assert "diverged" in repr(history)


def test_stability_limit_is_two_over_the_largest_hessian_eigenvalue(d2l_data):
    X, _ = d2l_data
    X1 = np.column_stack([X, np.ones(len(X))])
    lam_max = np.linalg.eigvalsh(X1.T @ X1 / len(X))[-1]
    assert stability_limit(X) == pytest.approx(2 / lam_max, rel=1e-12)
    # and from the dynamics: the top eigen-direction's error is multiplied by
    # (1 - lr·λmax) per full-batch step, i.e. by exactly -1 at the limit
    H = linreg_lib.hessian(X)
    vals, vecs = np.linalg.eigh(H)
    lr = stability_limit(X)
    assert vecs[:, -1] @ (np.eye(3) - lr * H) @ vecs[:, -1] == pytest.approx(-1.0)


def test_losses_along_matches_the_loss_at_each_step(d2l_data):
    X, y = d2l_data
    history = train(X, y, seed=0, record_steps=True)
    along = linreg_lib.training.losses_along(X, y, history.params_per_step)
    assert along.shape == (len(history.params_per_step),)
    for k in (0, 150, len(history.params_per_step) - 1):
        w, b = history.params_per_step[k, :2], history.params_per_step[k, 2]
        expected = float(linreg_lib.squared_loss(linreg_lib.linreg(X, w, b), y).mean())
        assert along[k] == pytest.approx(expected, rel=1e-12)
    assert along[-1] == pytest.approx(history.loss[-1], rel=1e-12)
    with pytest.raises(ValueError, match=r"expected \(S, 3\)"):
        linreg_lib.training.losses_along(X, y, history.params_per_step[:, :2])


def test_train_shows_the_books_loop():
    """What show_source(train) prints: a screenful that reads like the chapter."""
    import inspect

    source = inspect.getsource(train)
    assert len(source.splitlines()) <= 32
    for line in (
        "for epoch in range(num_epochs):",
        "for X_batch, y_batch in data_iter(batch_size, X, y, seed=rng):",
        "sgd([w, b], [grad_w, grad_b], lr, len(y_batch))",
    ):
        assert line in source
    assert "fmt: skip" not in source and "noqa" not in source


def test_defaults_are_d2ls_and_train_uses_them(d2l_data):
    from linreg_lib import defaults

    assert (defaults.LR, defaults.BATCH_SIZE, defaults.NUM_EPOCHS) == (0.03, 10, 3)
    h = train(*d2l_data, seed=1)
    assert (h.lr, h.batch_size, h.num_epochs) == (0.03, 10, 3)
