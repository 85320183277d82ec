"""Demo issues and surveys for `manage.py seed_demo`, written through the services.

Issues: 2-6 on about half of the demo accounts (all key accounts among them), opened over
the last three years, in every status and department. Surveys: 2-8 per key account over
three years, each account with its own NPS trend; detractor surveys create their
follow-up through the service (older ones were dealt with, so their follow-ups are done),
and one recent detractor leaves an open follow-up on its owner's "My work" page.

Fixed random seed per account; an account that already has issues (or surveys) is left
alone, so running the seed again creates nothing new.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.demo import DOMINANT_ACCOUNT
from accounts.models import Account, Contact, TeamMembership
from activities.services import follow_up_complete
from customer_care import services
from customer_care.models import CustomerIssue, Department, Survey, ensure_default_departments
from kam.history import authored_by
from users.models import User

SEED = 2026
DAYS = 3 * 365
RECENT_DETRACTOR_ACCOUNT = DOMINANT_ACCOUNT

K = CustomerIssue.Kind
S = CustomerIssue.Status

# (kind, department key, title, description)
# fmt: off
ISSUES = [
    (K.COMPLAINT, "logistics", "Lieferung verspätet", "Die Lieferung kam zwei Wochen nach dem zugesagten Termin; die Linie stand einen Tag."),  # noqa: E501
    (K.COMPLAINT, "quality", "Reklamation: Maßabweichung an Charge", "Teile der letzten Charge liegen außerhalb der Toleranz."),  # noqa: E501
    (K.COMPLAINT, "finance", "Rechnung mit falschen Konditionen", "Der vereinbarte Rahmenvertragsrabatt fehlt auf der Rechnung."),  # noqa: E501
    (K.COMPLAINT, "customer_service", "Hotline nicht erreichbar", "Der Kunde kam zwei Tage lang nicht zur Service-Hotline durch."),  # noqa: E501
    (K.REQUEST, "engineering", "Anfrage: Sonderausführung", "Der Kunde braucht eine angepasste Variante für seine neue Fertigungslinie."),  # noqa: E501
    (K.REQUEST, "sales", "Anfrage: Mengenrabatt für Folgejahr", "Einkauf fragt nach gestaffelten Preisen für das nächste Jahr."),  # noqa: E501
    (K.REQUEST, "customer_service", "Schulung für neue Mitarbeitende", "Zehn neue Anwender im Werk sollen geschult werden."),  # noqa: E501
    (K.INCIDENT, "engineering", "Störung: Steuerung fällt aus", "Sporadische Ausfälle der Steuerung nach dem letzten Software-Update."),  # noqa: E501
    (K.INCIDENT, "logistics", "Transportschaden", "Zwei Paletten kamen beschädigt an."),
    (K.INCIDENT, "quality", "Falsches Material geliefert", "Statt Edelstahl wurde verzinkter Stahl geliefert."),  # noqa: E501
    (K.RISK, "sales", "Risiko: Wettbewerber mit Kampfpreisen", "Ein Wettbewerber bietet 15 % unter unserem Preis an; der Einkauf prüft einen Wechsel."),  # noqa: E501
    (K.RISK, "finance", "Risiko: Aktienkurs des Kunden eingebrochen", "Der Kurs fiel nach der Gewinnwarnung um 30 %; Budgetkürzungen sind zu erwarten."),  # noqa: E501
    (K.RISK, "sales", "Risiko: Marktverschiebung zu E-Antrieben", "Der Kunde stellt Baureihen um; unser Volumen bei klassischen Komponenten sinkt."),  # noqa: E501
]
RESOLUTIONS = [
    "Ersatzlieferung per Express, Gutschrift über die Frachtkosten.",
    "Ursache gefunden und behoben; Kunde hat die Lösung bestätigt.",
    "Rechnung korrigiert und neu versandt.",
    "Mit dem Kunden besprochen; Maßnahmenplan im Jahresgespräch vereinbart.",
    "Schulung durchgeführt, Teilnehmende zufrieden.",
    "Angebot erstellt und angenommen.",
]
SURVEY_COMMENTS = {
    "promoter": ["Sehr zuverlässiger Partner.", "Schnelle Reaktion bei Problemen.", ""],
    "passive": ["Grundsätzlich zufrieden, Preise könnten besser sein.", "Lieferzeiten okay.", ""],
    "detractor": [
        "Zu viele Lieferverzögerungen in letzter Zeit.",
        "Ansprechpartner wechseln zu oft.",
        "Reklamationen dauern zu lange.",
    ],
}
# fmt: on

SEVERITIES = [("low", 3), ("medium", 4), ("high", 2), ("critical", 1)]


def seed(users: dict[str, User]) -> int:
    """Demo records for this app; returns how many were created. Idempotent."""
    ensure_default_departments()
    departments = {d.key: d for d in Department.objects.all()}
    accounts = list(
        Account.objects.filter(external_id__startswith="DEMO-")
        .select_related("owner")
        .order_by("external_id")
    )
    has_issues = set(
        CustomerIssue.objects.filter(account__in=accounts).values_list("account_id", flat=True)
    )
    has_surveys = set(
        Survey.objects.filter(account__in=accounts).values_list("account_id", flat=True)
    )
    today = timezone.localdate()
    created = 0
    for number, account in enumerate(accounts):
        rng = random.Random(f"{SEED}-{account.external_id}")
        key = account.status == Account.Status.KEY_ACCOUNT
        with authored_by(account.owner):
            if (key or number % 2 == 0) and account.pk not in has_issues:
                created += _seed_issues(rng, account, departments, today)
            if key and account.pk not in has_surveys:
                created += _seed_surveys(rng, account, today)
    return created


def _issue_owners(account: Account) -> list[User]:
    team = [
        m.user
        for m in TeamMembership.objects.filter(account=account, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ]
    return [account.owner, account.owner, *team]


def _aware(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _seed_issues(rng: random.Random, account: Account, departments: dict, today) -> int:
    owners = _issue_owners(account)
    count = rng.randint(2, 6)
    # Always at least one issue of the last weeks, so the account's Issues tab is alive.
    ages = sorted([rng.randint(2, 40)] + [rng.randint(2, DAYS) for _ in range(count - 1)])
    for age in ages:
        kind, department, title, description = rng.choice(ISSUES)
        severity = rng.choices([s for s, _w in SEVERITIES], [w for _s, w in SEVERITIES])[0]
        opened = _aware(today - timedelta(days=age), rng.randint(8, 17))
        issue = services.issue_create(
            actor=account.owner,
            account=account,
            title=title,
            description=description,
            kind=kind,
            severity=severity,
            department=departments[department],
            owner=rng.choice(owners),
            escalated=severity == "critical" or (severity == "high" and rng.random() < 0.3),
            opened_at=opened,
        )
        status = _status_for_age(rng, age)
        if status in (S.IN_PROGRESS, S.WAITING):
            services.issue_change_status(actor=account.owner, issue=issue, status=status)
        elif status in (S.RESOLVED, S.CLOSED):
            resolved = opened + timedelta(days=rng.randint(1, min(30, age)), hours=2)
            services.issue_change_status(
                actor=account.owner,
                issue=issue,
                status=S.RESOLVED,
                resolution=rng.choice(RESOLUTIONS),
                at=min(resolved, timezone.now()),
            )
            if status == S.CLOSED:
                services.issue_change_status(actor=account.owner, issue=issue, status=S.CLOSED)
    return count


def _status_for_age(rng: random.Random, age: int) -> str:
    if age <= 21:
        return rng.choice([S.OPEN, S.OPEN, S.IN_PROGRESS, S.WAITING])
    if age <= 90:
        return rng.choice([S.OPEN, S.IN_PROGRESS, S.WAITING, S.RESOLVED, S.CLOSED])
    return rng.choice([S.RESOLVED, S.CLOSED, S.CLOSED, S.CLOSED])


def _seed_surveys(rng: random.Random, account: Account, today) -> int:
    contacts = list(Contact.objects.filter(account=account, is_active=True).order_by("pk"))
    count = rng.randint(2, 8)
    base = rng.uniform(7.4, 9.2)
    drift = rng.choice([-0.7, -0.4, 0.3, 0.5, 0.8])  # points per year: the trend
    ages = sorted((rng.randint(10, DAYS) for _ in range(count)), reverse=True)
    for age in ages:
        day = today - timedelta(days=age)
        years_ago = age / 365
        mean = base + drift * (1.5 - years_ago)
        nps = max(0, min(10, round(rng.gauss(mean, 1.2))))
        csat = max(1, min(5, round(nps / 2.2 + rng.uniform(0, 1)))) if rng.random() < 0.7 else None
        survey = _record(rng, account, contacts, day, nps, csat)
        if survey.follow_up is not None:
            # Older weak spots were acted on: the owner closed the follow-up days later.
            done = _aware(day + timedelta(days=rng.randint(1, 5)), 16)
            follow_up_complete(
                actor=account.owner, follow_up=survey.follow_up, done_at=min(done, timezone.now())
            )
    if account.external_id == RECENT_DETRACTOR_ACCOUNT:
        _record(rng, account, contacts, today - timedelta(days=2), 4, 2, kind="detractor")
        count += 1
    return count


def _record(rng, account, contacts, day, nps, csat, kind: str | None = None) -> Survey:
    kind = kind or ("promoter" if nps >= 9 else "passive" if nps >= 7 else "detractor")
    return services.survey_record(
        actor=account.owner,
        account=account,
        contact=rng.choice(contacts) if contacts else None,
        surveyed_on=day,
        method=rng.choice(Survey.Method.values),
        nps=nps,
        csat=csat,
        comment=rng.choice(SURVEY_COMMENTS[kind]),
    )
