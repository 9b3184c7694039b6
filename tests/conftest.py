"""Shared fixtures: D2L's synthetic problem, generated once per test session."""

import numpy as np
import pytest

from linreg_lib import numpy_scratch

TRUE_W = np.array([2.0, -3.4])
TRUE_B = 4.2


@pytest.fixture(scope="session")
def d2l_data():
    """D2L's data set: 1000 examples, w = [2, -3.4], b = 4.2, noise 0.01."""
    return numpy_scratch.synthetic_data(TRUE_W, TRUE_B, 1000, seed=0)
