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
resident memory (ru_maxrss) before the request and after it. Target (issue 24): the
web process stays under 200 MB for the 1,000,000-activity export.
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

CASES = {
    "page-csv": "/activities/?export=csv",
    "page-xlsx": "/activities/?export=xlsx",
    "api-csv": "/api/v1/activities/?format=csv",
    "api-xlsx": "/api/v1/activities/?format=xlsx",
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_case(name: str, user: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")
    import django

    django.setup()
    from django.test import Client

    from activities.models import Activity
    from users.models import User

    client = Client()
    client.force_login(User.objects.get(username=user))
    Activity.objects.exists()  # connection open, apps loaded: the baseline
    before = peak_mb()
    start = time.perf_counter()
    response = client.get(CASES[name], HTTP_ACCEPT="*/*")
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
    rows = f"{lines:,}" if name.endswith("csv") else "–"
    print(
        f"| {name} | {rows} | {size / 1e6:,.0f} MB | {first:,.1f} s | {total:,.1f} s "
        f"| {before:,.0f} MB | {peak_mb():,.0f} MB |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    parser.add_argument("--user", default="bench_head")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_case(args.case[0], args.user)
        return
    print("| case | CSV lines | file | first byte | last byte | memory before | peak |")
    print("| --- | --- | --- | --- | --- | --- | --- |", flush=True)
    for name in args.case or list(CASES):
        subprocess.run(
            [sys.executable, __file__, "--child", "--case", name, "--user", args.user],
            check=True,
        )


if __name__ == "__main__":
    main()
