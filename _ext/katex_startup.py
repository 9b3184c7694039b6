"""sphinxcontrib-katex's server, started without its startup race.

sphinxcontrib-katex 0.9.11 (pinned in requirements.txt) starts a node process
that serves KaTeX on a Unix socket: it waits until the socket file exists, then
connects once. The file exists from the server's bind(), before its listen(),
and a connect in between is refused: a build on a busy machine here failed
with ConnectionRefusedError. Its TCP variant already retries a refused
connection; this gives the Unix socket the same loop, within the same timeout.
"""

from __future__ import annotations

import socket
import time
from subprocess import PIPE, Popen

from sphinxcontrib import katex


def start_server_process(cls, rundir, timeout):
    """As sphinxcontrib-katex's, but a refused connection is tried again."""
    socket_path = rundir / "katex.sock"
    process = Popen(
        cls.build_command(socket=socket_path), stdin=PIPE, stdout=PIPE, cwd=rundir
    )
    start = time.monotonic()
    while (remaining := start + timeout - time.monotonic()) > 0:
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                with katex.socket_timeout(sock, remaining):
                    sock.connect(str(socket_path))
                return process, sock
            except ConnectionRefusedError:  # bound, not listening yet
                sock.close()
            except TimeoutError:
                break
        time.sleep(0.001)
    process.kill()
    raise cls.timeout_error(timeout)


def setup(app):
    if katex.__version__ != "0.9.11":  # written against that release's code
        raise RuntimeError(
            f"_ext/katex_startup.py: review it for sphinxcontrib-katex {katex.__version__}"
        )
    katex.KaTeXServer.start_server_process = classmethod(start_server_process)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
