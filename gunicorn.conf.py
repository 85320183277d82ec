"""gunicorn's settings, read from the working directory (the image's /app): threads per
worker from GUNICORN_THREADS, and the metrics folder of prometheus_client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR), emptied at start and tidied when a worker
exits, so that /metrics sums every worker of this container. Workers come from
WEB_CONCURRENCY, which gunicorn reads itself."""

import os
import shutil

from prometheus_client import multiprocess

threads = int(os.environ.get("GUNICORN_THREADS", "1"))


def on_starting(server) -> None:
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
