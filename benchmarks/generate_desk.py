"""Add the account desk (activities, follow-ups, deals, contracts, issues, surveys) to a
benchmark database that benchmarks/generate.py has filled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench SECRET_KEY=bench \
        .venv/bin/python benchmarks/generate_desk.py [--activities 1000000 ...]

What it creates (defaults), over the "BENCH-" accounts, deterministic (fixed seed):
- 1,000,000 activities spread over the last 5 years (accounts weighted by their number of
  contacts), each with 1-2 customer participants (contacts of the account) and, for
  meetings, visits, presentations and events, 1-2 of our participants (owner, team);
- one follow-up for every activity with a next step (1 in 10, ~100,000): owned by the
  account owner (sometimes a team member), done unless due in the future (3 in 100 of
  the past ones stay open, overdue);
- 100,000 opportunities on the stages of the Stage table (about 1 in 8 open), 0-3
  competitors each from a register of 200, 0-2 product lines;
- 30,000 contracts (numbers "BENCH-C-…"), 50,000 customer issues on the departments of the
  Department table (about 1 in 20 open) and 20,000 surveys.

Rows are written with bulk_create (no history rows); the columns kept on every write
(contacts' and accounts' last contact, contracts' next notice deadline) are filled
afterwards. The timestamps the models fill themselves (auto_now / auto_now_add:
created_at, updated_at) are set to plausible dates instead: the script switches those
flags off on its own copies of the fields for the duration of the run. It refuses to run
when there are no benchmark accounts and when desk data is already there (drop the
database and run generate.py again). On PostgreSQL it ends with VACUUM ANALYZE of the
tables it filled.
"""

import argparse
import os
import random
import sys
import time
from bisect import bisect_right
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Account, Contact, ProductLine, TeamMembership  # noqa: E402
from activities import services  # noqa: E402
from activities.models import Activity, FollowUp  # noqa: E402
from benchmarks.bulk import insert, keep_timestamps  # noqa: E402
from contracts.models import Contract  # noqa: E402
from contracts.services import refresh_dates  # noqa: E402
from customer_care.models import (  # noqa: E402
    DUE_DAYS_BY_SEVERITY,
    CustomerIssue,
    Department,
    Survey,
)
from deals.models import Competitor, Opportunity, OpportunityCompetitor, Stage  # noqa: E402
from users.models import User  # noqa: E402

BENCH_PREFIX = "BENCH-"
SEED = 20260202
BATCH = 5000

SUBJECTS = [
    "Jahresgespräch", "Quartalsreview", "Preisverhandlung", "Reklamation besprochen",
    "Neues Projekt vorgestellt", "Werksbesichtigung", "Rahmenvertrag", "Lieferplan 2026",
    "Technische Abstimmung", "Musterfreigabe", "Messe-Gespräch", "Budgetplanung",
    "Kick-off", "Lieferverzug geklärt", "Angebot nachgefasst", "Qualitätsaudit",
    "Strategiegespräch Einkauf", "Produktschulung", "Kostensenkungsprogramm", "Forecast",
]  # fmt: skip
NEXT_STEPS = [
    "Angebot schicken", "Termin mit Einkauf vereinbaren", "Muster liefern",
    "Preisliste aktualisieren", "Protokoll verschicken", "Rückruf Technik",
    "Referenzbesuch organisieren", "Vertragsentwurf abstimmen",
]  # fmt: skip
OUTCOMES = [
    "", "", "Positiv, Kunde prüft intern.", "Einkauf will bessere Konditionen.",
    "Bedarf für 2027 bestätigt.", "Entscheidung vertagt.", "Zusage mündlich erhalten.",
]  # fmt: skip
KINDS = [  # (kind, weight, with our participants)
    (Activity.Kind.MEETING, 20, True),
    (Activity.Kind.VISIT, 10, True),
    (Activity.Kind.CALL, 30, False),
    (Activity.Kind.EMAIL, 25, False),
    (Activity.Kind.PRESENTATION, 5, True),
    (Activity.Kind.EVENT, 3, True),
    (Activity.Kind.NOTE, 7, False),
]
DEAL_TOPICS = [
    "Ersatzteilversorgung", "Serienbelieferung", "Retrofit", "Neuanlage", "Servicevertrag",
    "Pilotprojekt", "Standorterweiterung", "Softwaremodul", "Wartungspaket", "Rollout",
]  # fmt: skip
COMPETITOR_STEMS = [
    "Apex", "Borealis", "Cobalt", "Dynamo", "Equinox", "Fortis", "Global", "Helix", "Ionic",
    "Juno", "Kappa", "Lumen", "Magnus", "Nova", "Omega", "Prime", "Quantum", "Radius",
    "Sigma", "Titan",
]  # fmt: skip
COMPETITOR_TRADES = ["Industries", "Technik", "Systems", "Solutions", "Werke", "Group",
                     "Components", "Automation", "Supply", "Partners"]  # fmt: skip
ISSUE_TITLES = [
    "Lieferung unvollständig", "Rechnung fehlerhaft", "Falsche Ware geliefert",
    "Qualitätsmangel Charge", "Anfrage Sonderanfertigung", "Ausfall beim Kunden",
    "Lieferverzug", "Dokumentation fehlt", "Zertifikat angefordert", "Preisabweichung",
    "Risiko: Rohstoffengpass", "Risiko: Standortschließung Kunde",
]  # fmt: skip


class Step:
    """Prints one line per generation step: what was created and how long it took."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def run(self, label: str, func, *args):
        start = time.perf_counter()
        result = func(*args)
        count = result if isinstance(result, int) else len(result)
        print(f"  {label:<34} {count:>10,}  {time.perf_counter() - start:6.1f} s", flush=True)
        return result

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


class Desk:
    """What the generators share: the accounts, their people and a seeded RNG."""

    def __init__(self, seed: int, years: int) -> None:
        self.rng = random.Random(seed)
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.today = timezone.localdate()
        self.start = self.now - timedelta(days=365 * years)
        self.span = (self.now - self.start).total_seconds()
        accounts = list(
            Account.objects.filter(external_id__startswith=BENCH_PREFIX)
            .order_by("pk")
            .values_list("pk", "owner_id")
        )
        self.account_ids = [pk for pk, _owner in accounts]
        self.owner = dict(accounts)
        self.contacts: dict[int, list[int]] = defaultdict(list)
        for pk, account_id in Contact.objects.order_by("pk").values_list("pk", "account_id"):
            self.contacts[account_id].append(pk)
        self.team: dict[int, list[int]] = defaultdict(list)
        for account_id, user_id in TeamMembership.objects.order_by("pk").values_list(
            "account_id", "user_id"
        ):
            self.team[account_id].append(user_id)
        # Busier accounts have more contacts (group roots about three times as many).
        self.cum_weights = list(
            accumulate(max(len(self.contacts[pk]), 1) for pk in self.account_ids)
        )
        self.head_id = User.objects.get(username="bench_head").pk

    def accounts(self, k: int) -> list[int]:
        """k account ids, weighted by contacts, in a fixed order."""
        rng, ids, cum = self.rng, self.account_ids, self.cum_weights
        total = cum[-1]
        return [ids[bisect_right(cum, rng.random() * total)] for _ in range(k)]

    def moment(self, recent_bias: float = 0.0) -> datetime:
        """A time in the last `years`, on a working day between 7:00 and 18:00 UTC;
        recent_bias > 0 leans towards the present."""
        x = self.rng.random()
        if recent_bias:
            x = x ** (1 / (1 + recent_bias))
        when = self.start + timedelta(seconds=x * self.span)
        if when.weekday() >= 5:
            when -= timedelta(days=when.weekday() - 4)
        when = when.replace(
            hour=7 + int(self.rng.random() * 11),
            minute=self.rng.choice((0, 15, 30, 45)),
            second=0,
            microsecond=0,
        )
        while when > self.now:  # nothing in the future
            when -= timedelta(days=1)
        return when

    def after(self, when: datetime, max_hours: int) -> datetime:
        """A moment up to max_hours after `when`, not in the future."""
        return min(when + timedelta(hours=self.rng.randint(0, max_hours)), self.now)

    def responsible(self, account_id: int, owner_share: float = 0.8) -> int:
        """The account owner, or now and then someone from its team."""
        team = self.team.get(account_id)
        if team and self.rng.random() > owner_share:
            return self.rng.choice(team)
        return self.owner[account_id]


def without_auto_timestamps():
    """Lets bulk_create keep the created_at/updated_at values the script sets (only the
    field objects in this process are changed, for this run)."""
    keep_timestamps((Activity, FollowUp, Opportunity, Competitor, Contract, CustomerIssue, Survey))


def money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def make_activities(desk: Desk, total: int, counts: dict) -> int:
    rng = desk.rng
    kinds = [k for k, _w, _u in KINDS]
    kind_cum = list(accumulate(w for _k, w, _u in KINDS))
    with_users = {k for k, _w, u in KINDS if u}
    contact_through = Activity.contacts.through
    user_through = Activity.users.through
    created = links_c = links_u = follow_ups = 0
    while created < total:
        size = min(BATCH, total - created)
        batch = []
        for account_id in desk.accounts(size):
            kind = rng.choices(kinds, cum_weights=kind_cum)[0]
            when = desk.moment()
            owner = desk.owner[account_id]
            author = desk.responsible(account_id, 0.7)
            has_next = rng.random() < 0.1
            step_owner = desk.responsible(account_id) if has_next else None
            due = (when + timedelta(days=rng.randint(3, 30))).date() if has_next else None
            batch.append(
                Activity(
                    account_id=account_id,
                    kind=kind,
                    occurred_at=when,
                    duration_minutes=rng.choice((15, 30, 45, 60, 90, 120))
                    if kind != Activity.Kind.NOTE
                    else None,
                    location="Beim Kunden" if kind == Activity.Kind.VISIT else "",
                    subject=rng.choice(SUBJECTS),
                    notes="Besprochen: Mengen, Termine, Preise. " * rng.randint(0, 4),
                    outcome=rng.choice(OUTCOMES),
                    next_step=rng.choice(NEXT_STEPS) if has_next else "",
                    next_step_owner_id=step_owner,
                    next_step_due_on=due,
                    created_by_id=author if rng.random() < 0.95 else owner,
                    created_at=desk.after(when, 48),
                    updated_at=desk.after(when, 48),
                )
            )
        insert(batch)
        c_links, u_links, f_ups = [], [], []
        for activity in batch:
            pool = desk.contacts.get(activity.account_id, ())
            if pool:
                picked = rng.sample(pool, min(len(pool), rng.choice((1, 1, 2))))
                c_links += [contact_through(activity_id=activity.pk, contact_id=c) for c in picked]
            if activity.kind in with_users:
                people = {activity.created_by_id, desk.owner[activity.account_id]}
                if rng.random() < 0.5:
                    people = {activity.created_by_id}
                u_links += [user_through(activity_id=activity.pk, user_id=u) for u in people if u]
            if activity.next_step:
                due = activity.next_step_due_on
                done = due < desk.today and rng.random() > 0.03
                due_at = timezone.make_aware(datetime.combine(due, datetime.min.time()))
                done_at = desk.after(due_at - timedelta(hours=72), 144) if done else None
                f_ups.append(
                    FollowUp(
                        account_id=activity.account_id,
                        title=activity.next_step,
                        owner_id=activity.next_step_owner_id,
                        due_on=due,
                        activity_id=activity.pk,
                        created_by_id=activity.created_by_id,
                        created_at=activity.created_at,
                        done_at=done_at,
                        done_by_id=activity.next_step_owner_id if done else None,
                    )
                )
        insert(c_links)
        insert(u_links)
        insert(f_ups)
        created += size
        links_c += len(c_links)
        links_u += len(u_links)
        follow_ups += len(f_ups)
    counts.update(contact_links=links_c, user_links=links_u, follow_ups=follow_ups)
    return created


def make_loose_follow_ups(desk: Desk, total: int) -> int:
    """Follow-ups from surveys, issues and reviews (no activity), mostly recent."""
    rng = desk.rng
    objs = []
    for account_id in desk.accounts(total):
        created = desk.moment(recent_bias=2)
        due = (created + timedelta(days=rng.randint(1, 45))).date()
        done = due < desk.today and rng.random() > 0.05
        owner = desk.responsible(account_id)
        objs.append(
            FollowUp(
                account_id=account_id,
                title=rng.choice(("Detraktor anrufen", "Reklamation nachfassen",
                                  "Jahresgespräch vorbereiten")),
                owner_id=owner,
                due_on=due,
                source=rng.choice(("survey", "issue", "review")),
                created_by_id=owner,
                created_at=created,
                done_at=desk.after(created, 24 * 40) if done else None,
                done_by_id=owner if done else None,
            )
        )  # fmt: skip
    insert(objs)
    return len(objs)


def make_competitors(desk: Desk, total: int) -> list[int]:
    names = [f"{stem} {trade}" for trade in COMPETITOR_TRADES for stem in COMPETITOR_STEMS]
    objs = [
        Competitor(
            name=f"{name} ({BENCH_PREFIX}{n})",
            website=f"https://www.example-{n}.com",
            created_at=desk.start,
        )
        for n, name in enumerate(names[:total])
    ]
    insert(objs)
    return [c.pk for c in objs]


def make_opportunities(desk: Desk, total: int, competitor_ids: list[int], counts: dict) -> int:
    rng = desk.rng
    stages = {s.key: s for s in Stage.objects.all()}
    open_stages = [s for s in stages.values() if not s.is_won and not s.is_lost]
    won = [s for s in stages.values() if s.is_won]
    lost = [s for s in stages.values() if s.is_lost]
    if not open_stages or not won or not lost:
        raise SystemExit("The Stage table needs open, won and lost stages (run migrate).")
    open_stages.sort(key=lambda s: s.order)
    open_cum = list(accumulate(range(len(open_stages), 0, -1)))  # earlier stages fuller
    product_lines = list(ProductLine.objects.order_by("pk").values_list("pk", flat=True))
    pl_through = Opportunity.product_lines.through
    positions = [p for p, _label in OpportunityCompetitor.Position.choices]
    made = links = pls = 0
    while made < total:
        size = min(BATCH, total - made)
        batch = []
        for account_id in desk.accounts(size):
            created = desk.moment()
            age_days = (desk.now - created).days
            # Old deals are closed; about 1 in 8 of all stays open.
            if age_days < 400 and rng.random() < 0.6:
                stage = rng.choices(open_stages, cum_weights=open_cum)[0]
            else:
                stage = rng.choice(won) if rng.random() < 0.4 else rng.choice(lost)
            closed = stage.is_won or stage.is_lost
            expected = (created + timedelta(days=rng.randint(30, 360))).date()
            closed_on = min(expected, desk.today) if closed else None
            if not closed and expected < desk.today and rng.random() < 0.7:
                expected = desk.today + timedelta(days=rng.randint(0, 270))
            value = money(rng.lognormvariate(11, 1.1))
            has_follow_up = not closed and rng.random() < 0.6
            batch.append(
                Opportunity(
                    account_id=account_id,
                    title=f"{rng.choice(DEAL_TOPICS)} {created.year}",
                    value=value,
                    expected_margin=money(float(value) * rng.uniform(0.1, 0.35)),
                    stage_id=stage.pk,
                    probability=stage.default_probability,
                    expected_close_date=expected,
                    next_follow_up_on=desk.today + timedelta(days=rng.randint(-20, 40))
                    if has_follow_up
                    else None,
                    next_follow_up_action="Nachfassen beim Einkauf" if has_follow_up else "",
                    close_reason=("Preis und Lieferzeit überzeugten" if stage.is_won
                                  else "Wettbewerber günstiger") if closed else "",
                    owner_id=desk.responsible(account_id, 0.85),
                    closed_on=closed_on,
                    created_at=created,
                    updated_at=desk.after(created, 24 * 60),
                )
            )  # fmt: skip
        insert(batch)
        c_links, p_links = [], []
        for opportunity in batch:
            for competitor in rng.sample(competitor_ids, rng.choice((0, 0, 1, 1, 2, 3))):
                c_links.append(
                    OpportunityCompetitor(
                        opportunity_id=opportunity.pk,
                        competitor_id=competitor,
                        position=rng.choice(positions),
                    )
                )
            for pl in rng.sample(product_lines, min(len(product_lines), rng.choice((0, 1, 1, 2)))):
                p_links.append(pl_through(opportunity_id=opportunity.pk, productline_id=pl))
        insert(c_links)
        insert(p_links)
        made += size
        links += len(c_links)
        pls += len(p_links)
    counts.update(competitor_links=links, product_line_links=pls)
    return made


def make_contracts(desk: Desk, total: int) -> int:
    rng = desk.rng
    objs = []
    per_account: dict[int, int] = defaultdict(int)
    kinds = [k for k, _label in Contract.Kind.choices]
    for account_id in desk.accounts(total):
        per_account[account_id] += 1
        start = (desk.moment() - timedelta(days=rng.randint(0, 3 * 365))).date()
        open_ended = rng.random() < 0.15
        months = rng.choice((12, 24, 36, 48, 60))
        end = None if open_ended else start + timedelta(days=round(months * 30.44))
        auto = not open_ended and rng.random() < 0.5
        if rng.random() < 0.04:
            status = Contract.Status.DRAFT
        elif end and end < desk.today and not auto:
            status = Contract.Status.EXPIRED
        elif rng.random() < 0.08:
            status = Contract.Status.TERMINATED
        elif rng.random() < 0.06:
            status = Contract.Status.RENEGOTIATION
        else:
            status = Contract.Status.ACTIVE
        created = timezone.make_aware(datetime.combine(start, datetime.min.time()))
        objs.append(
            Contract(
                account_id=account_id,
                number=f"{BENCH_PREFIX}C-{account_id}-{per_account[account_id]}",
                title=f"{rng.choice(('Rahmenvertrag', 'Liefervertrag', 'Servicevertrag'))} "
                f"{start.year}",
                kind=rng.choice(kinds),
                start_on=start,
                end_on=end,
                notice_period_months=rng.choice((1, 3, 3, 3, 6, 12)),
                auto_renewal=auto,
                renewal_term_months=rng.choice((12, 12, 24)),
                annual_value=money(rng.lognormvariate(12, 1)),
                status=status,
                terminated_on=(
                    min(desk.today, start + timedelta(days=rng.randint(90, 700)))
                    if status == Contract.Status.TERMINATED
                    else None
                ),
                owner_id=desk.responsible(account_id, 0.9),
                created_at=created,
                updated_at=created,
            )
        )
    insert(objs)
    return len(objs)


def make_issues(desk: Desk, total: int) -> int:
    rng = desk.rng
    departments = list(Department.objects.order_by("pk").values_list("pk", flat=True))
    if not departments:
        raise SystemExit("The Department table is empty (run migrate).")
    kinds = [k for k, _label in CustomerIssue.Kind.choices]
    severities = ["low", "medium", "medium", "high", "critical"]
    open_statuses = list(CustomerIssue.OPEN_STATUSES)
    objs = []
    for account_id in desk.accounts(total):
        opened = desk.moment(recent_bias=0.5)
        severity = rng.choice(severities)
        due = opened.date() + timedelta(days=DUE_DAYS_BY_SEVERITY[severity])
        age = (desk.now - opened).days
        is_open = rng.random() < (0.6 if age < 30 else 0.02)
        status = rng.choice(open_statuses) if is_open else rng.choice(("resolved", "closed"))
        resolved = None if is_open else opened + timedelta(hours=rng.randint(2, 24 * 30))
        owner = desk.responsible(account_id, 0.6)
        objs.append(
            CustomerIssue(
                account_id=account_id,
                title=rng.choice(ISSUE_TITLES),
                description="Kunde meldet: " + rng.choice(ISSUE_TITLES),
                kind=rng.choice(kinds),
                severity=severity,
                department_id=rng.choice(departments),
                owner_id=owner,
                opened_at=opened,
                due_on=due,
                status=status,
                resolution="" if is_open else "Ursache behoben, Kunde informiert.",
                resolved_at=min(resolved, desk.now) if resolved else None,
                escalated=rng.random() < 0.05,
                created_by_id=owner,
                updated_at=resolved or opened,
            )
        )
    insert(objs)
    return len(objs)


def make_surveys(desk: Desk, total: int) -> int:
    rng = desk.rng
    methods = [m for m, _label in Survey.Method.choices]
    objs = []
    for account_id in desk.accounts(total):
        when = desk.moment()
        contacts = desk.contacts.get(account_id)
        nps = rng.choice((None, *range(11), 8, 9, 9, 10))
        csat = rng.choice((None, 1, 2, 3, 4, 4, 5, 5)) if nps is not None else rng.randint(1, 5)
        objs.append(
            Survey(
                account_id=account_id,
                contact_id=rng.choice(contacts) if contacts and rng.random() < 0.8 else None,
                surveyed_on=when.date(),
                method=rng.choice(methods),
                nps=nps,
                csat=csat,
                comment=rng.choice(("", "", "Lieferzeiten verbessern.", "Sehr zufrieden.")),
                recorded_by_id=desk.owner[account_id],
                created_at=when,
            )
        )
    insert(objs)
    return len(objs)


TABLES = [
    Activity, Activity.contacts.through, Activity.users.through, FollowUp, Competitor,
    Opportunity, OpportunityCompetitor, Opportunity.product_lines.through, Contract,
    CustomerIssue, Survey, Contact, Account,
]  # fmt: skip


def fill_last_contacted() -> int:
    """bulk_create bypasses the services that keep `last_contacted_at`: fill it once.
    The freshly loaded tables have no statistics yet; without them the planner scans the
    whole participants table once per contact (minutes instead of seconds)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Activity, Activity.contacts.through, Contact, Account):
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    services.refresh_last_contacted()
    return Contact.objects.filter(last_contacted_at__isnull=False).count()


def fill_next_notice() -> int:
    """bulk_create bypasses Contract.save(), which keeps `next_notice_on`: fill it once."""
    refresh_dates(contracts=Contract.objects.all(), today=timezone.localdate())
    return Contract.objects.filter(next_notice_on__isnull=False).count()


def check_database() -> None:
    if not Account.objects.filter(external_id__startswith=BENCH_PREFIX).exists():
        raise SystemExit("No benchmark accounts: run benchmarks/generate.py first.")
    if not User.objects.filter(username="bench_head").exists():
        raise SystemExit("No benchmark users: run benchmarks/generate.py first.")
    bench = {"account__external_id__startswith": BENCH_PREFIX}
    if (
        Competitor.objects.filter(name__contains=f"({BENCH_PREFIX}").exists()
        or Activity.objects.filter(**bench).exists()
        or Opportunity.objects.filter(**bench).exists()
        or Contract.objects.filter(**bench).exists()
        or CustomerIssue.objects.filter(**bench).exists()
    ):
        raise SystemExit(
            "Benchmark desk data is already there. Drop and recreate the database, then run "
            "generate.py and generate_desk.py again."
        )


def vacuum_analyze() -> int:
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
    return len(TABLES)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument(
        "--loose-follow-ups",
        type=int,
        default=10_000,
        help="follow-ups without an activity (on top of 1 in 10 activities)",
    )
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--competitors", type=int, default=200)
    parser.add_argument("--contracts", type=int, default=30_000)
    parser.add_argument("--issues", type=int, default=50_000)
    parser.add_argument("--surveys", type=int, default=20_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if not 1 <= args.competitors <= len(COMPETITOR_STEMS) * len(COMPETITOR_TRADES):
        parser.error("--competitors must be between 1 and 200")

    check_database()
    without_auto_timestamps()
    steps = Step()
    db = connection.settings_dict
    print(f"Generating desk data in {connection.vendor} database {db['NAME']!r} "
          f"(seed {args.seed}):", flush=True)  # fmt: skip
    desk = Desk(args.seed, args.years)
    print(f"  loaded {len(desk.account_ids):,} accounts, their contacts and teams "
          f"({steps.total:.1f} s)", flush=True)  # fmt: skip
    counts: dict[str, int] = {}
    with transaction.atomic():
        steps.run("activities (+participants, +f-ups)", make_activities, desk, args.activities,
                  counts)  # fmt: skip
        print(f"    {counts['contact_links']:,} contact and {counts['user_links']:,} user "
              f"participants, {counts['follow_ups']:,} follow-ups", flush=True)  # fmt: skip
        steps.run("contacts with a last contact", fill_last_contacted)
        steps.run("follow-ups without activity", make_loose_follow_ups, desk,
                  args.loose_follow_ups)  # fmt: skip
        competitors = steps.run("competitors", make_competitors, desk, args.competitors)
        steps.run("opportunities (+links)", make_opportunities, desk, args.opportunities,
                  competitors, counts)  # fmt: skip
        print(f"    {counts['competitor_links']:,} competitor and "
              f"{counts['product_line_links']:,} product line links", flush=True)  # fmt: skip
        steps.run("contracts", make_contracts, desk, args.contracts)
        steps.run("contracts with a notice deadline", fill_next_notice)
        steps.run("customer issues", make_issues, desk, args.issues)
        steps.run("surveys", make_surveys, desk, args.surveys)
    if connection.vendor == "postgresql":
        steps.run("vacuum analyze", vacuum_analyze)

    kam0 = User.objects.get(username="bench_kam_0")
    mine = {"account__owner": kam0}
    print(
        f"Done in {steps.total:.1f} s. bench_kam_0 ({Account.objects.filter(owner=kam0).count()} "
        f"accounts): {Activity.objects.filter(**mine).count():,} activities, "
        f"{FollowUp.objects.filter(owner=kam0, done_at__isnull=True).count()} open follow-ups, "
        f"{Opportunity.objects.filter(**mine, stage__is_won=False, stage__is_lost=False).count()}"
        f" open opportunities, {Contract.objects.filter(**mine).count()} contracts, "
        f"{CustomerIssue.objects.filter(**mine).count()} issues."
    )


if __name__ == "__main__":
    main()
