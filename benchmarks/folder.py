"""Time the presentation folder of an annual review: a 10-page folder with 6 charts.

    .venv/bin/python benchmarks/folder.py [-n 20] [--warmup 2] [--internal] [--language de]
                                          [--subsidiaries 20]

Builds its own data in a throwaway SQLite database under a temporary folder (migrated on
start, about half a minute): one key account with five years of figures, surveys, issues
and contracts, and a review with agenda, topics, market data and next year's projects,
sized to a 10-page folder. Then it renders the folder (templates and WeasyPrint, the work
of the Celery task without storing the file) `--warmup` times unmeasured and `-n` times
measured, pinned to one CPU core, and prints the median and the 95th percentile (nearest
rank) of the wall time and of the CPU time of the process, the pages, the charts and the
size of the PDF. On a busy machine the wall time includes waiting for the core; the CPU
time is the work itself.

With `--subsidiaries N` the key account is a group of N subsidiaries with long names, each
with figures, a contract, an issue and a contact who takes part in the review (the case of
the folder's target: rendering stays under FOLDER_TARGET_SECONDS and FOLDER_TARGET_BYTES);
the last line says whether the median wall time and the size meet that target.
"""

import argparse
import cProfile
import math
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["KAM_DATA_DIR"] = tempfile.mkdtemp(prefix="kam-folder-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("KAM_HTTPS", "0")

import django  # noqa: E402

django.setup()

from datetime import UTC, date, datetime, timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import services as account_services  # noqa: E402
from accounts.models import Contact, YearlyFigures  # noqa: E402
from contracts.models import Contract  # noqa: E402
from customer_care.models import (  # noqa: E402
    CustomerIssue,
    Department,
    Survey,
    ensure_default_departments,
)
from reviews import pdf, services  # noqa: E402
from reviews.models import JointProject, Section  # noqa: E402
from users.models import Role, User  # noqa: E402

FOLDER_TARGET_SECONDS = 10
FOLDER_TARGET_BYTES = 2 * 1024 * 1024
LONG = "Internationale Antriebs- und Steuerungstechnik Beteiligungsgesellschaft"


def add_subsidiaries(account, kam, count: int) -> list:
    """`count` subsidiaries with long names, figures of the last two years, a contract,
    an issue and a contact each; returns the contacts (the review's participants)."""
    year = timezone.localdate().year
    department = Department.objects.order_by("position").first()
    contacts = []
    for number in range(count):
        child = account_services.account_create(
            actor=kam, owner=kam, name=f"{LONG} {number:02d} GmbH", city="Stuttgart",
            parent=account,
        )  # fmt: skip
        for offset in (1, 2):
            YearlyFigures.objects.create(
                account=child, year=year - offset, revenue=Decimal(987_654_321),
                contribution_margin=Decimal(123_456_789), revenue_target=Decimal(999_999_999),
                revenue_potential=Decimal(1_999_999_999),
            )  # fmt: skip
        Contract.objects.create(
            account=child, number=f"RAHMENVERTRAG-{number:02d}", title=f"Liefervertrag {LONG}",
            start_on=date(year - 1, 1 + number % 12, 1), annual_value=Decimal(98_765_432),
            status="active", owner=kam,
        )  # fmt: skip
        opened = datetime(year - 1, 1 + number % 12, 10, 9, tzinfo=UTC)
        CustomerIssue.objects.create(
            account=child, title=f"Anliegen {LONG} {number:02d}", opened_at=opened,
            due_on=opened.date() + timedelta(days=5), owner=kam, department=department,
        )  # fmt: skip
        contacts.append(
            Contact.objects.create(
                account=child, first_name="Maximiliane-Friederike",
                last_name=f"Oberbuchhalter-Schmidt{number:02d}",
                job_title=f"Bereichsleitung Strategischer Einkauf {LONG}",
                email=f"m.oberbuchhalter{number:02d}@example.com",
            )
        )  # fmt: skip
    return contacts


def build(subsidiaries: int = 0):
    call_command("migrate", verbosity=0)
    kam = User.objects.create(username="bench-kam", first_name="Karla", last_name="Mertens",
                              role=Role.KEY_ACCOUNT_MANAGER, email="kam@example.com")  # fmt: skip
    account = account_services.account_create(
        actor=kam, owner=kam, name="Brenner Automotive AG", city="Stuttgart"
    )
    year = timezone.localdate().year
    for offset in range(5):
        revenue = Decimal(4_000_000 + 450_000 * (4 - offset))
        YearlyFigures.objects.create(
            account=account, year=year - offset, revenue=revenue,
            contribution_margin=revenue * Decimal("0.24"), revenue_target=Decimal(5_000_000),
            revenue_potential=Decimal(14_000_000),
        )  # fmt: skip
        for n in range(6):
            Survey.objects.create(
                account=account,
                surveyed_on=date(year - offset, 3 + n, 10),
                nps=(10, 9, 9, 8, 7, 5)[n],
                csat=4,
            )
        for n in range(4):
            opened = datetime(year - offset, 2 + 2 * n, 5, 10, tzinfo=UTC)
            CustomerIssue.objects.create(
                account=account, title=f"Lieferverzug {n}", opened_at=opened,
                due_on=opened.date() + timedelta(days=10),
                resolved_at=opened + timedelta(days=3 + 5 * n), status="resolved", owner=kam,
                department=Department.objects.order_by("position").first(),
            )  # fmt: skip
        Contract.objects.create(
            account=account, number=f"RV-{year - offset}", title="Rahmenvertrag Antriebe",
            start_on=date(year - offset, 1, 1), end_on=date(year + 1, 3, 31),
            notice_period_months=3, annual_value=Decimal(900_000), status="active", owner=kam,
        )  # fmt: skip
    ensure_default_departments()
    contacts = add_subsidiaries(account, kam, subsidiaries) if subsidiaries else []
    review = services.review_create(
        actor=kam, account=account, year=year, customer_participants=contacts
    )
    for n in range(8):
        services.agenda_item_save(actor=kam, review=review, title=f"Tagesordnungspunkt {n + 1}",
                                  duration_minutes=15, presenter="Karla Mertens")  # fmt: skip
    for n in range(10):
        services.topic_save(actor=kam, review=review, title=f"Thema {n + 1}: Liefermodell",
                            goal="Preise und Leistungen für die nächste Laufzeit vereinbaren",
                            owner=kam, customer_side="Leitung Einkauf")  # fmt: skip
    for n in range(30):
        services.market_figure_save(
            actor=kam, review=review, topic=f"Marktsegment {n + 1}", figure=f"{n + 1},5 Mrd. €",
            source="VDMA", year=year - 1,
        )  # fmt: skip
    for n, (area, _label) in enumerate(JointProject.Area.choices * 3):
        services.project_save(actor=kam, review=review, area=area, title=f"Projekt {n + 1}",
                              goal="Gemeinsam wachsen", target="+5 %")  # fmt: skip
    for kind in (Section.Kind.RELATIONSHIP, Section.Kind.MEASURES, Section.Kind.OUTLOOK):
        section = review.sections.get(kind=kind)
        services.section_update(actor=kam, section=section, text="Unsere Zusammenarbeit. " * 60)
    return review


def nearest_rank(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--internal", action="store_true")
    parser.add_argument("--language", default="de")
    parser.add_argument("--subsidiaries", type=int, default=0)
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N",
        help="profile one render (cProfile) and print its N most expensive functions",
    )  # fmt: skip
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    review = build(args.subsidiaries)
    charts = len(pdf.folder_context(review, internal=args.internal)["charts"])
    for _ in range(args.warmup):
        pdf.render_folder_pdf(review, internal=args.internal, language=args.language)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(
            pdf.render_folder_pdf, review, internal=args.internal, language=args.language
        )
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    walls, cpus = [], []
    for _ in range(args.n):
        wall, cpu = time.perf_counter(), time.process_time()
        content, pages = pdf.render_folder_pdf(
            review, internal=args.internal, language=args.language
        )
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(f"folder: {pages} pages, {charts} charts, {len(content) / 1024:.0f} KiB, n={args.n}")
    print(f"wall ms: median {statistics.median(walls) * 1000:.0f}, "
          f"p95 {nearest_rank(walls, 95) * 1000:.0f}")  # fmt: skip
    print(f"CPU ms:  median {statistics.median(cpus) * 1000:.0f}, "
          f"p95 {nearest_rank(cpus, 95) * 1000:.0f}")  # fmt: skip
    met = statistics.median(walls) < FOLDER_TARGET_SECONDS and len(content) < FOLDER_TARGET_BYTES
    print(f"target (under {FOLDER_TARGET_SECONDS} s and "
          f"{FOLDER_TARGET_BYTES // (1024 * 1024)} MiB): {'met' if met else 'MISSED'}")  # fmt: skip


if __name__ == "__main__":
    main()
