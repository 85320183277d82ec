"""Peak memory and time of the activity list's exports on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench SECRET_KEY=bench DEBUG=0 \\
        KAM_HTTPS=0 ALLOWED_HOSTS=testserver .venv/bin/python benchmarks/exports.py

Needs the benchmark data of `generate.py` and `generate_desk.py` (1,000,000 activities).
Each case runs in a process of its own (the peak resident memory of a process only
grows): the head of sales (`bench_head`, who sees every account) asks for the whole
activity list as a file, through the page (`?export=csv|xlsx`) and through the API
(`?format=csv|xlsx`), with `django.test.Client` (the whole middleware stack); the
answer is read to its end as a web server would send it. Printed per case: rows, the
file's size, the time to the first byte and to the last, and the process's peak
resident memory (ru_maxrss) before the request and after it, with `--tracemalloc` the
peak of Python's own allocations, and the load average. `task-xlsx` is the XLSX built by
the task (kam.export; run without REDIS_URL, so the task runs in this process: the peak
is the worker's). `--query` narrows the list (e.g. `date_from=...`) to show that the peak
does not grow with the rows. Target (issue 24): the web process stays under 200 MB for
the 1,000,000-activity export.
"""

import argparse
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

CASES = {
    "page-csv": "/activities/?export=csv",
    "page-xlsx": "/activities/?export=xlsx",
    "api-csv": "/api/v1/activities/?format=csv",
    "api-xlsx": "/api/v1/activities/?format=xlsx",
    # The XLSX built by the task (EXPORT_XLSX_TASK_ROWS=1): without REDIS_URL the task
    # runs in this process once the request's transaction commits, so the peak is the
    # worker's; the file is then downloaded as the user would.
    "task-xlsx": "/activities/?export=xlsx",
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(name: str, user: str, traced: bool, query: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from activities.models import Activity
    from users.models import User

    settings.EXPORT_XLSX_TASK_ROWS = 1 if name == "task-xlsx" else 0
    client = Client()
    client.force_login(User.objects.get(username=user))
    Activity.objects.exists()  # connection open, apps loaded: the baseline
    before = peak_mb()
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    url = CASES[name] + (f"&{query}" if query else "")
    response = client.get(url, HTTP_ACCEPT="*/*")
    if name == "task-xlsx":
        assert response.status_code == 302, response.status_code
        page = client.get(response["Location"])
        assert b"/download/" in page.content, "the file was not built"
        response = client.get(response["Location"] + "download/")
    assert response.status_code == 200, response.status_code
    pieces = iter(response.streaming_content)
    size = len(next(pieces))
    first = time.perf_counter() - start
    lines = 0
    for piece in pieces:
        size += len(piece)
        if name.endswith("csv"):
            lines += piece.count(b"\n")
    total = time.perf_counter() - start
    traced_peak = f"{tracemalloc.get_traced_memory()[1] / 1e6:,.0f} MB" if traced else "–"
    rows = f"{lines:,}" if name.endswith("csv") else "–"
    print(
        f"| {name} | {rows} | {size / 1e6:,.0f} MB | {first:,.1f} s | {total:,.1f} s "
        f"| {before:,.0f} MB | {peak_mb():,.0f} MB | {traced_peak} "
        f"| {os.getloadavg()[0]:.1f} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    parser.add_argument("--user", default="bench_head")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace Python's allocations (their peak; slows the export down)",
    )
    parser.add_argument(
        "--query", default="", help="filters added to the list's URL, e.g. date_from=2026-01-01"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_case(args.case[0], args.user, args.tracemalloc, args.query)
        return
    print(
        "| case | CSV lines | file | first byte | last byte | memory before | peak "
        "| traced peak | load |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |", flush=True)
    for name in args.case or list(CASES):
        command = [sys.executable, __file__, "--child", "--case", name, "--user", args.user]
        if args.tracemalloc:
            command.append("--tracemalloc")
        if args.query:
            command += ["--query", args.query]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
