"""A faithful copy of D2L's "Linear Regression Implementation from Scratch".

The baseline the benchmarks time linreg_lib against: a Python list of indices
shuffled with the global ``random`` module, a ``torch.tensor`` of indices per
minibatch, autograd, and ``sgd`` dividing by the batch size. Only the
benchmark imports it; the book teaches from linreg_lib.
"""

import random

import torch


def data_iter(batch_size, features, labels, indices=None):
    """D2L's iterator; ``indices``, if given, replays an order (for the check only)."""
    num_examples = len(features)
    if indices is None:
        indices = list(range(num_examples))
        random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i : min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def linreg(X, w, b):
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def train(features, labels, w, b, lr=0.03, num_epochs=3, batch_size=10, orders=None):
    """D2L's loop; trains ``w`` (d, 1) and ``b`` (1,) in place."""
    for epoch in range(num_epochs):
        order = None if orders is None else orders[epoch]
        for X, y in data_iter(batch_size, features, labels, order):
            l = squared_loss(linreg(X, w, b), y)
            l.sum().backward()
            sgd([w, b], lr, batch_size)
    return w, b
