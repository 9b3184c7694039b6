"""_ext/katex_startup.py: a KaTeX server that binds before it listens still starts."""

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))
katex = pytest.importorskip("sphinxcontrib.katex")
import katex_startup  # noqa: E402

# A stand-in for the node server: binds the socket, waits, then listens and answers.
SLOW_SERVER = """
import socket, sys, time
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(sys.argv[1])
time.sleep(0.5)  # the window in which a connect is refused
server.listen(1)
server.settimeout(3)  # gone in 3.5 s if nobody connects
server.accept()[0].sendall(b"up")
"""


class SlowServer(katex.KaTeXServer):
    @classmethod
    def build_command(cls, socket=None, port=None):
        return [sys.executable, "-c", SLOW_SERVER, str(socket)]


def test_the_upstream_start_is_refused_between_bind_and_listen(tmp_path):
    with pytest.raises(ConnectionRefusedError):
        katex.KaTeXServer.start_server_process.__func__(SlowServer, tmp_path, 5.0)


def test_the_patched_start_waits_for_the_listen(tmp_path):
    process, sock = katex_startup.start_server_process(SlowServer, tmp_path, 5.0)
    try:
        assert sock.recv(2) == b"up"
    finally:
        sock.close(), process.kill(), process.wait()


def test_a_server_that_never_listens_times_out(tmp_path):
    class Silent(SlowServer):
        @classmethod
        def build_command(cls, socket=None, port=None):
            return [sys.executable, "-c", "import time; time.sleep(30)"]

    start = time.monotonic()
    with pytest.raises(katex.KaTeXServer.timeout_error(1.0).__class__):
        katex_startup.start_server_process(Silent, tmp_path, 1.0)
    assert time.monotonic() - start < 5
