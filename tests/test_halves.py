"""_halves.map_halves: the same results in two processes as in one, whatever the child does.

tests/test_panels.py holds an explorer drawn in two processes to the one drawn in one.
"""

import os
import time

import pytest

from linreg_lib import _halves

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def square_and_pid(x):
    return x * x, os.getpid()


def test_the_second_half_runs_in_a_child_and_comes_back_in_order():
    results = _halves.map_halves(square_and_pid, list(range(9)), processes=2)
    assert [r for r, _ in results] == [x * x for x in range(9)]
    pids = [pid for _, pid in results]
    assert set(pids[:4]) == {os.getpid()} and os.getpid() not in pids[4:]


def test_one_process_or_one_item_forks_nothing():
    for items, processes in ((list(range(9)), 1), ([3], 2)):
        results = _halves.map_halves(square_and_pid, items, processes=processes)
        assert results == [(x * x, os.getpid()) for x in items]


def test_a_child_that_fails_leaves_its_half_to_the_parent():
    parent = os.getpid()

    def fails_in_the_child(x):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return -x

    assert _halves.map_halves(fails_in_the_child, [1, 2, 3, 4], processes=2) == [
        -1, -2, -3, -4
    ]  # fmt: skip


def test_a_child_that_falls_silent_is_stopped(monkeypatch):
    monkeypatch.setattr(_halves, "PATIENCE", 1.0)
    parent = os.getpid()

    def hangs_in_the_child(x):
        if os.getpid() != parent:
            time.sleep(60)
        return x + 1

    start = time.monotonic()
    assert _halves.map_halves(hangs_in_the_child, [1, 2, 3, 4], processes=2) == [
        2,
        3,
        4,
        5,
    ]
    assert time.monotonic() - start < 30
