"""Reads for reviews: the scoped lists and the live data that fills a review's sections.

Section data is plain JSON (amounts as strings, dates as ISO strings) so that it can be kept
as a snapshot on the section and compared with a later refresh.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.access import visible_accounts
from accounts.models import Account, Contact, TeamMembership, YearlyFigures, percent
from accounts.search import MIN_LENGTH, search_accounts
from activities.models import Activity
from contracts.models import Contract
from customer_care.models import CustomerIssue, Survey
from deals.models import Opportunity
from planning.business_cases.selectors import with_results
from planning.models import Action, BusinessCase, Scenario
from reviews.models import (
    Agreement,
    AnnualReview,
    FolderVersion,
    JointProject,
    Section,
    Topic,
)
from users.models import User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class Included(TypedDict):
    included: bool


OPEN_STATUSES = (AnnualReview.Status.PREPARING, AnnualReview.Status.READY)
MY_WORK_LIMIT = 20
FIGURE_YEARS = 5
KEY_EVENT_LIMIT = 12
TOP_LEVEL_ROLES = ("decision_maker", "economic_buyer")


def review_list(user: User | AnonymousUser) -> QuerySet[AnnualReview]:
    """Reviews of the accounts the user sees; preloads the account."""
    return AnnualReview.objects.filter(account__in=visible_accounts(user)).select_related("account")


def reviews() -> QuerySet[AnnualReview]:
    """Every review with its account and the account's owner (not scoped: for
    accounts.access.get_editable_or_404, which scopes)."""
    return AnnualReview.objects.select_related("account__owner")


def get_review_for(user: User, pk: int) -> AnnualReview:
    review = review_list(user).select_related("account__owner").filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def review_workspace(user: User, pk: int) -> AnnualReview:
    """The review with everything its page shows, in a fixed number of queries: sections,
    agenda, topics (with owner and contract), market data, projects (with objective),
    agreements (with owner and follow-up), participants (the customer's only where the
    user may see them) and versions."""
    # One scope for the reviews and the participants: the customer's participants may come
    # from anywhere in the group, and only those the user may see are shown.
    accounts = visible_accounts(user)
    queryset = (
        AnnualReview.objects.filter(account__in=accounts)
        .select_related("account__owner", "created_by")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.order_by("pk")),
            "agenda",
            Prefetch("topics", queryset=_topics()),
            "market_data",
            Prefetch("projects", queryset=_projects()),
            Prefetch("agreements", queryset=_agreements()),
            "our_participants",
            Prefetch(
                "customer_participants",
                queryset=Contact.objects.filter(account__in=accounts).select_related("account"),
            ),
            Prefetch(
                "versions",
                queryset=FolderVersion.objects.select_related("requested_by").order_by("-number"),
            ),
        )
    )
    review = queryset.filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def _topics() -> QuerySet[Topic]:
    return Topic.objects.select_related("owner", "contract")


def _projects() -> QuerySet[JointProject]:
    return JointProject.objects.select_related("objective")


def _agreements() -> QuerySet[Agreement]:
    return Agreement.objects.select_related("owner", "follow_up")


def group_account_ids(account: Account) -> list[int]:
    return list(Account.objects.filter(path__startswith=account.path).values_list("pk", flat=True))


def overdue_key_accounts(user: User, *, today: date | None = None) -> QuerySet[Account]:
    """Key accounts in the user's scope without a held review in the last 12 months."""
    today = today or timezone.localdate()
    held = AnnualReview.objects.filter(
        account=OuterRef("pk"),
        status__in=(AnnualReview.Status.HELD, AnnualReview.Status.FOLLOWED_UP),
        meeting_on__gte=today - timedelta(days=365),
    )
    return (
        visible_accounts(user)
        .filter(status=Account.Status.KEY_ACCOUNT)
        .annotate(recently_reviewed=Exists(held))
        .filter(recently_reviewed=False)
        .select_related("owner")
        .order_by("name")
    )


def main_contact_language(account: Account) -> str:
    """The preferred language of the account's main contact: a decision maker first."""
    contact = (
        Contact.objects.filter(account=account, is_active=True)
        .annotate(main=Case(When(buying_role="decision_maker", then=Value(0)), default=Value(1)))
        .order_by("main", "pk")
        .first()
    )
    return contact.preferred_language if contact and contact.preferred_language else "de"


# Live data for the sections ---------------------------------------------------------------


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _period(review: AnnualReview) -> tuple[date, date]:
    """The twelve months before the meeting (or before today while no date is set)."""
    end = review.meeting_on or timezone.localdate()
    return end - timedelta(days=365), end


def relationship_data(review: AnnualReview) -> dict[str, Any]:
    account = review.account
    ids = group_account_ids(account)
    start, end = _period(review)
    since = date(review.year - 3, 1, 1)
    first_year = (
        YearlyFigures.objects.filter(account_id__in=ids, revenue__gt=0)
        .order_by("year")
        .values_list("year", flat=True)
        .first()
    )
    # A customer since the first year with revenue; without figures, since the first
    # contract that was signed (a draft is no start), else since the account was recorded.
    first_contract = (
        Contract.objects.filter(account_id__in=ids)
        .exclude(status=Contract.Status.DRAFT)
        .order_by("start_on")
        .values_list("start_on", flat=True)
        .first()
    )
    if first_year:
        customer_since = first_year
    elif first_contract:
        customer_since = first_contract.year
    else:
        customer_since = timezone.localtime(account.created_at).year
    events: list[dict[str, Any]] = []
    for deal in (
        Opportunity.objects.filter(account_id__in=ids, closed_on__gte=since, closed_on__lte=end)
        .select_related("stage")
        .order_by("-closed_on")[:KEY_EVENT_LIMIT]
    ):
        if deal.closed_on is not None and (deal.stage.is_won or deal.stage.is_lost):
            events.append(
                {
                    "key": f"deal:{deal.pk}",
                    "date": deal.closed_on.isoformat(),
                    "kind": "deal.won" if deal.stage.is_won else "deal.lost",
                    "title": deal.title,
                    "value": _money(deal.value),
                    "customer": bool(deal.stage.is_won),
                }
            )
    for contract in Contract.objects.filter(
        account_id__in=ids, start_on__gte=since, start_on__lte=end
    ).exclude(status=Contract.Status.DRAFT)[:KEY_EVENT_LIMIT]:
        events.append(
            {
                "key": f"contract:{contract.pk}",
                "date": contract.start_on.isoformat(),
                "kind": "contract.started",
                "title": f"{contract.number} {contract.title}",
                "value": _money(contract.annual_value),
                "customer": True,
            }
        )
    for issue in CustomerIssue.objects.filter(
        account_id__in=ids,
        escalated=True,
        opened_at__date__gte=since,
        opened_at__date__lte=end,
    ).order_by("-opened_at")[:KEY_EVENT_LIMIT]:
        events.append(
            {
                "key": f"issue:{issue.pk}",
                "date": timezone.localtime(issue.opened_at).date().isoformat(),
                "kind": "issue.escalated",
                "title": issue.title,
                "value": None,
                "customer": False,
            }
        )
    top_level = Contact.objects.filter(activities=OuterRef("pk"), buying_role__in=TOP_LEVEL_ROLES)
    for activity in (
        Activity.objects.filter(
            account_id__in=ids,
            kind__in=(Activity.Kind.VISIT, Activity.Kind.MEETING),
            occurred_at__date__gte=since,
            occurred_at__date__lte=end,
        )
        .filter(Exists(top_level))
        .order_by("-occurred_at")[:KEY_EVENT_LIMIT]
    ):
        events.append(
            {
                "key": f"activity:{activity.pk}",
                "date": timezone.localtime(activity.occurred_at).date().isoformat(),
                "kind": "activity.top_level",
                "title": activity.subject,
                "value": None,
                "customer": True,
            }
        )
    events.sort(key=lambda event: (event["date"], event["title"]), reverse=True)
    events = _unique(events, lambda event: (event["kind"], event["title"]))
    team = [
        {"key": f"user:{member.user_id}", "name": str(member.user), "role": member.role,
         "customer": True}
        for member in TeamMembership.objects.filter(account=account).select_related("user")
        if member.user_id != account.owner_id
    ]  # fmt: skip
    team.insert(
        0,
        {"key": f"user:{account.owner_id}", "name": str(account.owner),
         "role": "key_account_manager", "customer": True},
    )  # fmt: skip
    return {
        "customer_since": customer_since,
        "years": max(review.year - customer_since, 0),
        "events": events[:KEY_EVENT_LIMIT],
        "team": team,
        "period": [start.isoformat(), end.isoformat()],
    }


def figures_data(review: AnnualReview) -> dict[str, Any]:
    """The last five years up to the review's year, summed over the group in SQL, and
    only what was known on the meeting day (today while no date is set): no year after
    it, no survey, issue or contract of the meeting's year that came after it."""
    ids = group_account_ids(review.account)
    _start, end = _period(review)
    first = review.year - FIGURE_YEARS + 1
    years = range(first, min(review.year, end.year) + 1)
    rows = {
        row["year"]: row
        for row in YearlyFigures.objects.filter(account_id__in=ids, year__in=years)
        .values("year")
        .annotate(
            revenue=Sum("revenue"),
            margin=Sum("contribution_margin"),
            revenue_target=Sum("revenue_target"),
            margin_target=Sum("margin_target"),
            potential=Sum("revenue_potential"),
        )
        .order_by("year")
    }
    surveys = {
        row["year"]: row
        for row in Survey.objects.filter(
            account_id__in=ids, surveyed_on__year__in=years, surveyed_on__lte=end
        )
        .annotate(year=ExtractYear("surveyed_on"))
        .values("year")
        .annotate(
            answers=Count("nps"),
            promoters=Count("pk", filter=Q(nps__gte=9)),
            detractors=Count("pk", filter=Q(nps__lte=6)),
            csat=Avg("csat"),
        )
        .order_by("year")
    }
    issues = {
        row["year"]: row
        for row in CustomerIssue.objects.filter(
            account_id__in=ids, opened_at__year__in=years, opened_at__date__lte=end
        )
        .annotate(year=ExtractYear("opened_at", output_field=IntegerField()))
        .values("year")
        .annotate(
            opened=Count("pk"),
            solved_in_time=Count(
                "pk",
                filter=Q(resolved_at__isnull=False, resolved_at__date__lte=F("due_on"))
                & Q(resolved_at__date__lte=end),
            ),
        )
        .order_by("year")
    }
    contract_value = Contract.objects.filter(account_id__in=ids, start_on__lte=end).exclude(
        status=Contract.Status.DRAFT
    )
    values = contract_value.aggregate(
        **{
            f"y{year}": Sum(
                "annual_value",
                filter=Q(start_on__year__lte=year)
                & (Q(end_on__isnull=True) | Q(end_on__year__gte=year)),
            )
            for year in years
        }
    )
    result = []
    for year in years:
        row = rows.get(year)
        survey = surveys.get(year)
        issue = issues.get(year)
        if not row and not survey and not issue and not values.get(f"y{year}"):
            continue
        nps = None
        if survey and survey["answers"]:
            nps = round((survey["promoters"] - survey["detractors"]) * 100 / survey["answers"])
        result.append(
            {
                "key": f"year:{year}",
                "customer": True,
                "year": year,
                "revenue": _money(row["revenue"]) if row else None,
                "margin": _money(row["margin"]) if row else None,
                "revenue_target": _money(row["revenue_target"]) if row else None,
                "margin_target": _money(row["margin_target"]) if row else None,
                "attainment": _money(percent(row["revenue"], row["revenue_target"]))
                if row
                else None,
                "share_of_wallet": _money(percent(row["revenue"], row["potential"]))
                if row
                else None,
                "nps": nps,
                "csat": _money(Decimal(str(survey["csat"])).quantize(Decimal("0.1")))
                if survey and survey["csat"] is not None
                else None,
                "issues_opened": issue["opened"] if issue else 0,
                "issues_solved_in_time": issue["solved_in_time"] if issue else 0,
                "contract_value": _money(values.get(f"y{year}")),
            }
        )
    return {"rows": result, "group": len(ids) > 1, "accounts": len(ids)}


def measures_data(review: AnnualReview) -> dict[str, Any]:
    ids = group_account_ids(review.account)
    start, end = _period(review)
    actions = [
        {
            "key": f"action:{action.pk}",
            "title": action.title,
            "objective": action.objective.title,
            "date": action.done_on.isoformat(),
            "customer": action.customer_facing,
        }
        for action in Action.objects.filter(
            objective__account_id__in=ids,
            status=Action.Status.DONE,
            done_on__gte=start,
            done_on__lte=end,
        )
        .select_related("objective")
        .order_by("-done_on", "pk")[:30]
        if action.done_on is not None  # excluded by the filter; narrows the type
    ]
    projects = [
        {
            "key": f"deal:{deal.pk}",
            "title": deal.title,
            "date": deal.closed_on.isoformat(),
            "value": _money(deal.value),
            "customer": True,
        }
        for deal in Opportunity.objects.filter(
            account_id__in=ids, stage__is_won=True, closed_on__gte=start, closed_on__lte=end
        ).order_by("-closed_on", "pk")[:30]
        if deal.closed_on is not None  # excluded by the filter; narrows the type
    ]
    issues = [
        {
            "key": f"issue:{issue.pk}",
            "title": issue.title,
            "date": timezone.localtime(issue.resolved_at).date().isoformat(),
            # Resolved issues the customer raised; our own foreseen risks and escalations
            # stay internal unless the manager shows them.
            "customer": issue.kind != CustomerIssue.Kind.RISK and not issue.escalated,
        }
        for issue in CustomerIssue.objects.filter(
            account_id__in=ids,
            resolved_at__date__gte=start,
            resolved_at__date__lte=end,
        ).order_by("-resolved_at", "pk")[:30]
    ]

    def by_title(item: dict[str, Any]) -> str:
        return item["title"]

    return {
        "actions": _unique(actions, by_title),
        "projects": _unique(projects, by_title),
        "issues": _unique(issues, by_title),
    }


def _unique(items: list[dict[str, Any]], identity) -> list[dict[str, Any]]:
    """The first of each item with the same identity (the lists are newest first): an
    action done four times is one line in the folder."""
    seen = set()
    result = []
    for item in items:
        if identity(item) not in seen:
            seen.add(identity(item))
            result.append(item)
    return result


def contracts_to_renegotiate(review: AnnualReview) -> list[Contract]:
    """Contracts of the group whose notice deadline falls within 12 months from the meeting
    (or from today), earliest first: the prices and services to renegotiate."""
    start = review.meeting_on or timezone.localdate()
    ids = group_account_ids(review.account)
    last = start + timedelta(days=365)
    # The dates on the meeting day, which may lie before or after today: computed for the
    # group's few contracts rather than read from the stored dates of today.
    listed: list[tuple[date, Contract]] = []
    for contract in Contract.objects.filter(account_id__in=ids, end_on__isnull=False):
        dates = contract.dates_on(start)
        if dates.notice_deadline is not None and start <= dates.notice_deadline <= last:
            for name in ("term_end", "notice_deadline", "missed_notice_deadline",
                         "next_notice_deadline", "next_renewal_on"):  # fmt: skip
                setattr(contract, name, getattr(dates, name))
            listed.append((dates.notice_deadline, contract))
    return [contract for _, contract in sorted(listed, key=lambda item: (item[0], item[1].pk))]


def live_data(review: AnnualReview, kind: str) -> dict[str, Any]:
    builders: dict[str, Callable[[AnnualReview], dict[str, Any]]] = {
        Section.Kind.RELATIONSHIP: relationship_data,
        Section.Kind.FIGURES: figures_data,
        Section.Kind.MEASURES: measures_data,
    }
    builder = builders.get(kind)
    return builder(review) if builder else {}


def review_counts_by_status(user: User) -> dict[str, int]:
    rows = review_list(user).order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def my_work_reviews(*, user: User) -> dict[str, Any] | None:
    """The open reviews (in preparation or ready) of the accounts the user owns, next
    meeting first, for "My work"; preloads the account. One query: an owner always sees
    the accounts they own (accounts.access), so the scope needs no query of its own."""
    reviews = list(
        AnnualReview.objects.filter(account__owner=user, status__in=OPEN_STATUSES)
        .select_related("account")
        .order_by(F("meeting_on").asc(nulls_last=True), "account__name", "pk")[:MY_WORK_LIMIT]
    )
    return {"reviews": reviews, "today": timezone.localdate()} if reviews else None


@dataclass(frozen=True)
class SearchResult:
    title: str
    detail: str
    url: str


def _is_year(word: str) -> bool:
    return len(word) == 4 and word.isdigit()


def search(*, user: User, query: str, limit: int) -> list[SearchResult]:
    """The header search: reviews within the user's scope whose account's name (legal name,
    city) matches the words of the query and whose year is a four-digit number in it
    ("Müller 2025", "Müller", "2025"); newest year first. Two queries (scope, reviews)."""
    words = query.split()
    years = sorted({int(word) for word in words if _is_year(word)})
    text = " ".join(word for word in words if not _is_year(word))
    if (text and len(text) < MIN_LENGTH) or not (text or years):
        return []
    if text:
        reviews = AnnualReview.objects.filter(
            account__in=search_accounts(visible_accounts(user), text)
        ).select_related("account")
    else:
        reviews = review_list(user)
    if years:
        reviews = reviews.filter(year__in=years)
    results = []
    for review in reviews.order_by("-year", "account__name", "pk")[:limit]:
        detail = review.get_status_display()
        if review.meeting_on:
            detail = f"{detail} · {date_format(review.meeting_on, 'SHORT_DATE_FORMAT')}"
        results.append(
            SearchResult(
                title=_("%(account)s · annual review %(year)s")
                % {"account": review.account.name, "year": review.year},
                detail=str(detail),
                url=reverse("reviews:detail", args=[review.pk]),
            )
        )
    return results


# What the customer's folder shows ---------------------------------------------------------

# The lists of live data in each section whose items the manager shows or hides one by one.
ITEM_LISTS: dict[str, tuple[str, ...]] = {
    Section.Kind.RELATIONSHIP: ("events", "team"),
    Section.Kind.FIGURES: ("rows",),
    Section.Kind.MEASURES: ("projects", "actions", "issues"),
}
# Key figures that are ours alone: targets, attainment, share of wallet (it reveals the
# potential we estimate) and the contribution margin never reach the customer's folder.
INTERNAL_FIGURES = ("margin", "revenue_target", "margin_target", "attainment", "share_of_wallet")
CUSTOMER_FIGURES = ("revenue", "nps", "csat", "issues", "contract_value")
ALL_FIGURES = ("revenue", "margin", "revenue_target", "attainment", "share_of_wallet", "nps",
               "csat", "issues", "contract_value")  # fmt: skip


def item_key(list_name: str, item: dict[str, Any]) -> str:
    """The item's stable key; snapshots taken before items had keys fall back to the
    title, so that a choice made on them still holds."""
    if item.get("key"):
        return str(item["key"])
    label = item.get("title") or item.get("name") or item.get("year")
    return f"{list_name}:{label}"


def item_label(item: dict[str, Any]) -> str:
    if "year" in item and "title" not in item:
        return _("Key figures %(year)s") % {"year": item["year"]}
    return str(item.get("title") or item.get("name") or "")


def is_shown(section: Section, list_name: str, item: dict[str, Any]) -> bool:
    """Whether the customer's folder shows the item: the manager's choice, else the default
    of its kind (an item of an old snapshot without a default stays internal)."""
    choice = (section.shown or {}).get(item_key(list_name, item))
    if choice is not None:
        return bool(choice)
    return bool(item.get("customer", False))


@dataclass(frozen=True)
class ChoiceItem:
    key: str
    list_name: str
    label: str
    shown: bool
    item: dict[str, Any]


def section_items(section: Section) -> list[ChoiceItem]:
    """Every switchable item of a section, with what the customer's folder does with it."""
    data = section.data or {}
    return [
        ChoiceItem(
            key=item_key(list_name, item),
            list_name=list_name,
            label=item_label(item),
            shown=is_shown(section, list_name, item),
            item=item,
        )
        for list_name in ITEM_LISTS.get(section.kind, ())
        for item in data.get(list_name, [])
    ]


def customer_data(section: Section | None) -> dict[str, Any]:
    """The section's data as the customer's folder shows it: only the items shown."""
    if section is None:
        return {}
    data = dict(section.data or {})
    for list_name in ITEM_LISTS.get(section.kind, ()):
        data[list_name] = [
            item for item in data.get(list_name, []) if is_shown(section, list_name, item)
        ]
    return data


def shown_items(review: AnnualReview) -> dict[str, str]:
    """Key -> label of every item the customer's folder shows (for the version's change
    list)."""
    return {
        choice.key: choice.label
        for section in review.sections.all()
        for choice in section_items(section)
        if choice.shown
    }


def customer_contacts(review: AnnualReview) -> list[Contact]:
    """The customer's participants of the review's account and its subsidiaries: a contact
    of another account of the group never reaches the folder, whoever downloads it."""
    return list(
        review.customer_participants.filter(account__path__startswith=review.account.path)
        .select_related("account")
        .order_by("last_name", "first_name", "pk")
    )


def folder_content(review: AnnualReview, *, internal: bool) -> dict[str, Any]:
    """What a folder version prints from live data: the internal version everything, the
    customer's version only what is shown to the customer (the manager's choices, else the
    default per kind) and none of our internal figures. Duplicates are already gone from
    the data (one line per title)."""
    sections = {section.kind: section for section in review.sections.all()}

    def data(kind: str) -> dict[str, Any]:
        section = sections.get(kind)
        if internal:
            return (section.data or {}) if section else {}
        return customer_data(section)

    return {
        "relationship": data(Section.Kind.RELATIONSHIP),
        "figures": data(Section.Kind.FIGURES).get("rows", []),
        "figure_columns": ALL_FIGURES if internal else CUSTOMER_FIGURES,
        "measures": data(Section.Kind.MEASURES),
        "contacts": customer_contacts(review),
        # A topic's goal is our goal for the negotiation (a price limit): internal.
        "topic_goals": internal,
    }


def review_business_cases(
    review: AnnualReview,
) -> "list[WithAnnotations[BusinessCase, Included]]":
    """The business cases of the review's account and its subsidiaries, newest first, each
    with `included`: whether the customer's folder prints its summary. One query."""
    chosen = AnnualReview.business_cases.through.objects.filter(
        annualreview_id=review.pk, businesscase_id=OuterRef("pk")
    )
    return list(
        BusinessCase.objects.filter(account__path__startswith=review.account.path)
        .select_related("account")
        .annotate(included=Exists(chosen))
        .order_by("-created_at", "-pk")
    )


def folder_business_cases(review: AnnualReview) -> list[BusinessCase]:
    """The cases the manager chose for the folder (still of the account's group), by title,
    with their scenarios and each scenario's `result` (the case's own arithmetic)."""
    cases = (
        review.business_cases.filter(account__path__startswith=review.account.path)
        .prefetch_related(
            Prefetch("scenarios", queryset=Scenario.objects.order_by("position", "pk"))
        )
        .order_by("title", "pk")
    )
    return [with_results(case) for case in cases]
