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
    assert h.steps.shape == reference.shape == (1 + 4 * 11, 3)
    assert np.abs(h.steps - reference).max() < TOL
    assert np.abs(h.steps[-1] - h.steps[0]).max() > 0.1  # it did train


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
    np.testing.assert_allclose(b.steps, a.steps, rtol=0, atol=1e-14)
    np.testing.assert_allclose(b.loss, a.loss, rtol=1e-12)
    assert b.stability_limit == pytest.approx(a.stability_limit)


def test_momentum_zero_is_plain_sgd_exactly():
    kwargs = dict(seed=2, num_epochs=2, record_steps=True)
    a = train_with(SGD(0.1), X, Y, **kwargs)
    b = train_with(Momentum(0.1, momentum=0.0), X, Y, **kwargs)
    np.testing.assert_array_equal(a.steps, b.steps)


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
    assert h.diverged and np.isfinite(h.steps).all() and np.isfinite(h.loss).all()
    assert "Momentum(lr=5.0, momentum=0.9)" in h.message
    assert math.isinf(train_with(Adam(0.1), X, Y, num_epochs=0).stability_limit)


def test_the_optimizer_passed_in_is_left_untouched():
    opt = Adam(0.1)
    a = train_with(opt, X, Y, seed=4, schedule=StepLR(1, 0.5), record_steps=True)
    assert opt.state is None and opt.t == 0 and opt.lr == 0.1
    b = train_with(opt, X, Y, seed=4, schedule=StepLR(1, 0.5), record_steps=True)
    np.testing.assert_array_equal(a.steps, b.steps)
    assert a.lr == 0.1


def test_seed_draws_w0_and_labels_may_be_a_column():
    a = train_with(Momentum(0.05), X, Y, seed=7, record_steps=True)
    b = train_with(Momentum(0.05), X, Y.reshape(-1, 1), seed=7, record_steps=True)
    c = train_with(Momentum(0.05), X, Y, seed=8, record_steps=True)
    np.testing.assert_array_equal(a.steps, b.steps)
    assert not np.array_equal(a.steps[0], c.steps[0])  # a different w0
    assert a.steps.shape == (1 + 3 * 11, 3) and len(a.loss) == 4


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


BAD = {
    "lr 0": (lambda: SGD(0), ValueError, r"lr must be .*> 0, got 0"),
    "lr < 0": (lambda: Momentum(-0.1), ValueError, r"lr .*got -0.1"),
    "lr nan": (lambda: Adam(float("nan")), ValueError, r"lr .*got nan"),
    "lr a string": (lambda: SGD("0.1"), TypeError, r"'0.1'"),
    "momentum 1": (lambda: Momentum(0.1, 1.0), ValueError, r"momentum .*\[0, 1\), got 1.0"),
    "momentum < 0": (lambda: Momentum(0.1, -0.1), ValueError, r"momentum .*got -0.1"),
    "momentum nan": (lambda: Momentum(0.1, float("nan")), ValueError, r"momentum"),
    "momentum None": (lambda: Momentum(0.1, None), TypeError, r"momentum"),
    "beta1 1": (lambda: Adam(betas=(1.0, 0.999)), ValueError, r"betas\[0\] .*got 1.0"),
    "beta2 < 0": (lambda: Adam(betas=(0.9, -0.5)), ValueError, r"betas\[1\] .*got -0.5"),
    "betas of 3": (lambda: Adam(betas=(0.9, 0.99, 0.9)), ValueError, r"betas must be a pair"),
    "betas a number": (lambda: Adam(betas=0.9), ValueError, r"betas must be a pair"),
    "grad of another shape": (
        lambda: SGD(0.1).step([np.zeros(3)], [np.zeros(1)]), ValueError,
        r"gradient of shape \(1,\) for a parameter of shape \(3,\)"),
    "fewer grads than params": (
        lambda: Momentum(0.1).step([np.zeros(3), np.zeros(1)], [np.zeros(3)]),
        ValueError, r"1 gradient\(s\) for 2 parameter\(s\)"),
    "eps 0": (lambda: Adam(eps=0.0), ValueError, r"eps must be .*got 0.0"),
    "eps < 0": (lambda: Adam(eps=-1e-8), ValueError, r"eps .*got -1e-08"),
    "step_size 0": (lambda: StepLR(0), ValueError, r"step_size must be an integer >= 1"),
    "step_size float": (lambda: StepLR(2.5), TypeError, r"step_size .*2.5"),
    "gamma 0": (lambda: StepLR(2, 0.0), ValueError, r"gamma .*\(0, 1\], got 0.0"),
    "gamma > 1": (lambda: StepLR(2, 1.5), ValueError, r"gamma .*got 1.5"),
    "T_max 0": (lambda: CosineAnnealingLR(0), ValueError, r"T_max .*got 0"),
    "eta_min < 0": (lambda: CosineAnnealingLR(5, -0.1), ValueError, r"eta_min .*got -0.1"),
    "schedule epoch < 0": (lambda: StepLR(2)(0.1, -1), ValueError, r"epoch .*got -1"),
    "schedule base_lr 0": (lambda: CosineAnnealingLR(5)(0.0, 1), ValueError, r"base_lr"),
    "lr_sequence epochs < 0": (lambda: lr_sequence(None, 0.1, -1), ValueError, r"num_epochs"),
    "not our optimizer": (
        lambda: train_with(torch.optim.SGD, X, Y), TypeError, r"optimizer must be"),
    "optimizer a string": (lambda: train_with("adam", X, Y), TypeError, r"'adam'"),
    "schedule not callable": (
        lambda: train_with(SGD(0.1), X, Y, schedule=0.5), TypeError, r"schedule must"),
    "l2 < 0": (lambda: train_with(SGD(0.1), X, Y, l2=-1), ValueError, r"l2 .*got -1"),
    "l2 nan": (lambda: train_with(SGD(0.1), X, Y, l2=float("nan")), ValueError, r"l2"),
    "batch_size 0": (
        lambda: train_with(SGD(0.1), X, Y, batch_size=0), ValueError, r"batch_size"),
    "batch_size > n": (
        lambda: train_with(SGD(0.1), X, Y, batch_size=104), ValueError, r"104.*103"),
    "batch_size float": (
        lambda: train_with(SGD(0.1), X, Y, batch_size=2.0), TypeError, r"batch_size"),
    "num_epochs < 0": (
        lambda: train_with(SGD(0.1), X, Y, num_epochs=-1), ValueError, r"num_epochs"),
    "X 1-D": (lambda: train_with(SGD(0.1), X[:, 0], Y), ValueError, r"2-D"),
    "labels of another length": (
        lambda: train_with(SGD(0.1), X, Y[:50]), ValueError, r"\(50,\) but X has 103"),
    "labels (n, 2)": (
        lambda: train_with(SGD(0.1), X, np.zeros((103, 2))), ValueError, r"\(103, 2\)"),
    "NaN in features": (
        lambda: train_with(SGD(0.1), np.where(X > 2, np.nan, X), Y), ValueError,
        r"features contains .* non-finite"),
    "inf in labels": (
        lambda: train_with(SGD(0.1), X, np.where(Y > 5, np.inf, Y)), ValueError,
        r"labels contains"),
    "w0 of the wrong shape": (
        lambda: train_with(SGD(0.1), X, Y, w0=[1.0, 2.0, 3.0]), ValueError, r"w0 has shape"),
    "b0 nan": (lambda: train_with(SGD(0.1), X, Y, b0=float("nan")), ValueError, r"b0"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD)
def test_bad_input_raises_naming_it(case):
    call, error, pattern = BAD[case]
    with pytest.raises(error, match=pattern):
        call()
