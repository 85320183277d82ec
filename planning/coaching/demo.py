"""Demo coaching plans for `manage.py seed_demo`: one plan on each of the first demo key
accounts whose team has the sales rep `vertrieb`, with link materials, two coaching sessions
(spread over the last three years) and the rep's confirmation on all but the first plan, so
the KAM sees one rep who has not confirmed yet.

Written through the services (validation, history), with a fixed random seed. Idempotent:
a plan is keyed by its title within the account and is not created twice.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Account, TeamMembership
from kam.history import authored_by
from planning.coaching import services
from planning.models import CoachingPlan
from users.models import User

SEED = 5150
PLANS = 3
TITLE = "Briefing Vertrieb {name}"
MEASURES = (
    "Vor jedem Termin das Briefing-Blatt lesen und bestätigen.\n"
    "Offene Reklamationen vor dem Termin mit dem Kundenservice klären.\n"
    "Nach dem Termin den Kontakt mit Ergebnis und nächstem Schritt erfassen."
)
TOPICS = [
    "Rahmenvertrag und Preisanpassung\nVorausschauende Wartung\nErsatzteilversorgung",
    "Neue Produktlinie Sensorik\nKonsignationslager\nLieferfähigkeit",
    "Software-Pflege\nSchulungen für die Instandhaltung\nReferenzbesuch",
]
DOS_AND_DONTS = [
    "+ Mit den Zahlen des Kunden argumentieren (Verfügbarkeit, Stillstandskosten)\n"
    "+ Den Champion vorab anrufen\n"
    "- Keine Preiszusagen ohne Rücksprache mit dem KAM\n"
    "- Wettbewerber nicht schlechtreden",
    "+ Termine schriftlich bestätigen\n"
    "+ Ansprechpartner im Einkauf und in der Technik gemeinsam einladen\n"
    "- Nicht am Einkauf vorbei mit der Technik verhandeln",
    "+ Erfolge aus dem letzten Jahr zeigen (Kennzahlen)\n"
    "- Keine Liefertermine zusagen, bevor die Logistik zugestimmt hat",
]
LINKS = [
    ("Gesprächsleitfaden Schlüsselkunden", "https://intranet.example.com/vertrieb/leitfaden"),
    ("Präsentation Produktneuheiten", "https://intranet.example.com/vertrieb/neuheiten"),
    ("Preisliste und Rabattstaffel", "https://intranet.example.com/vertrieb/preise"),
]
SESSION_NOTES = [
    "Einführung in den Kunden: Organisation, Buying Center, Historie der Beziehung.",
    "Rollenspiel Preisgespräch; Einwände des Einkaufs vorbereitet.",
    "Nachbesprechung des letzten Kundentermins; nächste Schritte vereinbart.",
]


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(users: dict[str, User]) -> int:
    """Create the demo coaching plans that do not exist yet; return how many were created."""
    rep = users.get("vertrieb")
    if rep is None:
        return 0
    rng = random.Random(SEED)
    today = timezone.localdate()
    team_of_rep = TeamMembership.objects.filter(user=rep).values("account_id")
    candidates = (
        Account.objects.filter(external_id__startswith="DEMO-", pk__in=team_of_rep)
        .select_related("owner")
        .order_by("external_id")
    )
    # One account per group, so the plans tell different stories.
    accounts: list[Account] = []
    groups: set[str] = set()
    for account in candidates:
        group = account.path.strip("/").split("/")[0]
        if group not in groups and len(accounts) < PLANS:
            groups.add(group)
            accounts.append(account)
    existing = set(
        CoachingPlan.objects.filter(account__in=accounts).values_list("account_id", "title")
    )
    created = 0
    for index, account in enumerate(accounts):
        title = TITLE.format(name=account.name)[:200]
        # Draw the numbers every time, so a second run plans exactly the same records.
        first_days_ago = rng.randint(400, 3 * 365 - 30)
        second_days_ago = rng.randint(10, 200)
        if (account.pk, title) in existing:
            continue
        kam = account.owner
        with authored_by(kam):
            plan = services.coaching_plan_create(
                actor=kam,
                account=account,
                reps=[rep],
                title=title,
                measures=MEASURES,
                topics=TOPICS[index % len(TOPICS)],
                dos_and_donts=DOS_AND_DONTS[index % len(DOS_AND_DONTS)],
            )
            for link_title, url in LINKS[: 2 + index % 2]:
                services.material_add(actor=kam, plan=plan, title=link_title, url=url)
            for days_ago, note in (
                (first_days_ago, SESSION_NOTES[0]),
                (second_days_ago, SESSION_NOTES[1 + index % 2]),
            ):
                services.session_add(
                    actor=kam,
                    plan=plan,
                    held_at=_at(today - timedelta(days=days_ago), 9 + index),
                    participants=[kam, rep],
                    notes=note,
                )
        if index > 0:  # the first plan waits for the rep's confirmation
            with authored_by(rep):
                services.briefing_confirm(actor=rep, plan=plan)
        created += 1
    return created
