"""SGD, Momentum, Adam and the schedules against torch.optim, step for step.

The oracle runs torch.optim on float64 tensors with the same initial
parameters, the same batches in the same order (the same NumPy permutations),
the mean minibatch loss, weight decay on w only (for l2) and the schedulers
stepped once per epoch; every step's parameters must agree to 1e-12.
"""

import math

import numpy as np
import pytest
import torch

from linreg_lib import closed_form, numpy_scratch, stability_limit, train
from linreg_lib.optim_training import train_with
from linreg_lib.optimizers import SGD, Adam, Momentum
from linreg_lib.schedules import CosineAnnealingLR, StepLR, lr_sequence

TOL = 1e-12  # measured: about 2e-15 on this problem

X, Y = numpy_scratch.synthetic_data([2.0, -3.4], 4.2, 103, seed=0)  # 103: ragged
W0, B0 = [0.5, -0.2], 0.1
ours_and_torch = {
    "SGD": (SGD(0.05), lambda p: torch.optim.SGD(p, lr=0.05)),
    "Momentum": (Momentum(0.05, 0.9),
                 lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    "Adam": (Adam(0.05, betas=(0.8, 0.99), eps=1e-6),
             lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6)),
}  # fmt: skip
schedules = {
    "constant": (None, None),
    "step": (StepLR(2, 0.5), lambda o: torch.optim.lr_scheduler.StepLR(o, 2, 0.5)),
    "cosine": (CosineAnnealingLR(4, 1e-3),
               lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 4, 1e-3)),
}  # fmt: skip


def torch_steps(make_opt, make_schedule, *, batch_size, num_epochs, seed, l2):
    """[w, b] after every step of torch.optim on the batches train_with draws."""
    rng = np.random.default_rng(seed)  # train_with: w0 given, so only permutations
    w = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor([B0], dtype=torch.float64, requires_grad=True)
    opt = make_opt([{"params": [w], "weight_decay": l2}, {"params": [b]}])
    scheduler = make_schedule(opt) if make_schedule else None
    Xt, yt = torch.from_numpy(X), torch.from_numpy(Y)
    steps = [np.append(W0, B0)]
    for _ in range(num_epochs):
        order = torch.from_numpy(rng.permutation(len(X)))
        for batch in order.split(batch_size):
            opt.zero_grad()
            loss = ((Xt[batch] @ w + b - yt[batch]) ** 2 / 2).mean()
            loss.backward()
            opt.step()
            steps.append(np.append(w.detach().numpy(), b.detach().numpy()))
        if scheduler:
            scheduler.step()
    return np.array(steps)


@pytest.mark.parametrize("schedule", schedules)
@pytest.mark.parametrize("l2", [0.0, 0.3])
@pytest.mark.parametrize("name", ours_and_torch)
def test_matches_torch_optim_step_for_step(name, l2, schedule):
    ours, make_torch = ours_and_torch[name]
    ours_schedule, make_torch_schedule = schedules[schedule]
    kwargs = dict(batch_size=10, num_epochs=4, seed=3, l2=l2)
    h = train_with(ours, X, Y, w0=W0, b0=B0, schedule=ours_schedule,
                   record_steps=True, **kwargs)  # fmt: skip
    reference = torch_steps(make_torch, make_torch_schedule, **kwargs)
    assert h.params_per_step.shape == reference.shape == (1 + 4 * 11, 3)
    assert np.abs(h.params_per_step - reference).max() < TOL
    assert (
        np.abs(h.params_per_step[-1] - h.params_per_step[0]).max() > 0.1
    )  # it did train


def test_step_on_arrays_of_any_shape_matches_torch():
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(6, 3, 2))
    for ours, make_torch in ours_and_torch.values():
        opt, p = type(ours)(**ours._params()), np.ones((3, 2))
        pt = torch.ones(3, 2, dtype=torch.float64, requires_grad=True)
        ref = make_torch([pt])
        for g in grads:
            opt.step([p], [g])
            pt.grad = torch.from_numpy(g.copy())
            ref.step()
        assert np.abs(p - pt.detach().numpy()).max() < TOL


def test_sgd_optimizer_reproduces_train():
    a = train(X, Y, lr=0.03, seed=1, num_epochs=3, record_steps=True)
    b = train_with(SGD(0.03), X, Y, seed=1, num_epochs=3, record_steps=True)
    np.testing.assert_allclose(b.params_per_step, a.params_per_step, rtol=0, atol=1e-14)
    np.testing.assert_allclose(b.loss, a.loss, rtol=1e-12)
    assert b.stability_limit == pytest.approx(a.stability_limit)


def test_momentum_zero_is_plain_sgd_exactly():
    kwargs = dict(seed=2, num_epochs=2, record_steps=True)
    a = train_with(SGD(0.1), X, Y, **kwargs)
    b = train_with(Momentum(0.1, momentum=0.0), X, Y, **kwargs)
    np.testing.assert_array_equal(a.params_per_step, b.params_per_step)


def test_momentum_is_a_running_sum_of_gradients():
    opt, p = Momentum(lr=1.0, momentum=0.5), np.zeros(1)
    for _ in range(3):
        opt.step([p], [np.ones(1)])
    # velocities 1, 1.5, 1.75: the steps add up to 4.25
    assert p[0] == pytest.approx(-4.25)


def test_first_adam_step_has_length_lr_in_every_coordinate():
    opt, p = Adam(lr=0.1), np.zeros(3)
    opt.step([p], [np.array([1e-3, -5.0, 200.0])])  # bias correction: m/√v = sign(g)
    np.testing.assert_allclose(p, [-0.1, 0.1, -0.1], rtol=1e-4)


@pytest.mark.parametrize("optimizer", [SGD(0.5), Momentum(0.5, 0.5)])
@pytest.mark.parametrize("factor, diverges", [(0.97, False), (1.03, True)])
def test_full_batch_limit_is_where_training_diverges(optimizer, factor, diverges):
    limit = optimizer.lr_limit(2 / stability_limit(X))  # 2/λmax, ×(1 + μ) for momentum
    opt = type(optimizer)(**{**optimizer._params(), "lr": factor * limit})
    h = train_with(opt, X, Y, batch_size=len(X), num_epochs=3000, seed=0)
    assert h.stability_limit == pytest.approx(limit)
    assert h.diverged is diverges
    if diverges:
        assert "diverged" in h.message and f"{limit:.3g}" in h.message
        assert np.isfinite(h.loss).all() and len(h.loss) < 3001
    else:
        np.testing.assert_allclose(h.w[-1], closed_form(X, Y)[0], atol=1e-8)


def test_divergence_stops_with_finite_history():
    h = train_with(Momentum(5.0), X, Y, seed=0, record_steps=True)
    assert (
        h.diverged
        and np.isfinite(h.params_per_step).all()
        and np.isfinite(h.loss).all()
    )
    assert "Momentum(lr=5.0, momentum=0.9)" in h.message
    assert math.isinf(train_with(Adam(0.1), X, Y, num_epochs=0).stability_limit)


def test_the_optimizer_passed_in_is_left_untouched():
    opt = Adam(0.1)
    a = train_with(opt, X, Y, seed=4, schedule=StepLR(1, 0.5), record_steps=True)
    assert opt.state is None and opt.t == 0 and opt.lr == 0.1
    b = train_with(opt, X, Y, seed=4, schedule=StepLR(1, 0.5), record_steps=True)
    np.testing.assert_array_equal(a.params_per_step, b.params_per_step)
    assert a.lr == 0.1


def test_seed_draws_w0_and_labels_may_be_a_column():
    a = train_with(Momentum(0.05), X, Y, seed=7, record_steps=True)
    b = train_with(Momentum(0.05), X, Y.reshape(-1, 1), seed=7, record_steps=True)
    c = train_with(Momentum(0.05), X, Y, seed=8, record_steps=True)
    np.testing.assert_array_equal(a.params_per_step, b.params_per_step)
    assert not np.array_equal(
        a.params_per_step[0], c.params_per_step[0]
    )  # a different w0
    assert a.params_per_step.shape == (1 + 3 * 11, 3) and len(a.loss) == 4


def test_schedules_match_torch_lr_sequences():
    cases = [
        (StepLR(3, 0.1), lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.1)),
        (StepLR(1, 0.9), lambda o: torch.optim.lr_scheduler.StepLR(o, 1, 0.9)),
        (CosineAnnealingLR(10),
         lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 10)),
        (CosineAnnealingLR(7, eta_min=0.01),
         lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 7, 0.01)),
    ]  # fmt: skip
    for ours, make_torch in cases:
        opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.3)
        scheduler, reference = make_torch(opt), []
        for _ in range(25):  # past T_max too: torch's cosine rises again, so does ours
            reference.append(scheduler.get_last_lr()[0])
            opt.step()
            scheduler.step()
        np.testing.assert_allclose(
            lr_sequence(ours, 0.3, 25), reference, rtol=1e-12, atol=1e-15
        )


def test_schedule_shapes():
    np.testing.assert_array_equal(lr_sequence(None, 0.2, 3), [0.2, 0.2, 0.2])
    assert lr_sequence(StepLR(2, 0.5), 1.0, 5).tolist() == [1, 1, 0.5, 0.5, 0.25]
    cosine = lr_sequence(CosineAnnealingLR(4, eta_min=0.1), 1.0, 5)
    half_cosine = np.array([1, 0.85355, 0.5, 0.14645, 0])  # (1 + cos(πe/4)) / 2
    np.testing.assert_allclose(cosine, 0.1 + 0.9 * half_cosine, atol=1e-5)
    assert lr_sequence(StepLR(1), 1.0, 0).shape == (0,)


def test_reprs_name_the_hyperparameters():
    assert repr(Momentum(0.1, 0.5)) == "Momentum(lr=0.1, momentum=0.5)"
    assert repr(Adam()) == "Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08)"
    assert repr(StepLR(5, 0.3)) == "StepLR(step_size=5, gamma=0.3)"
    assert repr(CosineAnnealingLR(20)) == "CosineAnnealingLR(T_max=20, eta_min=0)"
