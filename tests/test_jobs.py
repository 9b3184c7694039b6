"""tests/jobs.py's background jobs: their results, and nothing left behind."""

import sys
import time

from tests.jobs import Job


def test_a_job_gives_its_exit_code_and_everything_it_printed(tmp_path):
    code = "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"
    job = Job([sys.executable, "-c", code], tmp_path / "job.log")
    exit_code, log = job.result()
    assert exit_code == 3
    assert log.splitlines() == ["out", "err"]


def test_a_grandchild_neither_holds_up_the_result_nor_outlives_stop(tmp_path):
    pid_file = tmp_path / "grandchild"
    job = Job(["sh", "-c", f"sleep 60 & echo $! > {pid_file}; echo started"],
              tmp_path / "job.log")  # fmt: skip
    start = time.monotonic()
    assert job.result() == (0, "started\n")
    assert time.monotonic() - start < 30  # the sleep still holds the log open
    pid = int(pid_file.read_text())
    assert _alive(pid)
    job.stop()
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"  # a zombie is gone
    except FileNotFoundError:
        return False
