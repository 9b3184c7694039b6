"""One list of work in two processes, for the book's frame recording.

``explorer.build`` records every frame of a panel: for each combination of its
controls it calls the panel's ``update`` and draws the moving artists. Frames
depend on nothing but their combination, so on a machine with two cores
``map_halves`` forks once: the child computes the second half of the list
while this process computes the first, and pickles its results back down a
pipe. Where there is no fork or one core, or the child fails or falls silent,
this process computes the second half itself, so the results are the same
either way (``tests/test_panels.py`` holds the two paths to each other).

The child writes nothing to the kernel's streams and leaves with ``os._exit``,
so nothing of the kernel it was forked from (sockets, threads) runs in it.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time

__all__ = []  # private: explorer.build uses it

PATIENCE = 60.0  # seconds the child may take beyond three times the parent's half


def map_halves(fn, items: list, processes: int | None = None) -> list:
    """``[fn(x) for x in items]``, the second half in a forked child if it can."""
    processes = (os.cpu_count() or 1) if processes is None else processes
    if processes < 2 or len(items) < 2 or not hasattr(os, "fork"):
        return [fn(x) for x in items]
    # torch's OpenMP pool (libgomp) can hang a forked child that starts a parallel
    # region: seen in a kernel here. One thread each, while the two halves run.
    torch = sys.modules.get("torch")
    threads = torch.get_num_threads() if torch else None
    if torch:
        torch.set_num_threads(1)
    try:
        return _in_two(fn, items)
    finally:
        if torch:
            torch.set_num_threads(threads)


def _in_two(fn, items: list) -> list:
    half = len(items) // 2
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no room for another process: one will do
        os.close(read), os.close(write)
        return [fn(x) for x in items]
    if pid == 0:  # the child: the second half, pickled down the pipe, then gone
        code = 1
        try:
            os.close(read)
            data = pickle.dumps([fn(x) for x in items[half:]])
            with os.fdopen(write, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    start = time.monotonic()
    first = [fn(x) for x in items[:half]]
    patience = PATIENCE + 3 * (time.monotonic() - start)  # as much work as ours
    second = _receive(read, pid, patience)
    if second is None or len(second) != len(items) - half:
        second = [fn(x) for x in items[half:]]
    return first + second


def _receive(read: int, pid: int, patience: float):
    """The child's results, or None if it failed or took over ``patience`` s."""
    chunks, deadline = [], time.monotonic() + patience
    with os.fdopen(read, "rb") as pipe:
        while True:
            ready, _, _ = select.select(
                [pipe], [], [], max(0.0, deadline - time.monotonic())
            )
            if not ready:  # silent for too long: stop it and do its half here
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            chunk = os.read(pipe.fileno(), 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not chunks:
        return None
    return pickle.loads(b"".join(chunks))
