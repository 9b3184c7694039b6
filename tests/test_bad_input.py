"""Every argument of every public function refuses bad input, with a clear message.

One runner for the whole library. ``API`` lists each public callable with a
valid call and the kind of each of its arguments; every argument is then
replaced, one at a time, by every bad value of its kind, and the call must
raise ``TypeError`` or ``ValueError`` whose message names the argument. A meta
test checks that ``API`` covers every public name of every module, so a new
function cannot slip in untested. Hypothesis adds random corruptions of the
data for the core functions, and the last tests are the silent wrong answers
that the first edition gave.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil

import matplotlib

matplotlib.use("Agg")  # noqa: E402  (figures only, never shown)

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

import linreg_lib
from linreg_lib import (
    controls,
    curvature,
    divergence,
    estimators,
    explorer,
    figures,
    history,
    iterators,
    model,
    notebook,
    numpy_scratch,
    optim_training,
    optimizers,
    panels,
    plotting,
    scan,
    schedules,
    streaming,
    torch_scratch,
    training,
)

# modules whose name the package gives to a function of theirs
closed_form = importlib.import_module("linreg_lib.closed_form")
ridge = importlib.import_module("linreg_lib.ridge")

RNG = np.random.default_rng(0)
X = RNG.normal(size=(20, 2))
Y = X @ np.array([2.0, -3.4]) + 4.2
W, B = np.array([2.0, -3.4]), 4.2
XT, YT = torch.from_numpy(X), torch.from_numpy(Y)
HIST = linreg_lib.train(X, Y, seed=0, record_steps=True)
PANEL = None  # made below, once line_panel() is defined


def with_nan(a):
    a = np.array(a, dtype=float)
    a.flat[a.size // 2] = np.nan
    return a


# Bad values by kind of argument. Each must be refused whatever the other
# arguments are; arrays keep the valid shapes so that only one thing is wrong.
BAD = {
    "features": [X[:, 0], X[None], with_nan(X), X + 0j, X.astype(str), X[:0]],
    "labels": [Y[:15], np.zeros((20, 2)), with_nan(Y), Y + 0j, Y.astype(object)],
    # the model and the loss compute with NaN (a diverging run makes it): the
    # data are checked for it where they enter (data_iter, train, closed_form...)
    "features_shape": [X[:, 0], X[None], X + 0j, X.astype(str)],
    "labels_shape": [Y[:15], np.zeros((20, 2)), Y + 0j, Y.astype(object)],
    # memory maps are not scanned for NaN by minibatches (that would read them)
    "features_unscanned": [X[:, 0], X[None], X + 0j, X.astype(str), X[:0]],
    "labels_unscanned": [Y[:15], np.zeros((20, 2)), Y + 0j, Y.astype(object)],
    # scikit-learn converts strings of numbers, by its own convention
    "features_sklearn": [X[:, 0], X[None], with_nan(X), X + 0j, X[:0]],
    "labels_sklearn": [Y[:15], np.zeros((20, 2)), with_nan(Y), Y + 0j],
    "w": [np.zeros(3), np.zeros((2, 2)), W + 0j, W.astype(str)],
    "w_finite": [np.zeros(3), W + 0j, with_nan(W)],
    "w_vector": [np.zeros((2, 2)), W + 0j, W.astype(str), with_nan(W)],
    "b": [np.zeros(2), 4.2j, "4.2"],
    "b_finite": [np.zeros(2), 4.2j, "4.2", math.nan, math.inf],
    "positive": [0, -0.5, math.nan, math.inf, "0.1", True, None, 1j],
    "positive_or_none": [0, -0.5, math.nan, math.inf, "0.1", True, 1j],
    "real": ["1.0", None, 1j],
    "l2s": [[-0.5], [math.nan], [math.inf], ["1"]],
    "nonneg": [-0.5, math.nan, math.inf, "1", True, None],
    "unit": [-0.1, 1.0, math.nan, "0.5", None],  # [0, 1)
    "int1": [0, -1, 2.5, True, "3", None],
    "int1_or_none": [0, -1, 2.5, True, "3"],
    "int0": [-1, 2.5, True, "3", None],
    "int2": [1, 2.5, True, None],
    "batch": [0, 21, 2.5, True, None],  # 1 <= batch_size <= n = 20
    "seed": [-1, 2.5, True, "s", object()],
    "bool": [1, "yes", None],
    "callable": [0.5, "cosine"],
    "path": [3, None],
    "figure": [None, "fig"],
    "history": [None, {"loss": [1.0]}],
    "grid": [np.zeros(1), np.zeros((2, 2)), with_nan(np.arange(5.0))],
    "string": [3, None],
    "name": ["not an identifier", 3],
    "object": [3.5, "f"],
    "optimizer": ["adam", torch.optim.SGD],
    "params": [
        np.zeros(2),
        [np.zeros(2), 0.0],
        [np.zeros(2, int), np.zeros(1)],
        [np.zeros(3), np.zeros(1)],
    ],
    "tensor_params": [torch.zeros(2), [torch.zeros(2)], [torch.zeros(2, dtype=int)]],
    "grads": [np.zeros(2), [np.zeros(3), np.zeros(1)], [np.zeros(2) + 0j, np.zeros(1)]],
    "orders": [np.arange(20), [np.zeros(20, int)], [np.arange(19)]],
    "betas": [(0.9,), 0.9, (1.0, 0.999), (0.9, -0.1)],
    "axes": [(), ("loss", "weights")],
    "ax": ["axes", 3],
    "figsize": [(1.0,), (0.0, 3.0), ("a", 3.0)],
    "choice_backend": ["jax", 3, None],
    "choice_shuffle": ["random", 3, None],
    "theta0": [np.zeros(2), with_nan(np.zeros(3))],
    "A": [np.zeros((3, 3)), np.zeros((2, 3, 4))],
    "v": [np.zeros((2, 4)), np.zeros(3)],
    "tensor_features": [XT[:, 0], XT + 0j],
    "tensor_labels": [YT[:15], YT + 0j],
    "limit": [0, -1.0, math.nan, "2"],
    "label": ["", 3, None],
    "stops": [[], None],
    "controls": [{}, {"slope": "a slider"}, None],
    "artists": [[], None],
    "panel_name": ["not a name", 3],
    "panel": [None, "panel"],
    "data": [None, {"name": "other"}],
    "values": [None, {}, {"slope": 1.0, "other": 2}],
}


def torch_param():
    """A parameter after ``backward()``: what torch's sgd expects."""
    p = torch.zeros(2, requires_grad=True)
    p.grad = torch.ones(2)
    return p


def line_panel():
    """A small panel: one line, one slider."""
    fig = Figure()
    (line,) = fig.add_subplot().plot([0, 1], [0, 1])
    slider = controls.Slider("slope", [0.0, 1.0], 1.0)
    return panels.Panel(fig, lambda slope: line.set_ydata([0, slope]) and None,
                        {"slope": slider}, artists=[line], name="line")  # fmt: skip


PANEL = line_panel()


def fitted():
    return estimators.LinearRegression(num_iterations=5).fit(X, Y)


def figure():
    global FIGURE
    FIGURE = FIGURE or figures.TrainingFigure(X, Y, W, B)
    return FIGURE


FIGURE = None


class Call:
    """A public callable, a valid call of it, and the kind of each argument."""

    def __init__(self, name, fn, kwargs, kinds, says=None):
        self.name, self.fn, self.kwargs, self.kinds = name, fn, kwargs, kinds
        self.says = says or {}  # the name a message uses for an argument, if another

    def cases(self):
        for arg, kind in self.kinds.items():
            for k, bad in enumerate(BAD[kind]):
                yield pytest.param(self, arg, bad, id=f"{self.name}-{arg}-{k}")


API = [
    Call("linreg", model.linreg, dict(X=X, w=W, b=B),
         dict(X="features_shape", w="w", b="b")),
    Call("squared_loss", model.squared_loss, dict(y_hat=Y, y=Y),
         dict(y_hat="labels_shape", y="labels_shape")),
    Call("numpy.synthetic_data", numpy_scratch.synthetic_data,
         dict(w=W, b=B, num_examples=5, noise=0.01, seed=0),
         dict(w="w_vector", b="b_finite", num_examples="int1", noise="nonneg", seed="seed")),
    Call("numpy.data_iter", lambda **k: list(numpy_scratch.data_iter(**k)),
         dict(batch_size=5, features=X, labels=Y, seed=0),
         dict(batch_size="batch", features="features", labels="labels", seed="seed")),
    Call("numpy.summed_loss_grad", numpy_scratch.summed_loss_grad,
         dict(X=X, y=Y, w=W, b=np.zeros(1)),
         dict(X="features_shape", y="labels_shape", w="w", b="b")),
    Call("numpy.sgd", numpy_scratch.sgd,
         dict(params=[W.copy(), np.zeros(1)], grads=[W, np.ones(1)], lr=0.1, batch_size=5),
         dict(params="params", grads="grads", lr="nonneg", batch_size="int1"),
         says={"params": "params", "grads": "grad"}),
    Call("torch.synthetic_data", torch_scratch.synthetic_data,
         dict(w=torch.tensor(W), b=B, num_examples=5, noise=0.01, seed=0),
         dict(w="w_vector", b="b_finite", num_examples="int1", noise="nonneg", seed="seed")),
    Call("torch.data_iter", lambda **k: list(torch_scratch.data_iter(**k)),
         dict(batch_size=5, features=XT, labels=YT, seed=0),
         dict(batch_size="batch", features="tensor_features", labels="tensor_labels",
              seed="seed")),
    Call("torch.summed_loss_grad", torch_scratch.summed_loss_grad,
         dict(X=XT, y=YT, w=torch.tensor(W), b=torch.zeros(1)),
         dict(X="tensor_features", y="tensor_labels", w="w", b="b")),
    Call("torch.sgd", torch_scratch.sgd,
         dict(params=[torch_param()], lr=0.1, batch_size=5),
         dict(params="tensor_params", lr="nonneg", batch_size="int1")),
    Call("train", training.train, dict(features=X, labels=Y, seed=0),
         dict(features="features", labels="labels", lr="positive", batch_size="batch",
              num_epochs="int0", seed="seed", w0="w_finite", b0="b_finite",
              record_steps="bool", backend="choice_backend")),
    Call("start", training.start,
         dict(features=X, labels=Y, lr=0.1, batch_size=5, num_epochs=1, seed=0, w0=None,
              b0=0.0),
         dict(features="features", labels="labels", lr="positive", batch_size="batch",
              num_epochs="int0", seed="seed", w0="w_finite", b0="b_finite")),
    Call("losses_along", training.losses_along,
         dict(features=X, labels=Y, params=np.zeros((4, 3))),
         dict(features="features", labels="labels", params="theta0")),
    Call("train_scan", scan.train_scan, dict(features=X, labels=Y, seed=0),
         dict(features="features", labels="labels", lr="positive", batch_size="batch",
              num_epochs="int0", seed="seed", w0="w_finite", b0="b_finite",
              record_steps="bool")),
    Call("scan_is_faster", scan.scan_is_faster, dict(d=2, steps=100),
         dict(d="int1", steps="int0")),
    Call("affine_steps", scan.affine_steps,
         dict(X=X, y=Y, lr=0.1, batch_size=5, orders=[np.arange(20)]),
         dict(X="features", y="labels", lr="positive", batch_size="batch",
              orders="orders")),
    Call("prefix_scan", scan.prefix_scan, dict(A=np.zeros((2, 3, 3)), v=np.zeros((2, 3))),
         dict(A="A", v="v"), says={"A": "A", "v": "v"}),
    Call("sgd_scan", scan.sgd_scan,
         dict(X=X, y=Y, theta0=np.zeros(3), lr=0.1, batch_size=5, orders=[np.arange(20)]),
         dict(X="features", y="labels", theta0="theta0", lr="positive", batch_size="batch",
              orders="orders")),
    Call("History.param_error", lambda **k: HIST.param_error(**k),
         dict(true_w=W, true_b=B), dict(true_w="w_finite", true_b="b_finite")),
    Call("Recorder", history.Recorder,
         dict(X=X, y=Y, w=np.zeros(2), b=np.zeros(1), record_steps=True, loss=None),
         dict(X="features", y="labels", w="w", b="b", record_steps="bool",
              loss="callable")),
    Call("Recorder.history",
         lambda **k: history.Recorder(X, Y, np.zeros(2), np.zeros(1),
                                      record_steps=False).history(**k),
         dict(lr=0.1, batch_size=5, num_epochs=1, limit=1.0, explain=None),
         dict(lr="positive", batch_size="int1", num_epochs="int0", limit="limit",
              explain="callable")),
    Call("Divergence", divergence.Divergence, dict(start=1.0, zero=2.0),
         dict(start="nonneg", zero="nonneg")),
    Call("Divergence.check", lambda **k: divergence.Divergence(1.0).check(**k),
         dict(loss=2.0), dict(loss="real")),
    Call("divergence.message", divergence.message,
         dict(when="epoch 1", start=1.0, loss=2.0, lr=0.1, limit=1.0, batch_size=5),
         dict(when="string", start="real", loss="real", lr="real", limit="real",
              batch_size="int1_or_none")),
    Call("closed_form", closed_form.closed_form, dict(X=X, y=Y),
         dict(X="features", y="labels")),
    Call("with_ones", closed_form.with_ones, dict(X=X), dict(X="features")),
    Call("hessian", curvature.hessian, dict(X=X), dict(X="features")),
    Call("stability_limit", curvature.stability_limit, dict(X=X), dict(X="features")),
    Call("ridge", ridge.ridge, dict(X=X, y=Y, l2=0.1),
         dict(X="features", y="labels", l2="nonneg")),
    Call("ridge_path", ridge.ridge_path, dict(X=X, y=Y, l2s=[0.1, 1.0]),
         dict(X="features", y="labels", l2s="l2s"), says={"l2s": "l2"}),
    Call("ridge_loss", ridge.ridge_loss, dict(X=X, y=Y, w=W, b=B, l2=0.1),
         dict(X="features", y="labels", w="w", b="b", l2="nonneg")),
    Call("ridge_hessian", ridge.ridge_hessian, dict(X=X, l2=0.1),
         dict(X="features", l2="nonneg")),
    Call("SGD", optimizers.SGD, dict(lr=0.1), dict(lr="positive")),
    Call("Momentum", optimizers.Momentum, dict(lr=0.1, momentum=0.9),
         dict(lr="positive", momentum="unit")),
    Call("Adam", optimizers.Adam, dict(lr=0.1, betas=(0.9, 0.999), eps=1e-8),
         dict(lr="positive", betas="betas", eps="positive")),
    Call("Optimizer.step", lambda **k: optimizers.Adam(0.1).step(**k),
         dict(params=[W.copy(), np.zeros(1)], grads=[W, np.ones(1)]),
         dict(params="params", grads="grads"), says={"params": "params", "grads": "grad"}),
    Call("Optimizer.lr_limit", lambda **k: optimizers.Momentum(0.1).lr_limit(**k),
         dict(lam_max=2.0), dict(lam_max="positive")),
    Call("StepLR", schedules.StepLR, dict(step_size=2, gamma=0.5),
         dict(step_size="int1", gamma="positive")),
    Call("CosineAnnealingLR", schedules.CosineAnnealingLR, dict(T_max=5, eta_min=0.0),
         dict(T_max="int1", eta_min="nonneg")),
    Call("StepLR.__call__", lambda **k: schedules.StepLR(2)(**k),
         dict(base_lr=0.1, epoch=3), dict(base_lr="positive", epoch="int0")),
    Call("CosineAnnealingLR.__call__", lambda **k: schedules.CosineAnnealingLR(5)(**k),
         dict(base_lr=0.1, epoch=3), dict(base_lr="positive", epoch="int0")),
    Call("lr_sequence", schedules.lr_sequence,
         dict(schedule=None, base_lr=0.1, num_epochs=3),
         dict(schedule="callable", base_lr="positive", num_epochs="int0")),
    Call("train_with", optim_training.train_with,
         dict(optimizer=optimizers.SGD(0.1), features=X, labels=Y, seed=0),
         dict(optimizer="optimizer", features="features", labels="labels",
              batch_size="batch", num_epochs="int0", seed="seed", w0="w_finite",
              b0="b_finite", l2="nonneg", schedule="callable", record_steps="bool")),
    Call("minibatches", lambda **k: list(iterators.minibatches(**k)),
         dict(batch_size=5, features=X, labels=Y, seed=0, shuffle="examples"),
         dict(batch_size="batch", features="features_unscanned",
              labels="labels_unscanned", seed="seed", shuffle="choice_shuffle")),
    Call("save_dataset", iterators.save_dataset,
         dict(directory="{tmp}", features=X, labels=Y),
         dict(directory="path", features="features", labels="labels")),
    Call("load_memmap", iterators.load_memmap, dict(directory="{tmp}"),
         dict(directory="path")),
    Call("sgd_epoch", streaming.sgd_epoch,
         dict(features=X, labels=Y, w=np.zeros(2), b=0.0, lr=0.1, batch_size=5, seed=0,
              shuffle="examples"),
         dict(features="features", labels="labels", w="w_finite", b="b_finite",
              lr="positive", batch_size="batch", seed="seed", shuffle="choice_shuffle")),
    Call("mini_batch_gradient_descent", estimators.mini_batch_gradient_descent,
         dict(X=X, y=Y, learning_rate=0.01, batch_size=5, epochs=1, seed=0, verbose=False),
         dict(X="features", y="labels", learning_rate="positive", batch_size="batch",
              epochs="int0", seed="seed", verbose="bool")),
    Call("LinearRegression.fit",
         lambda X, y, **k: estimators.LinearRegression(**k).fit(X, y),
         dict(X=X, y=Y, learning_rate=0.01, num_iterations=5),
         dict(X="features_sklearn", y="labels_sklearn", learning_rate="positive",
              num_iterations="int0"),
         says={"X": "", "y": ""}),  # scikit-learn's own messages name no argument
    Call("LinearRegression.predict", lambda **k: fitted().predict(**k), dict(X=X),
         dict(X="features_sklearn"), says={"X": ""}),
    Call("render_png", plotting.render_png, dict(fig=Figure(), dpi=50),
         dict(fig="figure", dpi="positive")),
    Call("new_axes", plotting.new_axes, dict(ax=None, figsize=(2.0, 2.0)),
         dict(ax="ax", figsize="figsize")),
    Call("loss_surface", plotting.loss_surface,
         dict(X=X, y=Y, w1=np.linspace(0, 3, 5), w2=np.linspace(-4, 0, 5), b=None),
         dict(X="features", y="labels", w1="grid", w2="grid", b="b_finite")),
    Call("plot_loss_contours", plotting.plot_loss_contours,
         dict(X=X, y=Y, w1=np.linspace(0, 3, 5), w2=np.linspace(-4, 0, 5), levels=5),
         dict(X="features", y="labels", w1="grid", w2="grid", levels="int2")),
    Call("plot_loss_curve", plotting.plot_loss_curve, dict(history=HIST, floor=1e-5),
         dict(history="history", floor="positive_or_none")),
    Call("plot_param_error", plotting.plot_param_error,
         dict(history=HIST, true_w=W, true_b=B),
         dict(history="history", true_w="w_finite", true_b="b_finite")),
    Call("plot_trajectory", plotting.plot_trajectory, dict(history=HIST),
         dict(history="history")),
    Call("TrainingFigure", figures.TrainingFigure,
         dict(X=X, y=Y, true_w=W, true_b=B, axes=("loss",), max_epochs=3),
         dict(X="features", y="labels", true_w="w_finite", true_b="b_finite", axes="axes",
              max_epochs="int1")),
    Call("TrainingFigure.update", lambda **k: figure().update(**k), dict(history=HIST),
         dict(history="history")),
    Call("Slider", controls.Slider,
         dict(label="lr", stops=[0.1, 1.0], value=0.1, fmt=".3g", mark=(0.5, "limit"), prefix=False),
         dict(label="label", stops="stops", value="string", fmt="string", prefix="bool")),
    Call("Choice", controls.Choice, dict(label="shuffle", stops=["a", "b"], value="a"),
         dict(label="label", stops="stops", value="object")),
    Call("Toggle", controls.Toggle, dict(label="rescale", value=False),
         dict(label="label", value="string")),
    Call("_Control.index", lambda **k: controls.Slider("lr", [0.1, 1.0], 0.1).index(**k),
         dict(value=1.0), dict(value="string"), says={"value": "lr"}),
    Call("log_stops", controls.log_stops, dict(low=1e-3, high=3.0, count=5, include=(0.03,)),
         dict(low="positive", high="positive", count="int2", include="l2s"),
         says={"include": "include"}),
    Call("Panel", lambda **k: panels.Panel(**k),
         dict(fig=Figure(), update=lambda slope: None,
              controls={"slope": controls.Slider("slope", [0.0, 1.0], 1.0)},
              artists=[Figure().add_subplot().plot([0, 1])[0]], name="line", alt=""),
         dict(fig="figure", update="callable", controls="controls", artists="artists",
              name="panel_name", alt="string"),
         says={"controls": "controls", "artists": "artists", "fig": "fig",
               "update": "update"}),
    Call("Panel.set", lambda **k: line_panel().set(**k), dict(slope=0.0),
         dict(slope="string"), says={"slope": "slope"}),
    Call("Panel.disabled_mask", lambda **k: line_panel().disabled_mask(**k),
         dict(values={"slope": 1.0}), dict(values="values")),
    Call("explorer.build", explorer.build, dict(panel=line_panel(), processes=1),
         dict(panel="panel", processes="int1_or_none")),  # fmt: skip
    Call("explorer.html_of", lambda panel, data: explorer.html_of(panel, data),
         dict(panel=PANEL, data=explorer.build(PANEL)), dict(panel="panel", data="data")),
    Call("show_source", notebook.show_source, dict(obj=linreg_lib.train),
         dict(obj="object"), says={"obj": "show_source"}),
    Call("glue", notebook.glue, dict(name="x", value=1, display=False),
         dict(name="name", display="bool")),
]  # fmt: skip

CASES = [case for call in API for case in call.cases()]
VALID = set()  # callables whose valid call has run


def test_a_bad_update_return_is_refused():
    panel = line_panel()
    panel.update = lambda slope: 3.0
    with pytest.raises(TypeError, match="update must return a status string or None"):
        panel.draw()


@pytest.mark.parametrize("call, arg, bad", CASES)
def test_every_bad_argument_is_refused_by_name(call, arg, bad, tmp_path):
    kwargs = {k: (str(tmp_path) if isinstance(v, str) and v == "{tmp}" else v)
              for k, v in call.kwargs.items()}  # fmt: skip
    if call.name == "load_memmap":
        iterators.save_dataset(tmp_path, X, Y)
    if call.name not in VALID:  # the valid call works (run once per callable)...
        call.fn(**kwargs)
        VALID.add(call.name)
    with pytest.raises((TypeError, ValueError)) as info:  # ...the bad one is refused
        call.fn(**{**kwargs, arg: bad})
    says = call.says.get(arg, arg)
    assert says.lower() in str(info.value).lower(), (arg, bad, str(info.value))


def public_callables():
    """Every public function, class and public method in every public module."""
    found = set()
    for info in pkgutil.iter_modules(linreg_lib.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"linreg_lib.{info.name}")
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                found.add(name)
            elif inspect.isclass(obj) and obj.__module__ == module.__name__:
                found.add(name)
                for attr, member in vars(obj).items():
                    if inspect.isfunction(member) and (
                        not attr.startswith("_") or attr == "__call__"
                    ):
                        found.add(f"{name}.{attr}")
    return found


def test_every_public_callable_has_bad_input_cases():
    covered = {call.name.split(".", 1)[-1]
               if call.name.startswith(("numpy.", "torch.", "explorer.")) else call.name
               for call in API}  # fmt: skip
    aliases = {"Optimizer.step", "Optimizer.lr_limit", "Momentum.lr_limit",
               "Adam.lr_limit", "Optimizer.reset", "Optimizer", "NotFittedError",
               "Recorder.step", "Recorder.epoch", "TrainingFigure.artists",
               "message",
               "History",  # a record that the loops fill in, not a computation
               "LinearRegression",  # stores its arguments; fit checks them
               "Panel.draw", "Panel.still",  # no arguments
               "Slider.spec", "_Control.spec", "Slider.index", "Choice.index",
               "Toggle.index",  # no arguments, or _Control.index's
               }  # fmt: skip
    missing = public_callables() - covered - aliases
    assert not missing, sorted(missing)
    assert len(API) >= 55


# --- hypothesis: random corruptions of the data, for the core functions ---------

CORE = [
    lambda X, y: linreg_lib.train(X, y, num_epochs=1, seed=0),
    lambda X, y: linreg_lib.train_scan(X, y, num_epochs=1, seed=0),
    lambda X, y: linreg_lib.closed_form(X, y),
    lambda X, y: list(numpy_scratch.data_iter(1, X, y, seed=0)),
    lambda X, y: linreg_lib.ridge(X, y, 0.1),
    lambda X, y: estimators.mini_batch_gradient_descent(X, y, batch_size=1, epochs=1),
    lambda X, y: optim_training.train_with(optimizers.Adam(0.1), X, y, num_epochs=1),
    lambda X, y: streaming.sgd_epoch(X, y, np.zeros(np.shape(X)[-1]), 0.0, lr=0.01,
                                     batch_size=1),
]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(3, 30),
    d=st.integers(1, 4),
    corruption=st.sampled_from(
        ["nan X", "inf y", "complex X", "short y", "y (n, 2)", "X 1-D", "text y"]
    ),  # fmt: skip
    where=st.floats(0, 1, exclude_max=True),
    which=st.integers(0, len(CORE) - 1),
)
def test_corrupted_data_is_refused_by_every_core_function(
    n, d, corruption, where, which
):
    rng = np.random.default_rng(n * 10 + d)
    X, y = rng.normal(size=(n, d)), rng.normal(size=n)
    at = int(where * n)
    if corruption == "nan X":
        X[at, at % d] = np.nan
    elif corruption == "inf y":
        y[at] = np.inf
    elif corruption == "complex X":
        X = X + 1j
    elif corruption == "short y":
        y = y[:at]
    elif corruption == "y (n, 2)":
        y = np.column_stack([y, y])
    elif corruption == "X 1-D":
        X = X[:, 0]
    else:
        y = y.astype(str)
    with pytest.raises((TypeError, ValueError, ZeroDivisionError)) as info:
        CORE[which](X, y)
    if info.type is not ZeroDivisionError:  # sgd_epoch does not scan values: skipped
        message = str(info.value)
        assert any(name in message for name in ("X", "y", "features", "labels")), (
            message
        )


# --- the silent wrong answers of the first edition --------------------------------


def test_sgd_with_a_float_bias_is_refused_not_skipped():
    w, b = np.zeros(2), 0.0
    with pytest.raises(TypeError, match=r"params\[1\].*updated in place"):
        numpy_scratch.sgd([w, b], [np.ones(2), 1.0], 0.1, 1)


def test_synthetic_data_refuses_a_nan_bias():
    with pytest.raises(ValueError, match="b contains 1 non-finite"):
        numpy_scratch.synthetic_data(W, np.nan, 5)


def test_a_schedule_that_climbs_the_loss_is_refused():
    with pytest.raises(ValueError, match=r"the schedule's lr for epoch 0 .*got -0.1"):
        optim_training.train_with(optimizers.SGD(0.1), X, Y, schedule=lambda lr, e: -lr)


def test_complex_input_is_refused_not_truncated():
    with pytest.raises(TypeError, match="features must hold real numbers.*complex"):
        linreg_lib.train(X + 1j, Y)
    with pytest.raises(TypeError, match="X must hold real numbers"):
        linreg_lib.closed_form(X + 1j, Y)


def test_a_huge_x_gets_a_message_naming_the_cause():
    with pytest.raises(ValueError, match=r"X is too large.*overflows float64.*Rescale"):
        linreg_lib.stability_limit(X * 1e200)
