"""Demo contact log: activities over three years on the demo accounts, with participants,
next steps and follow-ups (done ones, open ones, some overdue) for kam, kam2 and vertrieb.

Fixed random seed per account, created through the services; an account that already has
activities is left alone, so running seed_demo again creates nothing new.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import Account, Contact
from activities import services
from activities.models import Activity
from kam.history import authored_by
from users.models import User

SEED = 20260404
YEARS = 3

KINDS = [
    ("meeting", 5), ("visit", 4), ("call", 7), ("email", 5), ("presentation", 2),
    ("event", 1), ("note", 2),
]  # fmt: skip

SUBJECTS = {
    "meeting": [
        "Abstimmung Rahmenvertrag {year}",
        "Quartalsgespräch mit dem Einkauf",
        "Projektbesprechung {line}",
        "Jahresgespräch {year}: Vorbereitung",
        "Lieferantenbewertung besprochen",
    ],
    "visit": [
        "Werksbesuch in {city}",
        "Besuch beim Einkauf in {city}",
        "Vor-Ort-Termin Produktion",
        "Besuch mit Anwendungstechnik",
    ],
    "call": [
        "Telefonat zu Lieferterminen",
        "Rückruf wegen Preisanfrage {line}",
        "Kurzes Update zum Projektstand",
        "Telefonat zur Reklamation",
        "Abstimmung Bedarfsplanung",
    ],
    "email": [
        "Angebot {line} versandt",
        "Rückfrage zur Rechnung beantwortet",
        "Protokoll des letzten Termins versandt",
        "Preisblatt {year} zugeschickt",
    ],
    "presentation": [
        "Präsentation {line}",
        "Business Case vorgestellt",
        "Präsentationsmappe zum Jahresgespräch übergeben",
    ],
    "event": [
        "Gespräch auf der Hannover Messe",
        "Kundenevent Technologietag",
        "Treffen auf der LogiMAT",
    ],
    "note": [
        "Hinweis: Budgetfreigabe verschoben",
        "Wettbewerber war beim Kunden im Haus",
        "Neue Einkaufsleitung angekündigt",
    ],
}

OUTCOMES = [
    "Kunde ist grundsätzlich interessiert, will aber Referenzen sehen.",
    "Preis liegt über Budget; Spielraum bei Mengenstaffel besprochen.",
    "Positive Rückmeldung zur Lieferqualität.",
    "Entscheidung fällt im nächsten Quartal.",
    "Wettbewerber hat ein günstigeres Angebot abgegeben.",
    "Technische Fragen geklärt, Muster gewünscht.",
    "Termin für das Jahresgespräch steht.",
    "",
]

NEXT_STEPS = [
    "Überarbeitetes Angebot schicken",
    "Termin für Werksbesuch vereinbaren",
    "Referenzkunden nennen",
    "Muster versenden",
    "Preisblatt aktualisieren",
    "Protokoll mit dem Kunden abstimmen",
    "Rückruf beim Einkaufsleiter",
    "Anwendungstechnik einbinden",
]

LOCATIONS = {
    "meeting": ["Bei uns im Haus", "Videokonferenz", "Beim Kunden"],
    "presentation": ["Beim Kunden", "Videokonferenz"],
    "event": ["Hannover Messe", "Messe München", "Stuttgart"],
}


def seed(users: dict[str, User]) -> int:
    """Demo records for this app; returns how many were created. Idempotent."""
    accounts = list(
        Account.objects.filter(external_id__startswith="DEMO-")
        .select_related("owner")
        .prefetch_related("team__user", "product_lines")
        .order_by("external_id")
    )
    seeded = set(Activity.objects.filter(account__in=accounts).values_list("account_id", flat=True))
    today = timezone.localdate()
    created = 0
    for account in accounts:
        if account.pk in seeded:
            continue
        rng = random.Random(f"{SEED}-{account.external_id}")
        with authored_by(account.owner):
            created += _seed_account(rng, account, today)
    return created


def _seed_account(rng: random.Random, account: Account, today: date) -> int:
    key = account.status == Account.Status.KEY_ACCOUNT
    count = rng.randint(8, 20) if key else rng.randint(2, 6)
    days_back = [rng.randint(1, YEARS * 365) for _ in range(count - 1)]
    # The latest contact is recent, so "My work" has current, partly overdue follow-ups.
    days_back = sorted([*days_back, rng.randint(2, 25)], reverse=True)
    contacts = list(Contact.objects.filter(account=account).order_by("pk"))
    team = [m.user for m in account.team.all()]
    people = [account.owner, *team]
    lines = [line.name for line in account.product_lines.all()] or ["Service"]
    created = 0
    for index, ago in enumerate(days_back):
        day = today - timedelta(days=ago)
        when = timezone.make_aware(
            datetime.combine(day, time(rng.randint(8, 17), rng.choice([0, 15, 30, 45])))
        )
        kind = rng.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
        present = [
            c for c in contacts if c.left_on is None or c.left_on > day
        ]  # people who had left were not there
        size = min(len(present), rng.randint(1, 3))
        participants = rng.sample(present, k=size) if present else []
        ours = [account.owner]
        if team and rng.random() < 0.4:
            ours.append(rng.choice(team))
        is_last = index == len(days_back) - 1
        with_next_step = is_last or rng.random() < 0.35
        owner = _next_step_owner(rng, account, people, latest=is_last)
        due = day + timedelta(days=rng.randint(5, 21))
        activity = services.activity_log(
            actor=account.owner,
            account=account,
            kind=kind,
            occurred_at=when,
            subject=rng.choice(SUBJECTS[kind]).format(
                year=day.year, city=account.city or "Werk", line=rng.choice(lines)
            ),
            duration_minutes=None if kind in ("email", "note") else rng.choice([15, 30, 60, 90]),
            location=account.city if kind == "visit" else rng.choice(LOCATIONS.get(kind, [""])),
            notes="",
            outcome=rng.choice(OUTCOMES),
            contacts=participants if kind != "note" else [],
            users=ours if kind != "note" else [account.owner],
            next_step=rng.choice(NEXT_STEPS) if with_next_step else "",
            next_step_owner=owner if with_next_step else None,
            next_step_due_on=due if with_next_step else None,
        )
        created += 1
        for follow_up in activity.follow_ups.all():
            created += 1
            # Old promises were kept; recent ones are still open (some of them overdue).
            if due < today - timedelta(days=10) or (not is_last and rng.random() < 0.5):
                took = timedelta(days=rng.randint(1, max(1, (due - day).days + 3)))
                closed = min(
                    timezone.make_aware(datetime.combine(day + took, time(16, 0))),
                    timezone.now() - timedelta(hours=1),
                )
                services.follow_up_complete(
                    actor=follow_up.owner, follow_up=follow_up, done_at=closed
                )
    if key and rng.random() < 0.6:
        services.follow_up_create(
            actor=account.owner,
            account=account,
            owner=account.owner,
            title="Präsentationsmappe für das Jahresgespräch vorbereiten",
            due_on=today + timedelta(days=rng.randint(-5, 30)),
            source="review",
        )
        created += 1
    return created


def _next_step_owner(
    rng: random.Random, account: Account, people: list[User], *, latest: bool
) -> User:
    """Mostly the KAM; the sales rep on the team takes the operational ones."""
    reps = [p for p in people if p.username == "vertrieb"]
    if reps and (latest or rng.random() < 0.45):
        return reps[0]
    return rng.choice(people) if rng.random() < 0.2 else account.owner
