"""When has a training run diverged? One rule for every loop in the library.

A loop records its loss at the start and then after every epoch (or step).
The run has diverged as soon as the loss

- is NaN or infinite, or
- exceeds ``DIVERGENCE_FACTOR`` times the starting scale, or
- has risen ``RISES_IN_A_ROW`` records in a row while above the starting scale.

The starting scale is the larger of the loss at the initial parameters and the
loss at w = 0, b = 0: a run that starts near the minimum is not judged against
the noise floor. A merely noisy run never climbs above where it started; one
past the stability limit grows geometrically and is caught long before it
overflows. Momentum converges without a monotone loss: near its limit its loss
may rise for a dozen steps to 40 times its start before it falls (measured on
the chapter's problems), which sets the two constants. Chapter "Training".
"""

from __future__ import annotations

import math
import numbers

from . import _checks

__all__ = ["DIVERGENCE_FACTOR", "RISES_IN_A_ROW", "Divergence", "message"]

#: The threshold: a loss this many times the starting scale means divergence.
DIVERGENCE_FACTOR = 100.0
#: Sustained growth: a loss above the starting scale that rose this many records in a row.
RISES_IN_A_ROW = 20


class Divergence:
    """Watch one run: ``check(loss)`` after every record, True once diverged.

    ``start`` is the loss at the initial parameters and ``zero`` the loss at
    w = 0, b = 0, in the same units (any loss: the rule only compares ratios).
    """

    def __init__(self, start: float, zero: float = 0.0):
        self.start = _checks.check_range("start", start, 0.0)  # a finite loss >= 0
        self.scale = max(self.start, _checks.check_range("zero", zero, 0.0))
        self.last, self.rises = self.start, 0

    def check(self, loss) -> bool:
        """Record ``loss`` (NaN and inf allowed: they mean divergence); True once diverged."""
        if isinstance(loss, bool) or not isinstance(loss, numbers.Real):
            raise TypeError(f"loss must be a real number, got {loss!r}")
        loss = float(loss)
        self.rises = self.rises + 1 if loss > self.last else 0
        self.last = loss
        if not math.isfinite(loss) or loss > DIVERGENCE_FACTOR * self.scale:
            return True
        return self.rises >= RISES_IN_A_ROW and loss > self.scale


def message(
    when: str,
    start: float,
    loss: float,
    lr: float,
    limit: float,
    *,
    batch_size: int | None = None,
    lr_name: str = "lr",
    limit_name: str = "2/λmax",
) -> str:
    """Why a run diverged, in words: ``when`` is e.g. "epoch 3" or "iteration 12".

    ``limit`` is the full-batch stability limit, called ``limit_name``, and
    ``batch_size`` the minibatch size, if any.
    """
    if not isinstance(when, str):
        raise TypeError(f"when must be a string such as 'epoch 3', got {when!r}")
    for name, value in (("start", start), ("loss", loss), ("lr", lr), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a real number, got {value!r}")
    if batch_size is not None:
        _checks.check_int("batch_size", batch_size, 1)
    grew = f"training diverged in {when}: the loss went from {start:.3g} to {loss:.3g}"
    rate = f"{lr_name} = {lr:g}"
    bound = f"the stability limit {limit_name} = {limit:.3g} for these data"
    if lr >= limit:
        return f"{grew}. {rate} is above {bound}; choose {lr_name} < {limit:.3g}."
    if batch_size is None:
        return f"{grew} with {rate}, below {bound}; choose a smaller {lr_name}."
    return (
        f"{grew}, although {rate} is below {bound} (full batch): minibatches of "
        f"{batch_size} are noisy and some are more curved than the whole; lower "
        f"{lr_name} or raise batch_size."
    )
