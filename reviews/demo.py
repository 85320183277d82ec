"""Demo annual reviews for `manage.py seed_demo`: for the biggest demo key account, last
year's review (held, with agenda, topics, market data, projects, agreements and two rendered
folder versions) and this year's review in preparation.

Written through reviews.services; the two PDFs are rendered in process. Running it again
creates nothing new: an account that already has reviews is left alone.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Account, Contact
from customer_care.models import CustomerIssue
from deals.models import Opportunity
from kam.formats import money, pct
from kam.history import authored_by
from planning.models import Action, BusinessCase
from reviews import rendering, selectors, services
from reviews.models import AnnualReview, JointProject, Section

AGENDA = [
    ("Begrüßung und Ziele des Gesprächs", 10, "Key Account Manager"),
    ("Rückblick auf die Zusammenarbeit", 20, "Key Account Manager"),
    ("Kennzahlen und Marktentwicklung", 25, "Vertriebsleitung"),
    ("Preise und Leistungen ab dem neuen Vertragsjahr", 30, "Key Account Manager"),
    ("Gemeinsamer Plan für das kommende Jahr", 25, "alle"),
]
MARKET = [
    ("Marktvolumen Antriebstechnik DACH", "4,2 Mrd. €", "VDMA Branchenreport", -1),
    ("Marktwachstum Ersatzteilgeschäft", "+3,5 %", "Statistisches Bundesamt", -1),
    ("Anteil Onlinebestellungen im B2B", "41 %", "Bitkom Studie", -1),
]
PROJECTS = [
    (JointProject.Area.LOGISTICS, "Konsignationslager im Werk", "Lieferzeit halbieren", "48 h"),
    (
        JointProject.Area.SALES,
        "Gemeinsamer Auftritt auf der Hannover Messe",
        "Neue Kunden",
        "3 Leads",
    ),
    (JointProject.Area.PRODUCT, "Pilot vernetzte Sensorik", "Ausfallzeiten senken", "-20 %"),
    (JointProject.Area.SERVICE, "Servicevertrag mit Reaktionszeit 4 h", "Verfügbarkeit", "99 %"),
]


# Measures of the demo's action plan carried out together with the customer; the plan's
# other actions ("Rabattstaffel überprüfen", "Preisanpassung vorbereiten") are internal tasks.
JOINT_ACTIONS = (
    "Werksbesuch mit der Technik",
    "Referenzbesuch organisieren",
    "Messebesuch gemeinsam planen",
    "Jahresgespräch mit der Geschäftsführung",
)
# Internal texts seeded on purpose: none may ever reach a customer's folder
# (tests/reviews/test_demo_folder.py reads every demo folder for them).
NOTES = (
    "Verhandlungsgrenze Preisanpassung: mindestens 2,5 %. Risiko: Wettbewerber bietet 5 % Rabatt."
)
TOPIC_GOAL = "Materialkosten weitergeben, höchstens 4 %"
INTERNAL_TEXTS = (
    "Rabattstaffel überprüfen",
    "Preisanpassung vorbereiten",
    "Verhandlungsgrenze",
    "höchstens 4 %",
)


def internal_markers(review: AnnualReview) -> list[str]:
    """Texts and figures of the review that only the internal version may print: the
    seeded internal texts, the titles of lost deals, escalated issues, risks and internal
    actions of the group (unless the same title is also a shown item), the internal
    figures as the folder formats them, and the headings of internal columns. In the
    review's language."""
    ids = selectors.group_account_ids(review.account)
    shown = {
        choice.label
        for section in review.sections.all()
        for choice in selectors.section_items(section)
        if choice.shown
    }
    titles = {
        *Opportunity.objects.filter(account_id__in=ids, stage__is_lost=True).values_list(
            "title", flat=True
        ),
        *CustomerIssue.objects.filter(account_id__in=ids)
        .filter(Q(escalated=True) | Q(kind=CustomerIssue.Kind.RISK))
        .values_list("title", flat=True),
        *Action.objects.filter(objective__account_id__in=ids, customer_facing=False).values_list(
            "title", flat=True
        ),
    }
    with translation.override(review.language):
        markers = [
            *INTERNAL_TEXTS,
            *sorted(titles - shown),
            str(_("Target attainment")),
            str(_("Share of wallet")),
            str(_("Contribution margin")),
            str(_("Revenue target")),
            str(_("Escalated issue")),
            str(_("Project lost")),
            str(_("INTERNAL")),
        ]
        figures = review.sections.filter(kind=Section.Kind.FIGURES).first()
        for row in (figures.data or {}).get("rows", []) if figures else []:
            markers += [money(row.get("revenue_target")), money(row.get("margin"))]
            for key in ("attainment", "share_of_wallet"):
                if row.get(key):
                    markers.append(pct(Decimal(row[key])))
        # Our side of the business cases in the folder: our revenue and margin effect.
        for case in selectors.folder_business_cases(review):
            for scenario in case.scenarios.all():
                markers += [
                    money(scenario.result.revenue_effect),  # type: ignore[attr-defined]
                    money(scenario.result.margin_effect),  # type: ignore[attr-defined]
                ]
    return [marker for marker in markers if marker and marker not in ("–", money(0))]


def _mark_joint_actions(account: Account) -> None:
    # One update for the whole group: the subsidiaries' plans may belong to other managers.
    Action.objects.filter(
        objective__account__path__startswith=account.path, title__in=JOINT_ACTIONS
    ).update(customer_facing=True)


def _biggest_key_account() -> Account | None:
    year = timezone.localdate().year - 1
    return (
        Account.objects.filter(
            external_id__startswith="DEMO-", status=Account.Status.KEY_ACCOUNT, parent=None
        )
        .filter(figures__year=year)
        .annotate(last_revenue=Sum("figures__revenue"))
        .select_related("owner")
        .order_by("-last_revenue", "pk")
        .first()
    )


def seed(users) -> int:
    account = _biggest_key_account()
    if account is None or AnnualReview.objects.filter(account=account).exists():
        return 0
    today = timezone.localdate()
    owner = account.owner
    contacts = list(
        Contact.objects.filter(account__path__startswith=account.path, is_active=True).order_by(
            "pk"
        )[:3]
    )
    created = 0
    _mark_joint_actions(account)
    meeting = today + timedelta(days=21)
    next_meeting = meeting if meeting.year == today.year else today
    # The demo is German: texts written from data and the proposed topics in German too.
    with authored_by(owner), translation.override("de"):
        last = services.review_create(
            actor=owner,
            account=account,
            year=today.year - 1,
            meeting_on=date(today.year - 1, 11, 18),
            place=account.city or "",
            backdate_reason="Nachträglich erfasst (Demo-Daten).",
            customer_participants=contacts,
        )
        for title, minutes, presenter in AGENDA:
            services.agenda_item_save(
                actor=owner, review=last, title=title, duration_minutes=minutes, presenter=presenter
            )
        for topic, figure, source, offset in MARKET:
            services.market_figure_save(
                actor=owner, review=last, topic=topic, figure=figure, source=source,
                year=last.year + offset,
            )  # fmt: skip
        services.topic_save(
            actor=owner,
            review=last,
            title="Preisanpassung Rahmenvertrag",
            goal=TOPIC_GOAL,
            owner=owner,
            customer_side="Leitung Einkauf",
            renegotiate=True,
        )
        for area, title, goal, target in PROJECTS:
            services.project_save(
                actor=owner, review=last, area=area, title=title, goal=goal, target=target
            )
        sections = {section.kind: section for section in last.sections.all()}
        services.section_update(
            actor=owner,
            section=sections[Section.Kind.OUTLOOK],
            text="Wir wollen gemeinsam wachsen: schnellere Lieferung, mehr Service, neue Produkte.",
        )
        services.section_update(
            actor=owner,
            section=sections[Section.Kind.NOTES],
            text=NOTES,
        )
        # The group's newest business case goes into the folder as the customer's summary.
        case = (
            BusinessCase.objects.filter(account__path__startswith=account.path)
            .order_by("-created_at", "-pk")
            .first()
        )
        if case is not None:
            services.business_case_include(actor=owner, review=last, case_id=case.pk, included=True)
        for internal in (False, True):
            version, _new = services.folder_request(actor=owner, review=last, internal=internal)
            rendering.render_version(version_id=version.pk)
            created += 1
        services.review_update(
            actor=owner,
            review=last,
            status=AnnualReview.Status.HELD,
            minutes="Preisanpassung von 3 % ab Januar vereinbart; Pilot Sensorik startet im "
            "Frühjahr.",
            next_review_on=next_meeting,
        )
        services.agreement_add(
            actor=owner,
            review=last,
            text="Angebot Konsignationslager senden",
            owner=owner,
            due_on=today + timedelta(days=14),
        )
        created += 1
        # The next review date created this year's review in preparation.
        this = AnnualReview.objects.get(account=account, year=today.year)
        services.market_data_copy_from_last_year(actor=owner, review=this)
        for title, minutes, presenter in AGENDA[:3]:
            services.agenda_item_save(
                actor=owner, review=this, title=title, duration_minutes=minutes, presenter=presenter
            )
        created += 2
    return created
