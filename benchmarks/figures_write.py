"""Time the figures PATCH of the API (`/api/v1/accounts/<id>/financials/<year>/`), one
request after another in process (Django's test client), on the benchmark data
(benchmarks/generate.py, generate_planning.py), in two ways:

- `in process`: tasks run in process (as without Redis), so the dependency ranking of the
  year (portfolio.dependency) and the stored forecast of the account's objectives
  (planning.action_plan.forecast_store) are computed inside every PATCH;
- `queued`: with REDIS_URL, the PATCH only queues them on Redis (the ranking once for
  the burst); no worker has to run (what was queued is purged at the end).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench REDIS_URL=redis://127.0.0.1:6379/0 \\
        SECRET_KEY=bench .venv/bin/python benchmarks/figures_write.py [--requests 40]

The revenue of the years it writes is put back at the end.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import YearlyFigures  # noqa: E402
from kam.celery import app  # noqa: E402
from portfolio import dependency  # noqa: E402
from users.models import User  # noqa: E402


def timed(client: Client, rows: list[YearlyFigures], rng: random.Random) -> list[float]:
    took = []
    for row in rows:
        started = time.perf_counter()
        answer = client.patch(
            f"/api/v1/accounts/{row.account_id}/financials/{row.year}/",
            {"revenue": str(rng.randint(100_000, 5_000_000))},
            content_type="application/json",
        )
        took.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.content
    return took


def summary(name: str, took: list[float]) -> str:
    ordered = sorted(took)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"| {name} | {len(took)} | {statistics.median(took):.0f} ms | {p95:.0f} ms | "
        f"{max(took):.0f} ms |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    year = timezone.localdate().year
    rng = random.Random(2026)
    rows = list(YearlyFigures.objects.filter(year=year).order_by("?")[: args.requests])
    saved = {row.pk: row.revenue for row in rows}
    client = Client(enforce_csrf_checks=False)
    client.force_login(User.objects.get(username="bench_head"))
    load = os.getloadavg()
    lines = ["| mode | requests | p50 | p95 | max |", "|---|---:|---:|---:|---:|"]
    try:
        app.conf.task_always_eager = True
        timed(client, rows[:3], rng)  # warm up
        lines.append(summary("in process", timed(client, rows, rng)))
        if settings.REDIS_URL:
            app.conf.task_always_eager = False
            app.control.purge()
            lines.append(summary("queued", timed(client, rows, rng)))
            app.control.purge()
            cache.delete(dependency._key("queued", year))
    finally:
        for pk, revenue in saved.items():
            YearlyFigures.objects.filter(pk=pk).update(revenue=revenue)
    print("\n".join(lines))
    accounts = YearlyFigures.objects.filter(year=year).count()
    print(f"{accounts:,} accounts with figures of {year}; load average before: "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip


if __name__ == "__main__":
    main()
