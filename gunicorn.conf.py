"""gunicorn's settings, read from the working directory (the image's /app): threads per
worker from GUNICORN_THREADS, and the metrics folder of prometheus_client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR), emptied at start and tidied when a worker
exits, so that /metrics sums every worker of this container. Workers come from
WEB_CONCURRENCY, which gunicorn reads itself.

Keep-alive (GUNICORN_KEEPALIVE, seconds): gunicorn's default of 2 s closes an idle
connection while the client (the proxy, or a browser) may already be sending its next
request on it, and when every thread of a worker is busy a connection that has a request
waiting is closed after those 2 s unread: the client gets "connection reset" (a 502 from
the proxy) for a request the app never saw. The load test met this at 10 users. It must
stay above the proxy's idle time for connections to the app (deploy/Caddyfile: 60 s)."""

import os
import shutil

from prometheus_client import multiprocess

threads = int(os.environ.get("GUNICORN_THREADS", "1"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))


def on_starting(server) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
