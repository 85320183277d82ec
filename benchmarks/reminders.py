"""Time a reminder scan of every rule on the configured database (benchmark data).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench SECRET_KEY=bench DEBUG=0 \\
        KAM_HTTPS=0 .venv/bin/python benchmarks/reminders.py [--markdown] [--keep]

Each rule runs twice as beat would run it (reminders.services.run_rule): the first scan
creates the reminders, the second finds them all present and creates none. The table shows
per rule the wall time, the SQL queries and what was found. Everything happens in one
transaction that is rolled back at the end (the escalation's history rows too), so the
script can be run again on the same data; `--keep` commits instead.
"""

import argparse
import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("KAM_HTTPS", "0")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Account  # noqa: E402
from activities.models import Activity  # noqa: E402
from contracts.models import Contract  # noqa: E402
from deals.models import Opportunity  # noqa: E402
from reminders.models import Reminder  # noqa: E402
from reminders.registry import rules  # noqa: E402
from reminders.services import run_rule, when_now  # noqa: E402


class Rollback(Exception):
    pass


def measure(key: str, when) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        created = run_rule(key, when=when)
        elapsed = time.perf_counter() - started
    return elapsed, len(queries), created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--keep", action="store_true", help="commit the reminders")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    sizes = {
        "accounts": Account.objects.count(),
        "activities": Activity.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "contracts": Contract.objects.count(),
    }
    print(", ".join(f"{count:,} {name}" for name, count in sizes.items()))
    reverse("home")  # load the URLconf first: once per worker process, not per scan
    when = when_now()
    rows = []
    try:
        with transaction.atomic():
            for rule in rules:
                first = measure(rule.key, when)
                second = measure(rule.key, when)
                rows.append((rule.key, first, second))
            total_reminders = Reminder.objects.count()
            if not args.keep:
                raise Rollback
    except Rollback:
        pass
    if args.markdown:
        print("| rule | first scan ms | queries | new reminders | second scan ms | queries |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        line = "| {} | {:,.0f} | {} | {:,} | {:,.0f} | {} |"
    else:
        print(f"{'rule':<26}{'1st ms':>9}{'q':>4}{'new':>9}{'2nd ms':>9}{'q':>4}")
        line = "{:<26}{:>9,.0f}{:>4}{:>9,}{:>9,.0f}{:>4}"
    for key, (t1, q1, new), (t2, q2, _none) in rows:
        print(line.format(key, t1 * 1000, q1, new, t2 * 1000, q2))
    first_total = sum(first[0] for _key, first, _second in rows)
    second_total = sum(second[0] for _key, _first, second in rows)
    print(
        f"All rules: first scan {first_total:.2f} s, second scan {second_total:.2f} s, "
        f"{total_reminders:,} reminders{'' if args.keep else ' (rolled back)'}."
    )


if __name__ == "__main__":
    main()
