"""Add planning data (account plans, action plans, coaching plans, business cases) to a
benchmark database that benchmarks/generate.py (and usually generate_desk.py) has filled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench SECRET_KEY=bench \
        .venv/bin/python benchmarks/generate_planning.py [--share 0.6 ...]

What it creates (defaults), over the "BENCH-" accounts, deterministic (fixed seed):
- an account plan for this year and the previous one for 60% of the accounts (the same
  accounts both years): this year's mostly active, some drafts, a few archived; last
  year's mostly archived. About 15% of the plans were last reviewed more than
  PLAN_STALE_DAYS (90) days ago or never (and created before that), so the "stale plans"
  list has rows; the others were reviewed within the last 90 days;
- 2-5 objectives per planned account and year, owned by the account owner, kinds mixed
  (revenue 40%, margin 15%, share of wallet, new market, relationship, other). Revenue and
  margin objectives get a target of 75-140% of the account's YearlyFigures revenue or
  margin of that year, so that the forecast verdicts (on track / at risk / off track)
  vary;
- 2-4 actions per objective, owned by the account owner, due over the objective's year:
  past ones mostly done, about 1 in 5 still open (overdue); future ones open;
- an adjustment (target value or due date, with a reason) for about 1 in 8 objectives;
- coaching plans for 200 planned accounts (1-3 team members as sales reps) and business
  cases for 300 (2-3 scenarios each, linked to an opportunity of the account when there
  is one).
The whitespace matrix (BusinessUnit, WhitespaceCell) is left empty.

Rows are written with bulk_create (no history rows). The timestamps the models fill
themselves (created_at, updated_at, changed_at) are set to plausible dates instead: the
script switches auto_now/auto_now_add off on its own copies of the fields for the run.
It refuses to run without benchmark accounts and when planning data for benchmark
accounts is already there. It stores the objectives' forecast (the columns the Plans page
filters on, planning.action_plan.forecast_store) and, on PostgreSQL, ends with VACUUM
ANALYZE of the tables it filled.
"""

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Account, TeamMembership, YearlyFigures  # noqa: E402
from benchmarks.bulk import insert, keep_timestamps  # noqa: E402
from deals.models import Opportunity  # noqa: E402
from planning.action_plan.forecast_store import refresh_forecasts  # noqa: E402
from planning.models import (  # noqa: E402
    AccountPlan,
    Action,
    BusinessCase,
    CoachingPlan,
    Objective,
    ObjectiveAdjustment,
    Scenario,
)
from users.models import User  # noqa: E402

BENCH_PREFIX = "BENCH-"
SEED = 20260303
BATCH = 5000

KINDS = [  # (kind, weight)
    (Objective.Kind.REVENUE, 40),
    (Objective.Kind.MARGIN, 15),
    (Objective.Kind.SHARE_OF_WALLET, 15),
    (Objective.Kind.NEW_MARKET, 10),
    (Objective.Kind.RELATIONSHIP, 12),
    (Objective.Kind.OTHER, 8),
]
OBJECTIVE_TITLES = {
    Objective.Kind.REVENUE: ["Umsatz {y} steigern", "Umsatzziel {y}", "Wachstum Kernsortiment {y}"],
    Objective.Kind.MARGIN: ["Deckungsbeitrag {y} sichern", "Marge verbessern {y}"],
    Objective.Kind.SHARE_OF_WALLET: ["Lieferanteil erhöhen", "Share of Wallet ausbauen"],
    Objective.Kind.NEW_MARKET: ["Einstieg Standort Osteuropa", "Neuer Geschäftsbereich",
                                "Markteintritt Service"],
    Objective.Kind.RELATIONSHIP: ["Kontakt zur Geschäftsführung aufbauen",
                                  "Einkaufsleitung als Sponsor gewinnen"],
    Objective.Kind.OTHER: ["Rahmenvertrag verlängern", "Lieferantenaudit bestehen"],
}  # fmt: skip
ACTION_TITLES = [
    "Jahresgespräch führen", "Angebot Serienbelieferung", "Werksbesichtigung organisieren",
    "Referenzbesuch vereinbaren", "Preisgespräch Einkauf", "Technik-Workshop",
    "Musterlieferung", "Business Case vorstellen", "Entscheider-Mapping aktualisieren",
    "Quartalsreview vorbereiten", "Rahmenvertrag entwerfen", "Schulung beim Kunden",
]  # fmt: skip
REASONS = [
    "Budget des Kunden gekürzt.", "Projekt verschoben auf Q3.", "Neuer Standort kommt dazu.",
    "Forecast nach Quartalsreview angepasst.", "Einkauf hat Volumen bestätigt.",
]  # fmt: skip
PLAN_TEXT = {
    "business_goals": "Umsatz im Kernsortiment ausbauen.\nServicegeschäft etablieren.",
    "customer_goals": "Kosten je Einheit senken.\nLieferfähigkeit sichern.",
    "strategies": "Mehr Präsenz bei der Technik, Entscheider früh einbinden.",
    "growth_opportunities": "Zweiter Standort, Ersatzteile, Retrofit.",
    "obstacles": "Preisdruck, Wettbewerber mit Rahmenvertrag.",
    "strengths": "Qualität\nLiefertreue\nTechnischer Service",
    "weaknesses": "Preisniveau\nReaktionszeit Angebote",
    "opportunities": "Neue Produktlinie\nKonsolidierung der Lieferanten",
    "threats": "Wettbewerber aus Asien\nBudgetkürzungen",
}


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


def money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def without_auto_timestamps():
    """Lets bulk_create keep the created_at/updated_at/changed_at values the script sets."""
    keep_timestamps((AccountPlan, Objective, Action, ObjectiveAdjustment, CoachingPlan,
                     BusinessCase))  # fmt: skip


class Planning:
    """What the generators share: the accounts, their owners and figures, a seeded RNG."""

    def __init__(self, seed: int, share: float) -> None:
        self.rng = random.Random(seed)
        self.now = timezone.now().replace(minute=0, second=0, microsecond=0)
        self.today = timezone.localdate()
        self.year = self.today.year
        self.years = (self.year - 1, self.year)
        self.head_id = User.objects.get(username="bench_head").pk
        accounts = list(
            Account.objects.filter(external_id__startswith=BENCH_PREFIX)
            .order_by("pk")
            .values_list("pk", "owner_id")
        )
        self.owner = {pk: owner or self.head_id for pk, owner in accounts}
        self.planned = [pk for pk, _owner in accounts if self.rng.random() < share]
        self.figures: dict[tuple[int, int], tuple[Decimal, Decimal]] = {
            (account_id, year): (revenue, margin)
            for account_id, year, revenue, margin in YearlyFigures.objects.filter(
                year__in=self.years, account_id__in=self.owner
            ).values_list("account_id", "year", "revenue", "contribution_margin")
        }
        self.team: dict[int, list[int]] = defaultdict(list)
        for account_id, user_id in TeamMembership.objects.order_by("pk").values_list(
            "account_id", "user_id"
        ):
            self.team[account_id].append(user_id)

    def moment(self, start: datetime, end: datetime) -> datetime:
        """A time between start and end (not in the future), on the hour, working hours."""
        end = min(end, self.now)
        if end <= start:
            return end
        when = start + timedelta(seconds=self.rng.random() * (end - start).total_seconds())
        return min(when.replace(hour=7 + self.rng.randint(0, 10), minute=0, second=0,
                                microsecond=0), self.now)  # fmt: skip

    def day_in(self, year: int) -> date:
        return date(year, 1, 1) + timedelta(days=self.rng.randint(0, 364))


def make_plans(p: Planning) -> list[AccountPlan]:
    rng = p.rng
    stale_days = settings.PLAN_STALE_DAYS
    cutoff = p.now - timedelta(days=stale_days)
    objs = []
    for account_id in p.planned:
        owner = p.owner[account_id]
        for year in p.years:
            current = year == p.year
            if current:
                status = rng.choices(
                    (AccountPlan.Status.ACTIVE, AccountPlan.Status.DRAFT,
                     AccountPlan.Status.ARCHIVED), (70, 25, 5))[0]  # fmt: skip
            else:
                status = rng.choices(
                    (AccountPlan.Status.ARCHIVED, AccountPlan.Status.ACTIVE), (75, 25)
                )[0]
            year_start = datetime(year - 1, 11, 1, tzinfo=timezone.get_current_timezone())
            created = p.moment(year_start, year_start + timedelta(days=120))
            x = rng.random()
            if x < 0.08:  # stale: never reviewed, created before the cut-off
                reviewed = None
                created = min(created, cutoff - timedelta(days=rng.randint(1, 60)))
            elif x < 0.15:  # stale: last review older than the cut-off
                reviewed = p.moment(created, cutoff - timedelta(days=1))
            elif x < 0.18 and current:  # a fresh draft, never reviewed yet
                reviewed = None
                created = p.moment(p.now - timedelta(days=stale_days - 5), p.now)
            else:  # reviewed within the last 90 days
                reviewed = p.moment(max(created, cutoff + timedelta(days=1)), p.now)
            objs.append(
                AccountPlan(
                    account_id=account_id,
                    year=year,
                    status=status,
                    **PLAN_TEXT,
                    last_reviewed_at=reviewed,
                    last_reviewed_by_id=owner if reviewed else None,
                    created_by_id=owner,
                    created_at=created,
                    updated_at=reviewed or created,
                )
            )
    insert(objs)
    return objs


def _objective_status(p: Planning, year: int, due: date) -> str:
    rng, S = p.rng, Objective.Status
    if year < p.year:
        return rng.choices((S.ACHIEVED, S.MISSED, S.DROPPED, S.IN_PROGRESS), (55, 30, 10, 5))[0]
    if due < p.today:
        return rng.choices((S.ACHIEVED, S.MISSED, S.IN_PROGRESS, S.OPEN), (40, 10, 35, 15))[0]
    return rng.choices((S.OPEN, S.IN_PROGRESS, S.ACHIEVED, S.DROPPED), (45, 45, 5, 5))[0]


def make_objectives(p: Planning, plans: list[AccountPlan]) -> list[Objective]:
    rng = p.rng
    kinds = [k for k, _w in KINDS]
    weights = [w for _k, w in KINDS]
    objs = []
    for plan in plans:
        account_id, year = plan.account_id, plan.year
        revenue, margin = p.figures.get((account_id, year), (Decimal(0), Decimal(0)))
        for _ in range(rng.randint(2, 5)):
            kind = rng.choices(kinds, weights)[0]
            if kind == Objective.Kind.REVENUE:
                target = money(max(float(revenue), 50_000) * rng.uniform(0.75, 1.4))
            elif kind == Objective.Kind.MARGIN:
                target = money(max(float(margin), 10_000) * rng.uniform(0.75, 1.4))
            elif kind == Objective.Kind.SHARE_OF_WALLET:
                target = money(rng.choice((25, 30, 40, 50, 60)))
            else:
                target = None
            due = rng.choice((date(year, 3, 31), date(year, 6, 30), date(year, 9, 30),
                              date(year, 12, 31), p.day_in(year)))  # fmt: skip
            created = plan.created_at + timedelta(days=rng.randint(0, 30))
            objs.append(
                Objective(
                    account_id=account_id,
                    year=year,
                    kind=kind,
                    title=rng.choice(OBJECTIVE_TITLES[kind]).format(y=year),
                    target_value=target,
                    owner_id=p.owner[account_id],
                    due_on=due,
                    status=_objective_status(p, year, due),
                    created_at=min(created, p.now),
                    updated_at=min(created + timedelta(days=rng.randint(0, 200)), p.now),
                )
            )
    insert(objs)
    return objs


def make_actions(p: Planning, objectives: list[Objective]) -> int:
    rng, S = p.rng, Action.Status
    objs = []
    for objective in objectives:
        owner = p.owner[objective.account_id]
        for _ in range(rng.randint(2, 4)):
            due = p.day_in(objective.year)
            if due < p.today:  # past: mostly done, some still open (overdue)
                overdue_share = 20 if objective.year == p.year else 4
                status = rng.choices((S.DONE, S.OPEN, S.IN_PROGRESS, S.DROPPED),
                                     (76 - overdue_share, overdue_share * 0.6,
                                      overdue_share * 0.4, 4))[0]  # fmt: skip
            else:
                status = rng.choices((S.OPEN, S.IN_PROGRESS, S.DONE), (60, 30, 10))[0]
            done_on = None
            if status == S.DONE:
                done_on = min(due + timedelta(days=rng.randint(-20, 10)), p.today)
            created = objective.created_at + timedelta(days=rng.randint(0, 20))
            objs.append(
                Action(
                    objective_id=objective.pk,
                    title=rng.choice(ACTION_TITLES),
                    owner_id=owner,
                    due_on=due,
                    status=status,
                    done_on=done_on,
                    created_at=min(created, p.now),
                )
            )
            if len(objs) >= BATCH:
                insert(objs)
                make_actions.count += len(objs)
                objs = []
    insert(objs)
    make_actions.count += len(objs)
    return make_actions.count


make_actions.count = 0


def make_adjustments(p: Planning, objectives: list[Objective]) -> int:
    rng = p.rng
    objs = []
    for objective in objectives:
        if rng.random() >= 0.125:
            continue
        changed = objective.created_at + timedelta(days=rng.randint(10, 250))
        changed = min(changed, p.now)
        if objective.target_value is not None and rng.random() < 0.6:
            field = "target_value"
            old = money(float(objective.target_value) * rng.uniform(0.85, 1.2))
            old_value, new_value = str(old), str(objective.target_value)
        else:
            field = "due_on"
            old_value = str(objective.due_on - timedelta(days=rng.choice((30, 60, 90))))
            new_value = str(objective.due_on)
        objs.append(
            ObjectiveAdjustment(
                objective_id=objective.pk,
                field=field,
                old_value=old_value,
                new_value=new_value,
                reason=rng.choice(REASONS),
                changed_by_id=objective.owner_id,
                changed_at=changed,
            )
        )
    insert(objs)
    return len(objs)


def make_coaching(p: Planning, count: int) -> int:
    rng = p.rng
    accounts = rng.sample(p.planned, min(count, len(p.planned)))
    plans, reps = [], []
    for account_id in accounts:
        created = p.moment(p.now - timedelta(days=700), p.now)
        plans.append(
            CoachingPlan(
                account_id=account_id,
                title=f"Coaching {rng.choice(('Einkauf', 'Technik', 'Service', 'Messe'))}",
                measures="Gesprächsleitfaden nutzen.\nBesuchsbericht binnen 48 h.",
                topics="Neue Produktlinie, Preisargumentation, Wettbewerb.",
                dos_and_donts="Keine Rabattzusagen ohne Freigabe.",
                created_by_id=p.owner[account_id],
                created_at=created,
                updated_at=created,
            )
        )
    insert(plans)
    through = CoachingPlan.reps.through
    for plan in plans:
        team = p.team.get(plan.account_id, [])
        for user_id in rng.sample(team, min(len(team), rng.randint(1, 3))):
            reps.append(through(coachingplan_id=plan.pk, user_id=user_id))
    insert(reps)
    return len(plans)


def make_business_cases(p: Planning, count: int) -> int:
    rng = p.rng
    accounts = rng.sample(p.planned, min(count, len(p.planned)))
    deals: dict[int, list[int]] = defaultdict(list)
    for pk, account_id in (
        Opportunity.objects.filter(account_id__in=accounts).order_by("pk").values_list(
            "pk", "account_id"
        )
    ):  # fmt: skip
        deals[account_id].append(pk)
    cases = []
    for account_id in accounts:
        options = deals.get(account_id)
        cases.append(
            BusinessCase(
                account_id=account_id,
                opportunity_id=rng.choice(options) if options and rng.random() < 0.7 else None,
                title=rng.choice(
                    (
                        "Retrofit Linie 2",
                        "Servicevertrag",
                        "Upgrade Steuerung",
                        "Konsolidierung Lieferanten",
                    )
                ),
                horizon_years=rng.choice((3, 3, 5, 5, 7, 10)),
                created_by_id=p.owner[account_id],
                created_at=p.moment(p.now - timedelta(days=700), p.now),
            )
        )
    insert(cases)
    scenarios = []
    for case in cases:
        volume = rng.choice((1_000, 5_000, 20_000, 100_000))
        price = rng.uniform(5, 500)
        for position, name in enumerate(("Heute", "Upgrade", "Upgrade + Service")[
            : rng.randint(2, 3)
        ]):  # fmt: skip
            scenarios.append(
                Scenario(
                    case_id=case.pk,
                    name=name,
                    yearly_volume=money(volume),
                    unit_price=money(price),
                    process_cost=money(volume * price * rng.uniform(0.05, 0.2) + 120_000),
                    price_change_pct=money(0 if position == 0 else rng.uniform(-5, 8)),
                    volume_change_pct=money(0 if position == 0 else rng.uniform(0, 15)),
                    one_off_cost=money(0 if position == 0 else rng.uniform(10_000, 250_000)),
                    yearly_saving=money(0 if position == 0 else rng.uniform(5_000, 120_000)),
                    margin_pct=money(rng.uniform(18, 40)),
                    position=position,
                )
            )
    insert(scenarios)
    return len(cases)


TABLES = [AccountPlan, Objective, Action, ObjectiveAdjustment, CoachingPlan,
          CoachingPlan.reps.through, BusinessCase, Scenario]  # fmt: skip


def check_database() -> None:
    if not Account.objects.filter(external_id__startswith=BENCH_PREFIX).exists():
        raise SystemExit("No benchmark accounts: run benchmarks/generate.py first.")
    if not User.objects.filter(username="bench_head").exists():
        raise SystemExit("No benchmark users: run benchmarks/generate.py first.")
    bench = {"account__external_id__startswith": BENCH_PREFIX}
    if (
        AccountPlan.objects.filter(**bench).exists()
        or Objective.objects.filter(**bench).exists()
        or CoachingPlan.objects.filter(**bench).exists()
        or BusinessCase.objects.filter(**bench).exists()
    ):
        raise SystemExit(
            "Benchmark planning data is already there. Drop and recreate the database, then "
            "run generate.py, generate_desk.py and generate_planning.py again."
        )


def vacuum_analyze() -> int:
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f'VACUUM ANALYZE "{model._meta.db_table}"')
    return len(TABLES)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--share", type=float, default=0.6, help="share of accounts with plans")
    parser.add_argument("--coaching-plans", type=int, default=200)
    parser.add_argument("--business-cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if not 0 < args.share <= 1:
        parser.error("--share must be in (0, 1]")

    check_database()
    without_auto_timestamps()
    steps = Step()
    db = connection.settings_dict
    print(f"Generating planning data in {connection.vendor} database {db['NAME']!r} "
          f"(seed {args.seed}):", flush=True)  # fmt: skip
    p = Planning(args.seed, args.share)
    print(f"  {len(p.planned):,} of {len(p.owner):,} accounts get plans for "
          f"{p.years[0]} and {p.years[1]} ({steps.total:.1f} s)", flush=True)  # fmt: skip
    with transaction.atomic():
        plans = steps.run("account plans", make_plans, p)
        objectives = steps.run("objectives", make_objectives, p, plans)
        steps.run("actions", make_actions, p, objectives)
        steps.run("adjustments", make_adjustments, p, objectives)
        steps.run("coaching plans (+reps)", make_coaching, p, args.coaching_plans)
        steps.run("business cases (+scenarios)", make_business_cases, p, args.business_cases)
    # bulk_create publishes no events: store the objectives' forecast as the app would have.
    steps.run("stored forecasts", refresh_forecasts, Objective.objects.all())
    if connection.vendor == "postgresql":
        steps.run("vacuum analyze", vacuum_analyze)

    kam0 = User.objects.get(username="bench_kam_0")
    today = timezone.localdate()
    open_ = [Action.Status.OPEN, Action.Status.IN_PROGRESS]
    mine = Action.objects.filter(owner=kam0, status__in=open_)
    print(
        f"Done in {steps.total:.1f} s. bench_kam_0: "
        f"{AccountPlan.objects.filter(account__owner=kam0).count()} plans, "
        f"{Objective.objects.filter(owner=kam0, year=p.year).count()} objectives in {p.year}, "
        f"{mine.count()} open actions ({mine.filter(due_on__lt=today).count()} overdue)."
    )


if __name__ == "__main__":
    main()
