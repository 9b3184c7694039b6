"""D2L's setup, the book's defaults, in one place.

The data every chapter generates and the hyperparameters every panel starts
from: with these values the book reproduces D2L's "Linear Regression
Implementation from Scratch" (loss about 5e-5 after 3 epochs).
"""

__all__ = [
    "TRUE_W",
    "TRUE_B",
    "NUM_EXAMPLES",
    "NOISE",
    "SEED",
    "LR",
    "BATCH_SIZE",
    "NUM_EPOCHS",
]

TRUE_W = (2.0, -3.4)  # the weights the data are generated with
TRUE_B = 4.2  # ... and the bias
NUM_EXAMPLES = 1000
NOISE = 0.01  # standard deviation of the observation noise ε
SEED = 0  # the data seed every chapter uses

LR = 0.03
BATCH_SIZE = 10
NUM_EPOCHS = 3
