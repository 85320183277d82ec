"""Time the main pages on the configured database (filled by benchmarks/generate.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench SECRET_KEY=bench DEBUG=0 \
        KAM_HTTPS=0 ALLOWED_HOSTS=testserver,localhost .venv/bin/python benchmarks/run.py \
        [-n 30] [--warmup 3] [--markdown] [--extra] [--desk | --planning | --no-desk]
        [--explain] [--account ID] [--scale SMALL_URL BIG_URL [--rounds N]]

Each case is requested in-process with django.test.Client (force_login, the whole
middleware stack, templates, no network): `--warmup` unmeasured requests (the first one
checks the status), then `-n` measured ones; the table shows the median and the 95th
percentile (nearest rank) of the wall time. One more request under CaptureQueriesContext
gives the number of SQL queries, "SQL ms" (the time spent in cursor.execute: database work
and transfer of the rows, not building model instances) and the response size.

Each case is compared with its floor (benchmarks/floor.py, served by the benchmark
settings benchmarks/settings.py): one query for the same number of rows of the same table,
rendered as a bare HTML table, timed in the same run with the same repetitions; the table
shows the floor's median and the case's ratio to it, and the same for the case's shell
(the same rows inside base.html, requested by the case's user: what every page of the
product costs before its own work). `--only TEXT` keeps the cases whose label contains
TEXT. `--scale SMALL_URL BIG_URL` runs the
suite on two databases (e.g. 1,000 and 10,000 accounts) in turn and adds the small run's
rows, median and the growth from it; `--rounds N` repeats the pair N times in turn and
keeps each case's fastest round per database. Garbage is collected before each case's
measured requests.

SECRET_KEY, DEBUG=0, KAM_HTTPS=0 and ALLOWED_HOSTS=testserver,localhost are the defaults.
Static files must have been collected (manage.py collectstatic --noinput): with DEBUG=0 the
manifest storage refuses to render pages otherwise.
"""

import argparse
import gc
import json
import logging
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The app's settings plus the floor view (benchmarks/floor.py).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
# Only signs the sessions of the in-process test clients; no server is started.
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("KAM_HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Account  # noqa: E402
from users.models import User  # noqa: E402

HTMX = {"HX-Request": "true"}


@dataclass
class Case:
    label: str
    username: str
    path: str
    headers: dict = field(default_factory=dict)
    optional: bool = False  # a 404 means "not built yet": reported as n/a


@dataclass
class Result:
    case: Case
    status: str = "ok"
    times_ms: list[float] = field(default_factory=list)
    queries: int | None = None
    sql_ms: float | None = None
    size_kb: float | None = None
    slowest: dict | None = None  # the slowest captured query: {"sql": ..., "ms": ...}
    rows: int | None = None  # table rows (HTML) or results (API) in the response
    floor: "Result | None" = None  # the floor of the same table and number of rows
    shell: "Result | None" = None  # the same rows inside base.html, as the case's user

    @property
    def ratio(self) -> float | None:
        if self.median is None or self.floor is None or not self.floor.median:
            return None
        return self.median / self.floor.median

    @property
    def shell_ratio(self) -> float | None:
        if self.median is None or self.shell is None or not self.shell.median:
            return None
        return self.median / self.shell.median

    @property
    def median(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms else None

    @property
    def p95(self) -> float | None:
        if not self.times_ms:
            return None
        ordered = sorted(self.times_ms)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]


# The table a case mainly shows, by path (first match wins): the floor reads its rows.
FLOOR_TABLES = [
    ("/tab/figures/", "accounts.yearlyfigures"),
    ("/tab/contacts/", "accounts.contact"),
    ("/tab/map/", "accounts.contact"),
    ("/accounts/contacts/", "accounts.contact"),
    ("/api/v1/contacts/", "accounts.contact"),
    ("/accounts/", "accounts.account"),
    ("/api/v1/accounts/", "accounts.account"),
    ("/api/v1/activities/", "activities.activity"),
    ("/api/v1/follow-ups/", "activities.followup"),
    ("/activities/", "activities.activity"),
    ("/deals/", "deals.opportunity"),
    ("/api/v1/opportunities/", "deals.opportunity"),
    ("/contracts/", "contracts.contract"),
    ("/api/v1/contracts/", "contracts.contract"),
    ("/care/", "customer_care.customerissue"),
    ("/api/v1/issues/", "customer_care.customerissue"),
    ("/api/v1/actions/", "planning.action"),
    ("/planning/", "planning.objective"),
    ("/api/v1/objectives/", "planning.objective"),
]


def floor_table(path: str) -> str:
    return next((label for prefix, label in FLOOR_TABLES if prefix in path), "accounts.account")


def count_rows(response) -> int:
    """What the floor has to match: the results of an API page, or the table rows and
    cards of an HTML page."""
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.loads(response.content)
        return len(body.get("results", [])) if isinstance(body, dict) else len(body)
    html = response.content.decode(errors="replace")
    cards = len(re.findall(r'<li class="board-card[\s"]', html))
    return len(re.findall(r"<tr[\s>]", html)) + len(re.findall(r"<article[\s>]", html)) + cards


def biggest_group() -> Account:
    """The benchmark group: the root with the most accounts below it."""
    paths = Account.objects.filter(external_id__startswith="BENCH-").values_list("path", flat=True)
    roots = Counter(path.strip("/").split("/")[0] for path in paths if path)
    if not roots:
        raise SystemExit("No benchmark accounts found: run benchmarks/generate.py first.")
    root_id, _count = roots.most_common(1)[0]
    return Account.objects.get(pk=int(root_id))


def kam_group(username: str = "bench_kam_0") -> Account | None:
    """The desk cases' account: the root of the biggest group the user owns (bench_kam_0:
    the two-level group of 6), or their first account when they own no group."""
    owned = list(
        Account.objects.filter(owner__username=username, external_id__startswith="BENCH-")
        .order_by("pk")
        .only("pk", "path", "parent_id")
    )
    if not owned:
        return None
    roots = [a for a in owned if a.parent_id is None]
    sizes = {a.pk: sum(1 for b in owned if b.path.startswith(a.path)) for a in roots}
    return max(roots, key=lambda a: (sizes[a.pk], -a.pk)) if roots else owned[0]


def url(name: str, *args, query: str = "") -> str:
    """reverse(), or a path that answers 404 (reported as n/a) when the app is missing."""
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        return f"/__missing__/{name}/"
    return f"{path}?{query}" if query else path


def desk_cases(group: Account, extra: bool) -> list[Case]:
    """Activities, deals, contracts and customer care (data from generate_desk.py)."""
    head, kam = "bench_head", "bench_kam_0"
    mine = kam_group(kam)
    if mine is None:
        return []
    size = Account.objects.filter(path__startswith=mine.path).count()
    timeline = url("activities:account_panel", mine.pk)
    selected = [
        Case(f"Timeline, bench_kam_0's group {mine.pk} ({size} acc., htmx)", kam, timeline,
             HTMX, optional=True),
        Case("Pipeline (bench_kam_0)", kam, url("deals:pipeline"), optional=True),
        Case("Pipeline (head of sales, all)", head, url("deals:pipeline"), optional=True),
        Case("My work (bench_kam_0)", kam, url("activities:my_work"), optional=True),
        Case("Contract deadlines ?within=90 (bench_kam_0)", kam,
             url("contracts:deadlines", query="within=90"), optional=True),
        Case("Contract list ?notice_within=90 (bench_kam_0)", kam,
             url("contracts:list", query="notice_within=90"), optional=True),
        Case("Issue list (bench_kam_0)", kam, url("customer_care:issues"), optional=True),
        Case(f"API activities ?account={mine.pk} (bench_kam_0)", kam,
             f"/api/v1/activities/?account={mine.pk}", optional=True),
        Case("API opportunities (head of sales)", head, "/api/v1/opportunities/", optional=True),
    ]  # fmt: skip
    if extra:
        big = url("activities:account_panel", group.pk)
        selected += [
            Case(f"Timeline, group {group.pk} (head, htmx)", head, big, HTMX, optional=True),
            Case(f"Timeline, group {group.pk}, older entries (htmx)", head,
                 f"{big}?before=2024-06-01T00:00:00%2B00:00", HTMX, optional=True),
            Case("Pipeline (bench_kam_1, busy KAM)", "bench_kam_1", url("deals:pipeline"),
                 optional=True),
            Case("Opportunity list (head)", head, url("deals:list"), optional=True),
            Case("Activity list (head, 1M)", head, url("activities:list"), optional=True),
            Case("Activity list (bench_kam_0)", kam, url("activities:list"), optional=True),
            Case("My work (bench_kam_1)", "bench_kam_1", url("activities:my_work"),
                 optional=True),
            Case("Contract list (head)", head, url("contracts:list"), optional=True),
            Case("Contract deadlines ?within=90 (head)", head,
                 url("contracts:deadlines", query="within=90"), optional=True),
            Case("Issue list (head)", head, url("customer_care:issues"), optional=True),
            Case("API opportunities (bench_kam_0)", kam, "/api/v1/opportunities/",
                 optional=True),
            Case("API activities (head, 1M)", head, "/api/v1/activities/", optional=True),
            Case("API activities ?cursor= (head, 1M, keyset)", head,
                 "/api/v1/activities/?cursor=", optional=True),
            Case("API follow-ups (bench_kam_0)", kam, "/api/v1/follow-ups/", optional=True),
            Case("API follow-ups (head, all)", head, "/api/v1/follow-ups/", optional=True),
            Case(f"Issues tab, group {group.pk} (head, htmx)", head,
                 url("customer_care:account_issues_panel", group.pk), HTMX, optional=True),
            Case("API issues (head)", head, "/api/v1/issues/", optional=True),
            Case("API contracts (head)", head, "/api/v1/contracts/", optional=True),
            Case("API issues ?cursor= (head, keyset)", head, "/api/v1/issues/?cursor=",
                 optional=True),
            Case("API contracts ?cursor= (head, keyset)", head, "/api/v1/contracts/?cursor=",
                 optional=True),
            Case("API opportunities ?cursor= (head, keyset)", head,
                 "/api/v1/opportunities/?cursor=", optional=True),
        ]  # fmt: skip
    return selected


def kam_planned_account(username: str = "bench_kam_0") -> Account | None:
    """The planning cases' account: the user's account with the most objectives this year
    (ties: the lowest id), or None without planning data."""
    from django.db.models import Count, Q

    year = timezone.localdate().year
    return (
        Account.objects.filter(owner__username=username, external_id__startswith="BENCH-")
        .annotate(n=Count("objectives", filter=Q(objectives__year=year)))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )


def planning_cases(group: Account, extra: bool) -> list[Case]:
    """The planning app (data from generate_planning.py): the Plans page, an account's action
    plan section, the objectives API and "My work" with its plan actions."""
    head, kam = "bench_head", "bench_kam_0"
    try:
        mine = kam_planned_account(kam)
    except Exception:  # noqa: BLE001 - no planning app (no `objectives` relation)
        mine = None
    plans = url("planning:plans")
    selected = [
        Case("Plans (head of sales, all)", head, plans, optional=True),
        Case("Plans (bench_kam_0)", kam, plans, optional=True),
    ]
    if mine is not None:
        section = url("planning:action_plan_account_section", mine.pk)
        n = mine.n
        selected.append(Case(f"Action plan section, account {mine.pk} ({n} obj., htmx)", kam,
                             section, HTMX, optional=True))  # fmt: skip
    selected += [
        Case("API objectives (head of sales)", head, "/api/v1/objectives/", optional=True),
        Case("My work with plan actions (bench_kam_0)", kam, url("activities:my_work"),
             optional=True),
    ]  # fmt: skip
    if extra:
        selected += [
            Case("Plans (bench_kam_1, busy KAM)", "bench_kam_1", plans, optional=True),
            Case("Plans, results only (head, htmx)", head, plans, HTMX, optional=True),
            Case("API actions (head of sales)", head, "/api/v1/actions/", optional=True),
            Case("API actions ?cursor= (head, keyset)", head, "/api/v1/actions/?cursor=",
                 optional=True),
            Case("API objectives (bench_kam_0)", kam, "/api/v1/objectives/", optional=True),
            Case("API account plans (head of sales)", head, "/api/v1/account-plans/",
                 optional=True),
        ]  # fmt: skip
        if mine is not None:
            selected.append(
                Case(
                    f"Planning tab, account {mine.pk} (htmx)",
                    kam,
                    url("planning:account_panel", mine.pk),
                    HTMX,
                    optional=True,
                )
            )
        selected.append(
            Case(
                f"Planning tab, group {group.pk} (head, htmx)",
                head,
                url("planning:account_panel", group.pk),
                HTMX,
                optional=True,
            )
        )
    return selected


def portfolio_cases(extra: bool) -> list[Case]:
    """The portfolio view over the whole company (5 years of figures): the cockpit and the
    dashboard, against the floor of a bare page (the profile: base template, session and
    user, nothing else)."""
    head, kam = "bench_head", "bench_kam_0"
    selected = [
        Case("Floor: profile page (bare page)", head, url("profile")),
        Case("Portfolio cockpit (head of sales, all)", head, url("portfolio:cockpit"),
             optional=True),
        Case("Portfolio cockpit (bench_kam_0)", kam, url("portfolio:cockpit"), optional=True),
        Case("Sales dashboard (head of sales, all)", head, url("portfolio:dashboard"),
             optional=True),
        Case("Sales dashboard (bench_kam_0)", kam, url("portfolio:dashboard"), optional=True),
        Case("API portfolio (head of sales)", head, "/api/v1/portfolio/", optional=True),
    ]  # fmt: skip
    if extra:
        selected += [
            Case("Dashboard drill-down: no contact (head)", head,
                 url("portfolio:dashboard_accounts", query="metric=no_contact"), optional=True),
            Case("Status suggestions (head)", head, url("portfolio:suggestions"), optional=True),
            Case("Portfolio matrix (head)", head, url("portfolio:matrix"), optional=True),
        ]  # fmt: skip
    return selected


def output_cases(extra: bool) -> list[Case]:
    """The home page with each of its blocks (they load by themselves), the reviews list and
    the notifications of the reminders, for a head of sales and a key account manager."""
    from kam import registry
    from users.models import Role

    head, kam = "bench_head", "bench_kam_0"
    selected = [
        Case("Home (head of sales)", head, url("home")),
        Case("Home (bench_kam_0)", kam, url("home")),
    ]
    for block in sorted(registry.home_blocks, key=lambda b: (b.order, b.key)):
        for username, role in ((head, Role.HEAD_OF_SALES), (kam, Role.KEY_ACCOUNT_MANAGER)):
            if role in block.roles:
                who = "head" if username == head else "bench_kam_0"
                label = f"Home block {block.key} ({who}, htmx)"
                path = url("home_block", block.key)
                selected.append(Case(label, username, path, HTMX, optional=True))
    selected += [
        Case("Reviews (head of sales)", head, url("reviews:list"), optional=True),
        Case("Reviews (bench_kam_0)", kam, url("reviews:list"), optional=True),
        Case("Notifications (bench_kam_0)", kam, url("reminders:list"), optional=True),
    ]
    if extra:
        selected += [
            Case("Notification bell (bench_kam_0, htmx)", kam, url("reminders:bell"), HTMX,
                 optional=True),
            Case("API reviews (head of sales)", head, "/api/v1/reviews/", optional=True),
        ]  # fmt: skip
    return selected


def cases(group: Account, extra: bool) -> list[Case]:
    head, kam = "bench_head", "bench_kam_0"
    detail = f"/accounts/{group.pk}/"
    key_a = "/accounts/?status=key_account&tier=A"
    selected = [
        Case("Account list (head of sales, all)", head, "/accounts/"),
        Case("Account list (bench_kam_0, 15)", kam, "/accounts/"),
        Case("Account list ?status=key_account&tier=A", head, key_a),
        Case(f"Account detail, group {group.pk}", head, detail),
        Case("Figures tab, group roll-up (htmx)", head, f"{detail}tab/figures/", HTMX),
        Case("API account list", head, "/api/v1/accounts/", optional=True),
    ]
    if extra:
        selected += [
            Case("Account list (bench_kam_1, busy KAM)", "bench_kam_1", "/accounts/"),
            Case("Account list (bench_rep_0, sales rep)", "bench_rep_0", "/accounts/"),
            Case("Account list results only (htmx)", head, "/accounts/", HTMX),
            Case("Account list page 200 (head)", head, "/accounts/?page=200"),
            Case("Account list sorted by revenue", head, "/accounts/?ordering=-revenue"),
            Case("Account list ?q=stahl", head, "/accounts/?q=stahl"),
            Case("Contacts tab, group (htmx)", head, f"{detail}tab/contacts/", HTMX),
            Case("Relationship map, group (htmx)", head, f"{detail}tab/map/", HTMX),
            Case("History tab, group (htmx)", head, f"{detail}tab/history/", HTMX),
            Case("Search ?q=müller (head)", head, "/accounts/search/?q=m%C3%BCller"),
            Case("Search ?q=müller (bench_kam_0)", kam, "/accounts/search/?q=m%C3%BCller"),
            Case("Contact list (head, 100k)", head, "/accounts/contacts/"),
            Case("Contact list (bench_kam_0)", kam, "/accounts/contacts/"),
            Case("API contact list", head, "/api/v1/contacts/", optional=True),
            Case("API contacts ?cursor= (head, 100k, keyset)", head, "/api/v1/contacts/?cursor=",
                 optional=True),
        ]  # fmt: skip
    return selected


def measure(client: Client, case: Case, repetitions: int, warmup: int) -> Result:
    result = Result(case)

    def get():
        return client.get(case.path, headers=case.headers)

    try:
        response = get()
    except Exception as exc:  # noqa: BLE001 - report and go on with the other cases
        result.status = f"error: {type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:70]}"
        return result
    if response.status_code == 404 and case.optional:
        result.status = "n/a (404)"
        return result
    if response.status_code != 200:
        result.status = f"HTTP {response.status_code}"
        return result
    for _ in range(max(warmup - 1, 0)):
        get()
    # The garbage of the cases before (more of it on the bigger data set) is collected
    # here, not in the middle of this case's requests.
    gc.collect()
    for _ in range(repetitions):
        start = time.perf_counter()
        response = get()
        result.times_ms.append((time.perf_counter() - start) * 1000)
    # One more request to count the queries. CaptureQueriesContext keeps their text, but
    # rounds their time to the millisecond, so an execute wrapper times them as well.
    durations: list[float] = []
    with (
        CaptureQueriesContext(connection) as captured,
        connection.execute_wrapper(partial(timed_execute, durations)),
    ):
        response = get()
    queries = captured.captured_queries
    result.queries = len(queries)
    result.size_kb = len(response.content) / 1024
    result.rows = count_rows(response)
    if len(durations) != len(queries):  # should not happen; fall back to the rounded times
        durations = [float(q["time"]) * 1000 for q in queries]
    result.sql_ms = sum(durations)
    if queries:
        slowest = max(range(len(queries)), key=durations.__getitem__)
        result.slowest = {"sql": queries[slowest]["sql"], "ms": durations[slowest]}
    return result


def timed_execute(durations: list[float], execute, sql, params, many, context):
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        durations.append((time.perf_counter() - start) * 1000)


def explain(results: list[Result]) -> str:
    """The slowest query of each case, with its plan on PostgreSQL."""
    out = []
    for r in results:
        if not r.slowest:
            continue
        out.append(f"\n## {r.case.label}: slowest of {r.queries} queries, "
                   f"{r.slowest['ms']:.1f} ms\n{r.slowest['sql']}")  # fmt: skip
        if connection.vendor == "postgresql" and r.slowest["sql"].lstrip().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {r.slowest['sql']}")
                out.append("\n".join(row[0] for row in cursor.fetchall()))
    return "\n".join(out)


def fmt(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def table(results: list[dict], markdown: bool, small: list[dict] | None = None) -> str:
    """One row per case (rows from as_row()); with `small` (the same cases on the smaller
    data set of a --scale run) also its rows, its median and the growth."""
    header = ["Request", "median ms", "p95 ms", "queries", "SQL ms", "KiB", "rows",
              "floor ms", "× floor", "shell ms", "× shell"]  # fmt: skip
    if small is not None:
        header += ["rows, small", "median, small", "growth"]
    rows = []
    for index, r in enumerate(results):
        if r["median"] is not None:
            row = [
                r["label"], fmt(r["median"]), fmt(r["p95"]), str(r["queries"]),
                fmt(r["sql_ms"]), fmt(r["kib"], 0), str(r["rows"]), fmt(r["floor_ms"]),
                fmt(r["ratio"]), fmt(r.get("shell_ms")), fmt(r.get("shell_ratio")),
            ]  # fmt: skip
        else:
            row = [r["label"], r["status"]] + [""] * (len(header) - 2 - (3 if small else 0))
        if small is not None:
            other = small[index] if index < len(small) else None
            before = other["median"] if other else None
            growth = r["median"] / before if before and r["median"] is not None else None
            row += [str(other["rows"]) if other else "n/a", fmt(before), fmt(growth, 2)]
        rows.append(row)
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        first = row[0].ljust(widths[0])
        return "  ".join(
            [first] + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
        )

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def as_row(r: Result) -> dict:
    return {
        "label": r.case.label, "status": r.status, "median": r.median, "p95": r.p95,
        "queries": r.queries, "sql_ms": r.sql_ms, "kib": r.size_kb, "rows": r.rows,
        "floor_ms": r.floor.median if r.floor else None, "ratio": r.ratio,
        "shell_ms": r.shell.median if r.shell else None, "shell_ratio": r.shell_ratio,
    }  # fmt: skip


def measure_floor(floors: dict, case: Case, result: Result, args) -> None:
    """The floor of the case's table and number of rows, measured once per run."""
    if not result.times_ms:
        return
    key = (floor_table(case.path), max(result.rows or 0, 1))
    if key not in floors:
        path = reverse("floor", args=key)
        floors[key] = measure(Client(), Case(f"floor {key}", "", path), args.repetitions,
                              args.warmup)  # fmt: skip
    result.floor = floors[key]


def measure_shell(shells: dict, client: Client, case: Case, result: Result, args) -> None:
    """The shell of the case: its table's rows in base.html, requested by the same user in
    the same run (once per table, size and user)."""
    if not result.times_ms:
        return
    key = (floor_table(case.path), max(result.rows or 0, 1), case.username)
    if key not in shells:
        path = reverse("shell", args=key[:2])
        shells[key] = measure(client, Case(f"shell {key}", case.username, path),
                              args.repetitions, args.warmup)  # fmt: skip
    result.shell = shells[key]


def scale(args, argv: list[str]) -> None:
    """The same suite on two databases (smaller first), one after the other in
    subprocesses, and the growth of each case's median from the first to the second. With
    `--rounds N` the pair runs N times in turn (small, big, small, big, ...) and each case
    keeps its fastest round on each database, so that a slow spell of the machine during
    one run does not count as growth."""
    small_url, big_url = args.scale
    forwarded = [a for a in argv if a not in ("--markdown",)]
    i = forwarded.index("--scale")
    del forwarded[i : i + 3]
    if "--rounds" in forwarded:
        i = forwarded.index("--rounds")
        del forwarded[i : i + 2]
    runs: dict[str, list[dict]] = {small_url: [], big_url: []}
    for round_number in range(args.rounds):
        for database in (small_url, big_url):
            name = database.rsplit("/", 1)[-1]
            print(f"# round {round_number + 1}: {name} …", file=sys.stderr, flush=True)
            done = subprocess.run(
                [sys.executable, __file__, *forwarded, "--json"],
                env={**os.environ, "DATABASE_URL": database},
                capture_output=True,
                text=True,
                check=True,
            )
            runs[database].append(json.loads(done.stdout))
    small, big = (_fastest_rounds(runs[url]) for url in (small_url, big_url))
    for about in (small["about"], big["about"]):
        print("\n".join(f"{line}  " if args.markdown else f"# {line}" for line in about))
    if args.markdown:
        print()
    print(table(big["results"], args.markdown, small=small["results"]))


def _fastest_rounds(rounds: list[dict]) -> dict:
    """Per case, the result of the round with the lowest median (cases match by position)."""
    results = []
    for index, first in enumerate(rounds[0]["results"]):
        candidates = [r["results"][index] for r in rounds if r["results"][index]["median"]]
        results.append(min(candidates, key=lambda r: r["median"]) if candidates else first)
    about = rounds[0]["about"]
    if len(rounds) > 1:
        about = [*about, f"fastest of {len(rounds)} rounds per case"]
    return {"about": about, "results": results}


def describe_machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            database = f"{connection.vendor} {connection.Database.sqlite_version}"
    load = ", load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    return (
        f"{timezone.localtime():%Y-%m-%d %H:%M %Z}, {os.cpu_count()} × {cpu}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, {database}{load}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--repetitions", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--extra", action="store_true", help="also time more pages and tabs")
    parser.add_argument(
        "--desk",
        action="store_true",
        help="only the activity, deal, contract and issue pages (generate_desk.py data)",
    )
    parser.add_argument(
        "--planning",
        action="store_true",
        help="only the planning pages (generate_planning.py data)",
    )
    parser.add_argument(
        "--portfolio",
        action="store_true",
        help="only the portfolio cockpit and dashboard (also part of the default run)",
    )
    parser.add_argument("--no-desk", action="store_true", help="only the account pages")
    parser.add_argument("--account", type=int, help="group account to open (default: biggest)")
    parser.add_argument(
        "--explain", action="store_true", help="print the slowest query of each case (PG: plan)"
    )
    parser.add_argument("--traceback", action="store_true", help="log the errors of failing pages")
    parser.add_argument(
        "--scale",
        nargs=2,
        metavar=("SMALL_URL", "BIG_URL"),
        help="run on two databases (e.g. 1,000 and 10,000 accounts) and print the growth",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="with --scale: run both databases this many times in turn, keep each case's "
        "fastest round",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="TEXT",
        help="only the cases whose label contains TEXT (case-insensitive; repeatable)",
    )
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rounds < 1 or (args.rounds > 1 and not args.scale):
        parser.error("--rounds needs --scale and a number from 1")
    if args.scale:
        scale(args, list(sys.argv[1:] if argv is None else argv))
        return
    if not args.traceback:
        # A failing page is one line in the table; its traceback would drown the output.
        logging.getLogger("django.request").setLevel(logging.CRITICAL)

    if settings.DEBUG:
        print("Warning: DEBUG is on; timings will not match production.", file=sys.stderr)
    if connection.vendor != "postgresql":
        print(f"Warning: running on {connection.vendor}, not PostgreSQL.", file=sys.stderr)
    group = Account.objects.get(pk=args.account) if args.account else biggest_group()
    if args.portfolio:
        selected = portfolio_cases(args.extra)
    elif args.planning:
        selected = planning_cases(group, args.extra)
    else:
        selected = [] if args.desk else cases(group, args.extra)
        if not args.no_desk:
            selected += desk_cases(group, args.extra)
        if not (args.no_desk or args.desk):
            selected += planning_cases(group, args.extra)
            selected += portfolio_cases(args.extra)
            selected += output_cases(args.extra)
    if args.only:
        wanted = [text.lower() for text in args.only]
        selected = [c for c in selected if any(text in c.label.lower() for text in wanted)]
    names = {case.username for case in selected}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) != len(names):
        raise SystemExit("Benchmark users are missing: run benchmarks/generate.py first.")
    group_size = Account.objects.filter(path__startswith=group.path).count()

    about = [
        describe_machine(),
        f"{Account.objects.count():,} accounts; group {group.pk} {group.name!r} has "
        f"{group_size} accounts; {args.warmup} warm-ups, {args.repetitions} measured requests",
    ]
    if not args.json:
        print("\n".join(f"{line}  " if args.markdown else f"# {line}" for line in about))
        if args.markdown:
            print()
    clients: dict[str, Client] = {}
    floors: dict[tuple[str, int], Result] = {}
    shells: dict[tuple[str, int, str], Result] = {}
    results = []
    for case in selected:
        if case.username not in clients:
            clients[case.username] = Client()
            clients[case.username].force_login(users[case.username])
        results.append(measure(clients[case.username], case, args.repetitions, args.warmup))
        measure_floor(floors, case, results[-1], args)
        measure_shell(shells, clients[case.username], case, results[-1], args)
        print(f"  … {case.label}: {results[-1].status}", file=sys.stderr, flush=True)
    for client in clients.values():
        client.logout()  # removes the session rows force_login wrote
    if args.json:
        print(json.dumps({"about": about, "results": [as_row(r) for r in results]}))
        return
    print(table([as_row(r) for r in results], args.markdown))
    if args.explain:
        print(explain(results))


if __name__ == "__main__":
    main()
