"""Minibatch iterators that scale: one permutation and slices, or shuffled blocks.

``data_iter`` gathers every minibatch by random access into data held in
memory. ``minibatches`` reads the way real iterators do: slices of one
permutation (``shuffle="examples"``), or contiguous blocks visited in a random
order (``"batches"``: views, no copies, sequential reads), or in order
(``"none"``). It works unchanged on a read-only memory map, so a data set larger
than memory can be streamed from disk: ``save_dataset`` writes ``X.npy`` and
``y.npy`` once, ``load_memmap`` maps them back. NumPy only: this module never
imports torch. Chapter "Reading data in minibatches".
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from . import _checks

__all__ = ["minibatches", "save_dataset", "load_memmap", "SHUFFLES"]

#: The orders ``minibatches`` can visit the data in.
SHUFFLES = ("examples", "batches", "none")


def minibatches(
    batch_size: int, features, labels, *, seed=None, shuffle: str = "examples"
):
    """Yield ``(X, y)`` minibatches that cover every example once: one epoch.

    Parameters
    ----------
    batch_size : int
        1 <= batch_size <= n. When n is not a multiple of it, one batch (the
        last, unless the blocks are shuffled) has the n mod batch_size rest.
    features : array of shape (n, d)
        A NumPy array or a memmap.
    labels : array of shape (n,) or (n, 1)
    seed : int, numpy.random.Generator or None
        Pass one Generator to draw a new order every epoch from a single
        reproducible stream; None draws fresh entropy.
    shuffle : {"examples", "batches", "none"}
        ``"examples"``: one permutation of the n rows per call; each batch
        gathers the rows of the next slice of it (a copy; random access).
        ``"batches"``: the rows cut into contiguous blocks of ``batch_size``,
        visited in a random order; each batch is a view (nothing copied), and on
        a memmap each read is sequential. Enough if the rows were shuffled once
        when the data were written. ``"none"``: the blocks in order; no seed.

    Yields
    ------
    X, y : arrays of shape (batch, d) and (batch,) or (batch, 1)
        As the labels were given. The arguments are checked at the call, before
        the first batch; the values are not scanned (that would read a memmap).

    Example: ``for X, y in minibatches(256, *load_memmap(path), shuffle="batches")``.
    """
    features, labels = _as_arrays(features, labels)
    n = _check_dataset(features, labels)
    batch_size = _checks.check_batch_size(batch_size, n)
    if not isinstance(shuffle, str):
        raise TypeError(f"shuffle must be a string, one of {SHUFFLES}, got {shuffle!r}")
    if shuffle not in SHUFFLES:
        raise ValueError(f"shuffle must be one of {SHUFFLES}, got {shuffle!r}")
    rng = np.random.default_rng(_checks.check_seed(seed))
    if shuffle == "examples":
        order = rng.permutation(n)
        return _gather(batch_size, features, labels, order)
    starts = np.arange(0, n, batch_size)  # first row of each contiguous block
    if shuffle == "batches":
        starts = rng.permutation(starts)
    return _blocks(batch_size, features, labels, starts)


def _gather(batch_size, features, labels, order):
    """Rows ``order[i : i + batch_size]`` for i = 0, B, 2B, ...: one copy each."""
    for i in range(0, len(order), batch_size):
        rows = order[i : i + batch_size]
        yield np.take(features, rows, axis=0), np.take(labels, rows, axis=0)


def _blocks(batch_size, features, labels, starts):
    """Contiguous slices ``[start, start + batch_size)``: views, never copies."""
    for start in starts:
        stop = start + batch_size
        yield features[start:stop], labels[start:stop]


def save_dataset(directory, features, labels) -> Path:
    """Write ``features`` (n, d) and ``labels`` (n,) or (n, 1) as .npy files.

    Creates ``directory`` if needed and writes ``directory/X.npy`` and
    ``directory/y.npy`` with their dtypes unchanged (float32 stays float32).
    Shuffle the rows once before saving if ``shuffle="batches"`` will read them.
    Returns the directory as a ``Path``.
    """
    features, labels = _as_arrays(features, labels)
    _check_dataset(features, labels)
    for name, a in (("features", features), ("labels", labels)):
        if a.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold numbers, got dtype {a.dtype}")
        _checks.check_finite(name, a)
    directory = _as_path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    np.save(directory / "X.npy", features)
    np.save(directory / "y.npy", labels)
    return directory


def load_memmap(directory):
    """Map ``directory/X.npy`` and ``directory/y.npy`` read-only, without loading.

    Returns ``(X, y)`` as ``numpy.memmap`` of shapes (n, d) and (n,) or (n, 1):
    the operating system reads a page from disk only when a batch touches it.
    Raises ``FileNotFoundError`` naming a missing file, ``ValueError`` if the
    two files do not fit together.
    """
    directory = _as_path(directory)
    X = np.load(directory / "X.npy", mmap_mode="r")
    y = np.load(directory / "y.npy", mmap_mode="r")
    _check_dataset(X, y)
    return X, y


def _as_arrays(features, labels):
    """NumPy arrays (memmaps and views pass through uncopied; tensors converted)."""
    return (np.asarray(_checks.to_numpy(a)) for a in (features, labels))


def _check_dataset(features, labels) -> int:
    """features (n, d) with n >= 1 and labels (n,) or (n, 1). Returns n."""
    _checks.check_features(features, "features")  # the dtype, not the values
    n = features.shape[0]
    if n < 1:
        raise ValueError(f"features has no rows (shape {features.shape})")
    _checks.as_labels(labels, n, "labels")
    _checks.check_real("labels", labels)
    return n


def _as_path(directory) -> Path:
    if not isinstance(directory, str | os.PathLike):
        raise TypeError(f"directory must be a path (str or Path), got {directory!r}")
    return Path(directory)
