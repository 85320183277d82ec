"""Demo opportunities for `manage.py seed_demo`: deals over three years, in every stage,
won or lost against a register of invented competitors.

Planned with a fixed random seed and written through deals.services. Running it again
creates nothing new: an account that already has opportunities is left alone.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Account
from deals import services, snapshots
from deals.models import Competitor, Opportunity, OpportunityCompetitor, OpportunitySnapshot, Stage
from kam.history import authored_by

SEED = 2026

# Every name here is invented.
COMPETITORS = [
    (
        "Kessler Antriebe GmbH",
        "https://www.kessler-antriebe.example",
        "Preisaggressiv, stark im Serviceangebot.",
    ),
    (
        "Nordtec AG",
        "https://www.nordtec.example",
        "Technologisch führend bei Sensorik, lange Lieferzeiten.",
    ),
    (
        "Vexa Industrial",
        "https://www.vexa-industrial.example",
        "US-Konzern, kauft Marktanteile über Rabatte.",
    ),
    (
        "Brandt & Vogel KG",
        "https://www.brandt-vogel.example",
        "Mittelständler, sehr nah am Kunden, kleines Portfolio.",
    ),
    (
        "Sirion Automation S.p.A.",
        "https://www.sirion-automation.example",
        "Italienischer Anbieter, stark in Südeuropa.",
    ),
    (
        "Halvorsen Motion AS",
        "https://www.halvorsen-motion.example",
        "Skandinavischer Spezialist für Servoantriebe.",
    ),
    (
        "Technoplan Systeme GmbH",
        "https://www.technoplan.example",
        "Software und Wartung aus einer Hand.",
    ),
    (
        "Orbis Components Ltd.",
        "https://www.orbis-components.example",
        "Ersatzteile zu Niedrigpreisen, schwankende Qualität.",
    ),
]

TITLES = {
    "Antriebstechnik": [
        "Antriebseinheiten Linie {n}",
        "Umrüstung auf Servoantriebe",
        "Rahmenvertrag Antriebe {year}",
    ],
    "Sensorik": [
        "Zustandssensorik Werk {city}",
        "Sensorpaket Qualitätsprüfung",
        "Retrofit Sensorik {year}",
    ],
    "Service & Wartung": [
        "Wartungsvertrag {city}",
        "Vorausschauende Wartung Pilot",
        "Servicepaket {year}",
    ],
    "Software": [
        "Condition-Monitoring-Software",
        "Lizenzerweiterung Leitstand",
        "Schnittstelle ERP-Anbindung",
    ],
    "Ersatzteile": [
        "Ersatzteilversorgung {year}",
        "Konsignationslager {city}",
        "Ersatzteilpaket Altanlagen",
    ],
}

WON_REASONS = [
    "Bestes Gesamtpaket aus Preis, Lieferzeit und Service.",
    "Technische Lösung überzeugte im Pilottest.",
    "Langjährige Zusammenarbeit und Referenzen im Konzern.",
    "Kürzere Lieferzeit als der Wettbewerb zugesagt.",
]
LOST_REASONS = [
    "Preis rund 8 % über dem Angebot des Wettbewerbs.",
    "Kunde hat sich für den bestehenden Lieferanten entschieden.",
    "Projekt vom Kunden verschoben und neu ausgeschrieben.",
    "Lieferzeit konnte nicht zugesagt werden.",
]
FOLLOW_UPS = [
    "Angebot nachfassen",
    "Technische Klärung mit dem Einkauf",
    "Termin mit der Geschäftsführung vereinbaren",
    "Muster und Referenzliste schicken",
    "Preisverhandlung vorbereiten",
]
POSITIONS = [p for p, _label in OpportunityCompetitor.Position.choices]
OPEN_KEYS = ["identified", "qualified", "proposal", "negotiation"]


def _register() -> list[Competitor]:
    register = []
    for name, website, notes in COMPETITORS:
        competitor, _created = Competitor.objects.get_or_create(
            name=name, defaults={"website": website, "notes": notes}
        )
        register.append(competitor)
    return register


def seed(users) -> int:
    """Demo records for this app; returns how many were created. Idempotent."""
    stages = {stage.key: stage for stage in Stage.objects.all()}
    if not all(key in stages for key in [*OPEN_KEYS, "won", "lost"]):
        return 0  # an installation with its own pipeline gets no demo deals
    register = _register()
    rng = random.Random(SEED)
    today = timezone.localdate()
    created = 0
    accounts = (
        Account.objects.filter(external_id__startswith="DEMO-")
        .select_related("owner")
        .prefetch_related("product_lines")
        .order_by("external_id")
    )
    with_deals = set(
        Opportunity.objects.filter(account__in=accounts).values_list("account_id", flat=True)
    )
    for account in accounts:
        # Draw for every account, also those skipped, so the plan never shifts.
        is_key = account.status == Account.Status.KEY_ACCOUNT
        count = rng.randint(2, 6) if is_key else rng.randint(1, 3)
        plans = [_plan(rng, account, today, index) for index in range(count)]
        if account.pk in with_deals:
            continue
        if account.external_id == SHOWCASE_ACCOUNT:
            plans += _showcase(account, today)
        with authored_by(account.owner):
            for plan in plans:
                _create(account, plan, stages, register)
                created += 1
    _snapshots(today, stages)
    return created


SNAPSHOT_WEEKS = 16


def _snapshots(today, stages: dict) -> None:
    """Weekly snapshots of the last SNAPSHOT_WEEKS weeks, so that "Pipeline changes"
    shows a week and a quarter of movement: each open deal advanced, fell back, changed
    its value or slipped its close date in some of those weeks (drawn with a fixed seed),
    and the deals closed in those weeks were open in negotiation before. This week's
    snapshot is the pipeline as it stands. Skipped when snapshots exist."""
    if OpportunitySnapshot.objects.exists():
        return
    rng = random.Random(SEED + 1)
    this_week = snapshots.week_start(today)
    order = [stages[key] for key in OPEN_KEYS]
    rows = []
    deals = Opportunity.objects.filter(account__external_id__startswith="DEMO-").select_related(
        "stage"
    )
    for deal in deals.order_by("pk"):
        created = deal.created_at.date()
        # Each event happened in the week `weeks ago` (0: this week, after its snapshot).
        advances = [rng.randint(0, 10) for _ in range(rng.randint(0, 2))]
        setback = rng.randint(0, 10) if rng.random() < 0.12 else None
        drawn = (rng.randint(0, 10), Decimal(rng.randint(80, 120)) / 100)
        revalued = drawn if rng.random() < 0.25 else None
        slips = [(rng.randint(0, 10), rng.randint(14, 45)) for _ in range(rng.randint(0, 3))]
        slips = slips if rng.random() < 0.35 else []
        for weeks_ago in range(1, SNAPSHOT_WEEKS + 1):
            week = this_week - timedelta(days=7 * weeks_ago)
            if created > week or (deal.closed_on and deal.closed_on < week):
                continue
            if deal.stage.is_closed:
                stage, value, close = stages["negotiation"], deal.value, deal.expected_close_date
            else:
                index = OPEN_KEYS.index(deal.stage.key)
                index -= sum(1 for a in advances if a < weeks_ago)
                if setback is not None and setback < weeks_ago:
                    index += 1
                stage = order[max(0, min(index, len(order) - 1))]
                value = deal.value
                if revalued and revalued[0] < weeks_ago:
                    value = (deal.value * revalued[1]).quantize(Decimal("1000"))
                close = deal.expected_close_date
                if close:
                    close -= timedelta(days=sum(d for a, d in slips if a < weeks_ago))
            rows.append(
                OpportunitySnapshot(
                    week=week,
                    taken_at=timezone.make_aware(datetime.combine(week, time(0, 30))),
                    opportunity=deal,
                    account_id=deal.account_id,
                    stage=stage,
                    value=value,
                    probability=stage.default_probability,
                    expected_close_date=close,
                    owner_id=deal.owner_id,
                )
            )
    OpportunitySnapshot.objects.bulk_create(rows, batch_size=1000)
    snapshots.snapshot_take(on=today)


# The first demo key account shows what the forecast and My work are for.
SHOWCASE_ACCOUNT = "DEMO-001"


def _showcase(account: Account, today) -> list[dict]:
    """A deal won today (after the figures' last update: won, not yet invoiced, in the
    target forecast) and an open deal whose follow-up is a week overdue (on My work)."""
    lines = [line.name for line in account.product_lines.all()] or ["Antriebstechnik"]
    common = {
        "line": lines[0],
        "margin": Decimal("42000"),
        "competitors": [0, 1],
        "positions": ["challenger", "incumbent"],
        "probability": None,
    }
    return [
        common
        | {
            "title": f"Rahmenvertrag Ersatzteile {today.year + 1}",
            "created_on": today - timedelta(days=120),
            "value": Decimal("168000"),
            "expected_close": today,
            "stage": "won",
            "reason": "Bestes Gesamtangebot inklusive Servicevertrag.",
            "closed_on": today,
            "follow_up": None,
        },
        common
        | {
            "title": f"Modernisierung Prüfstand {account.city or account.name}",
            "created_on": today - timedelta(days=60),
            "value": Decimal("95000"),
            "expected_close": today + timedelta(days=40),
            "stage": "proposal",
            "reason": "",
            "closed_on": None,
            "follow_up": (today - timedelta(days=7), "Angebot nachfassen"),
        },
    ]


def _plan(rng: random.Random, account: Account, today, index: int) -> dict:
    lines = [line.name for line in account.product_lines.all()] or list(TITLES)
    line = rng.choice(lines)
    # Nearly half of the deals are recent, so the pipeline has open work in every stage.
    age = rng.randint(5, 240) if rng.random() < 0.45 else rng.randint(240, 3 * 365)
    created_on = today - timedelta(days=age)
    cycle = rng.randint(60, 270)
    close = created_on + timedelta(days=cycle)
    title = rng.choice(TITLES.get(line, TITLES["Antriebstechnik"])).format(
        n=index + 1, year=close.year, city=account.city or account.name
    )
    value = Decimal(rng.randrange(15, 1500) * 1000)
    plan = {
        "title": title,
        "line": line,
        "created_on": created_on,
        "value": value,
        "margin": (value * Decimal(rng.randint(15, 35)) / 100).quantize(Decimal("1")),
        "competitors": rng.sample(range(len(COMPETITORS)), rng.randint(1, 3)),
        "positions": [rng.choice(POSITIONS) for _ in range(3)],
        "expected_close": close,
        "reason": "",
        "closed_on": None,
        "probability": None,
        "follow_up": None,
    }
    if close < today - timedelta(days=20):
        won = rng.random() < 0.55
        plan["stage"] = "won" if won else "lost"
        plan["reason"] = rng.choice(WON_REASONS if won else LOST_REASONS)
        plan["closed_on"] = min(today, close + timedelta(days=rng.randint(-15, 15)))
    else:
        progress = (today - created_on).days / cycle
        plan["stage"] = OPEN_KEYS[min(3, max(0, int(progress * 4 + rng.uniform(-0.6, 0.6))))]
        if rng.random() < 0.25:
            plan["probability"] = rng.choice([20, 30, 40, 60, 70, 80, 90])
        plan["follow_up"] = (today + timedelta(days=rng.randint(1, 30)), rng.choice(FOLLOW_UPS))
    return plan


def _create(account: Account, plan: dict, stages: dict, register: list[Competitor]) -> None:
    line = account.product_lines.filter(name=plan["line"]).first()
    follow_up_on, follow_up_action = plan["follow_up"] or (None, "")
    opportunity = services.opportunity_create(
        actor=account.owner,
        account=account,
        product_lines=[line] if line else (),
        closed_on=plan["closed_on"],
        title=plan["title"],
        description="",
        value=plan["value"],
        expected_margin=plan["margin"],
        stage=stages[plan["stage"]],
        probability=plan["probability"],
        expected_close_date=plan["expected_close"],
        next_follow_up_on=follow_up_on,
        next_follow_up_action=follow_up_action,
        close_reason=plan["reason"],
        owner=account.owner,
    )
    for index, position in zip(plan["competitors"], plan["positions"], strict=False):
        services.opportunity_competitor_set(
            actor=account.owner,
            opportunity=opportunity,
            competitor=register[index],
            position=position,
        )
    # Demo deals were opened in the past: date them back so that the timeline and the
    # history read like three years of work, not one afternoon.
    when = timezone.make_aware(datetime.combine(plan["created_on"], time(9, 0)))
    Opportunity.objects.filter(pk=opportunity.pk).update(created_at=when)
    Opportunity.history.filter(id=opportunity.pk).update(history_date=when)
    OpportunityCompetitor.history.filter(opportunity_id=opportunity.pk).update(history_date=when)
