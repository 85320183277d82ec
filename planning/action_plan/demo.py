"""Demo action plans for `manage.py seed_demo`: objectives of this year for several demo key
accounts (revenue, margin, new market, relationship), two to four actions each, some done,
some overdue, and a few adjusted targets with their reasons.

Planned with a fixed random seed and written through planning.action_plan.services. Running
it again creates nothing new: an account that already has objectives is left alone.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.access import is_visible_account_id
from accounts.models import Account, YearlyFigures
from kam.history import authored_by
from planning.action_plan import services
from planning.models import Objective

SEED = 2605
ACCOUNTS = 8

ACTIONS = {
    Objective.Kind.REVENUE: [
        "Rahmenvertrag für {next} verhandeln",
        "Angebot Ersatzteilpaket nachfassen",
        "Bedarfsanalyse mit dem Einkauf",
        "Cross-Selling Sensorik präsentieren",
    ],
    Objective.Kind.MARGIN: [
        "Preisanpassung vorbereiten",
        "Rabattstaffel überprüfen",
        "Logistikkosten mit dem Kunden klären",
    ],
    Objective.Kind.NEW_MARKET: [
        "Ansprechpartner im Werk {city} finden",
        "Referenzbesuch organisieren",
        "Pilotprojekt anbieten",
        "Messebesuch gemeinsam planen",
    ],
    Objective.Kind.RELATIONSHIP: [
        "Jahresgespräch mit der Geschäftsführung",
        "Werksbesuch mit der Technik",
        "Kundenzufriedenheit abfragen",
    ],
}
TITLES = {
    Objective.Kind.REVENUE: "Umsatz {year} auf Zielkurs bringen",
    Objective.Kind.MARGIN: "Deckungsbeitrag {year} sichern",
    Objective.Kind.NEW_MARKET: "Neuen Standort/Geschäftsbereich erschließen",
    Objective.Kind.RELATIONSHIP: "Beziehung zur Geschäftsführung stärken",
}
REASONS = [
    "Großprojekt vom Kunden ins nächste Jahr verschoben.",
    "Kunde hat ein zusätzliches Werk übernommen.",
    "Budgetkürzung beim Kunden nach dem Halbjahr.",
]


def _target(figures: dict, year: int, field: str, factor: str, fallback: str) -> Decimal:
    this_year, last_year = figures.get(year), figures.get(year - 1)
    target_field = "revenue_target" if field == "revenue" else "margin_target"
    if this_year is not None and getattr(this_year, target_field):
        return getattr(this_year, target_field)
    if last_year is not None and getattr(last_year, field) > 0:
        return (getattr(last_year, field) * Decimal(factor)).quantize(Decimal("1000"))
    return Decimal(fallback)


def seed(users) -> int:
    """Demo records of the action plan; returns how many were created. Idempotent."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    year = today.year
    accounts = list(
        Account.objects.filter(external_id__startswith="DEMO-", status=Account.Status.KEY_ACCOUNT)
        .select_related("owner")
        .order_by("external_id")[:ACCOUNTS]
    )
    with_objectives = set(
        Objective.objects.filter(account__in=accounts).values_list("account_id", flat=True)
    )
    figures = {
        (f.account_id, f.year): f
        for f in YearlyFigures.objects.filter(account__in=accounts, year__in=[year, year - 1])
    }
    rep = users.get("vertrieb")
    created = 0
    for account in accounts:
        # Draw for every account, also those skipped, so the plan never shifts.
        kinds = [Objective.Kind.REVENUE, Objective.Kind.MARGIN]
        kinds += rng.sample([Objective.Kind.NEW_MARKET, Objective.Kind.RELATIONSHIP], 2)
        plan = [_plan(rng, kind, today) for kind in kinds]
        if account.pk in with_objectives:
            continue
        own = {y: figures.get((account.pk, y)) for y in (year, year - 1)}
        with authored_by(account.owner):
            for kind, spec in zip(kinds, plan, strict=True):
                created += _create(account, kind, spec, own, year, today, rep)
    return created


def _plan(rng: random.Random, kind: str, today: date) -> dict:
    names = ACTIONS[Objective.Kind(kind)]
    count = rng.randint(2, min(4, len(names)))
    actions = []
    for title in rng.sample(names, count):
        due = date(today.year, 1, 15) + timedelta(days=rng.randint(0, 340))
        actions.append(
            {
                "title": title,
                "due_on": due,
                # Most past actions are done; a few are left overdue.
                "done": due < today and rng.random() < 0.75,
                "to_rep": rng.random() < 0.25,
            }
        )
    return {
        "actions": actions,
        "adjust": kind == Objective.Kind.REVENUE and rng.random() < 0.5,
        "reason": rng.choice(REASONS),
        "factor": rng.choice(["1.05", "1.08", "1.12", "1.2"]),
        "status": rng.choice([Objective.Status.OPEN, Objective.Status.IN_PROGRESS]),
    }


def _create(account, kind, spec, figures, year, today, rep) -> int:
    actor = account.owner
    target = None
    if kind == Objective.Kind.REVENUE:
        target = _target(figures, year, "revenue", spec["factor"], "500000")
    elif kind == Objective.Kind.MARGIN:
        target = _target(figures, year, "contribution_margin", spec["factor"], "120000")
    objective = services.objective_create(
        actor=actor,
        account=account,
        year=year,
        kind=kind,
        title=TITLES[kind].format(year=year),
        target_value=target,
        owner=actor,
        due_on=date(year, 12, 31),
        status=spec["status"],
    )
    created = 1
    # Actions go to the sales rep only on accounts the rep may see: the owner is reminded
    # with the account's name.
    rep_sees = rep is not None and rep.is_active and is_visible_account_id(rep, account.pk)
    for action in spec["actions"]:
        owner = rep if action["to_rep"] and rep_sees else actor
        record = services.action_create(
            actor=actor,
            objective=objective,
            title=action["title"].format(next=year + 1, city=account.city or account.name),
            owner=owner,
            due_on=action["due_on"],
        )
        if action["done"]:
            services.action_complete(
                actor=actor, action=record, done_on=min(today, action["due_on"] + timedelta(days=3))
            )
        created += 1
    if spec["adjust"] and target:
        services.objective_update(
            actor=actor,
            objective=objective,
            target_value=(target * Decimal("0.92")).quantize(Decimal("1000")),
            reason=spec["reason"],
        )
        created += 1
    return created
