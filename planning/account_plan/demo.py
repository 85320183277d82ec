"""Demo account plans for `manage.py seed_demo`, written through the services.

Several key accounts of kam and kam2 get a plan for last year and one for this year
(started from last year's, then sharpened and activated, which archives last year's);
two go back three years. One current plan was last reviewed four months ago, so it shows
as stale; one account has only last year's plan, ready for "Start from last year's plan".
An account that already has a plan is left alone, so a second run creates nothing.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Account
from kam.history import authored_by
from planning.account_plan import services
from planning.account_plan.fields import AccountPlanFields
from planning.models import AccountPlan
from users.models import User

SEED = 2026
PLANNED = ["DEMO-001", "DEMO-007", "DEMO-011", "DEMO-012", "DEMO-013", "DEMO-015"]
THREE_YEARS = {"DEMO-001", "DEMO-007"}
STALE = "DEMO-012"  # this year's plan not reviewed for four months
ONLY_LAST_YEAR = "DEMO-014"  # "Start from last year's plan" is waiting

# fmt: off
GOALS = [
    "Umsatz mit {name} um 8 % steigern, Deckungsbeitrag mindestens halten.",
    "Bevorzugter Lieferant (Top-2) für alle Neuprojekte von {name} werden.",
    "Share of Wallet von rund 30 % auf 40 % ausbauen.",
]
CUSTOMER_GOALS = [
    "Prozesskosten des Kunden in Einkauf und Logistik um 10 % senken.",
    "Ausfallzeiten der Linien durch vorbeugende Wartung halbieren.",
    "Verlässliche Liefertermine: 98 % Termintreue.",
]
STRATEGIES = [
    "Jährliches Jahresgespräch mit der Geschäftsführung, Quartalsreviews mit dem Einkauf.",
    "Technische Beratung früh in den Projekten, gemeinsame Workshops mit der Entwicklung.",
    "Rahmenvertrag mit Mengenstaffel statt Einzelbestellungen.",
]
GROWTH = [
    "Neue Werke und Standorte des Kunden ausstatten.",
    "Cross-Selling: Serviceverträge zu bestehenden Anlagen.",
    "Upgrade der Bestandsanlagen auf die neue Produktgeneration.",
]
OBSTACLES = [
    "Wettbewerber mit aggressiven Preisen im Einkauf präsent.",
    "Budgetkürzungen nach schwachem Geschäftsjahr des Kunden.",
    "Wechsel im Einkauf: neuer Ansprechpartner noch ohne Beziehung zu uns.",
]
STRENGTHS = ["Langjährige Beziehung zur Technik", "Kurze Reaktionszeiten im Service", "Individuelle Lösungen", "Hohe Produktqualität"]  # noqa: E501
WEAKNESSES = ["Preisniveau über dem Wettbewerb", "Wenig Kontakte in die Geschäftsführung", "Lieferzeiten bei Sonderteilen"]  # noqa: E501
OPPORTUNITIES = ["Neues Werk in Planung", "Nachhaltigkeitsziele des Kunden", "Konsolidierung der Lieferanten", "Digitalisierung der Bestellprozesse"]  # noqa: E501
THREATS = ["Wettbewerber mit Kampfpreisen", "Konjunkturabschwächung in der Branche", "Eigenfertigung beim Kunden"]  # noqa: E501
# fmt: on


def _pick(rng: random.Random, items: list[str], count: int) -> str:
    return "\n".join(rng.sample(items, count))


def _texts(rng: random.Random, account: Account) -> AccountPlanFields:
    return {
        "business_goals": rng.choice(GOALS).format(name=account.name),
        "customer_goals": rng.choice(CUSTOMER_GOALS),
        "strategies": rng.choice(STRATEGIES),
        "growth_opportunities": rng.choice(GROWTH),
        "obstacles": rng.choice(OBSTACLES),
        "strengths": _pick(rng, STRENGTHS, 2),
        "weaknesses": _pick(rng, WEAKNESSES, 2),
        "opportunities": _pick(rng, OPPORTUNITIES, 2),
        "threats": _pick(rng, THREATS, 2),
    }


def _aware(day, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(users: dict[str, User]) -> int:
    """Demo account plans; returns how many were created. Idempotent."""
    wanted = [*PLANNED, ONLY_LAST_YEAR]
    accounts = list(
        Account.objects.filter(external_id__in=wanted)
        .select_related("owner")
        .order_by("external_id")
    )
    planned = set(
        AccountPlan.objects.filter(account__in=accounts).values_list("account_id", flat=True)
    )
    today = timezone.localdate()
    year = today.year
    created = 0
    for account in accounts:
        if account.pk in planned:
            continue
        rng = random.Random(f"{SEED}-{account.external_id}")
        owner = account.owner
        with authored_by(owner):
            first = year - 2 if account.external_id in THREE_YEARS else year - 1
            for plan_year in range(first, year):
                plan = services.plan_create(
                    actor=owner, account=account, year=plan_year, **_texts(rng, account)
                )
                services.plan_set_status(actor=owner, plan=plan, status=AccountPlan.Status.ACTIVE)
                reviewed = _aware(date(plan_year, 12, rng.randint(1, 15)))
                services.plan_mark_reviewed(actor=owner, plan=plan, at=reviewed)
                created += 1
            if account.external_id == ONLY_LAST_YEAR:
                continue
            plan = services.plan_copy_from_last_year(actor=owner, account=account, year=year)
            texts = _texts(rng, account)
            new = next(o for o in OPPORTUNITIES if o not in plan.opportunities)
            plan = services.plan_update(
                actor=owner,
                plan=plan,
                business_goals=texts["business_goals"],
                opportunities=f"{plan.opportunities}\n{new}",
            )
            services.plan_set_status(actor=owner, plan=plan, status=AccountPlan.Status.ACTIVE)
            age = 120 if account.external_id == STALE else rng.randint(5, 60)
            services.plan_mark_reviewed(
                actor=owner, plan=plan, at=_aware(today - timedelta(days=age))
            )
            created += 1
    return created
