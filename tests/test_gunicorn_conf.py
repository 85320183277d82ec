"""gunicorn as configured for production (gunicorn.conf.py) keeps an idle connection open
long enough for the client's next request: a proxy or browser that reuses a connection
after a few seconds gets an answer, not "connection reset"."""

import http.client
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    if not shutil.which("gunicorn", path=str(Path(sys.executable).parent)):
        pytest.skip("gunicorn is not installed")
    (tmp_path / "tiny_app.py").write_text(APP)
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
         "--pythonpath", str(tmp_path), "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "tiny_app:app"],
        cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "GUNICORN_THREADS": "2"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(30)


def test_a_connection_idle_for_some_seconds_still_serves_the_next_request(gunicorn):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=10)
    connection.request("GET", "/")
    assert connection.getresponse().read() == b"ok"
    time.sleep(4)  # longer than gunicorn's own default keep-alive of 2 s
    connection.request("GET", "/")  # on the same connection
    assert connection.getresponse().read() == b"ok"
    connection.close()
