"""Annual reviews ("Jahresgespräch"): a key account without a held review for
REMINDER_REVIEW_MONTHS (12) months, the preparation of a planned review from
REMINDER_REVIEW_PREPARATION_DAYS (30) days before its date, and a review still open after
its planned date (overdue); all for the account's owner. A review of a group covers its
subsidiaries: the review of any account above counts as theirs."""

from datetime import timedelta

from django.conf import settings
from django.db.models import DateField, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, path_ids
from contracts.terms import add_months
from reminders.registry import Due, Rule, When
from reminders.rules import link
from reviews.models import AnnualReview

HELD = (AnnualReview.Status.HELD, AnnualReview.Status.FOLLOWED_UP)
OPEN = (AnnualReview.Status.PREPARING, AnnualReview.Status.READY)


def _covering():
    """Reviews of the outer account or of an account above it in its group (whose path
    starts the outer account's path)."""
    return AnnualReview.objects.filter(
        Q(account=OuterRef("pk"))
        | (Q(StartsWith(OuterRef("path"), F("account__path"))) & ~Q(account__path=""))
    )


def key_accounts_without_review(when: When):
    """Never reviewed counts from the account's creation. An account with a review in
    preparation (its own or its group's) is left to the preparation and overdue rules."""
    months = settings.REMINDER_REVIEW_MONTHS
    last_held = (
        _covering()
        .filter(status__in=HELD)
        .exclude(meeting_on__isnull=True)
        .order_by("-meeting_on")
        .values("meeting_on")[:1]
    )
    url = link("accounts:detail")
    rows = (
        Account.objects.filter(status=Account.Status.KEY_ACCOUNT)
        .annotate(
            since=Coalesce(Subquery(last_held, output_field=DateField()), TruncDate("created_at"))
        )
        .filter(since__lte=add_months(when.today, -months))
        .exclude(Exists(_covering().filter(status__in=OPEN)))
        .values_list("pk", "since", "owner_id", "name", "path")
        .order_by()
    )
    due = list(rows)
    # A subsidiary whose group is due as well is reviewed with the group: one reminder, the
    # group's.
    due_ids = {row[0] for row in due}
    for pk, since, owner_id, name, path in due:
        if any(ancestor in due_ids for ancestor in path_ids(path)[:-1]):
            continue
        yield Due(
            object_id=pk,
            due_on=add_months(since, months),
            recipient_id=owner_id,
            subject=name,
            url=url(pk),
            account_id=pk,
            params={"since_on": since.isoformat(), "months": months},
        )


def reviews_to_prepare(when: When):
    days = settings.REMINDER_REVIEW_PREPARATION_DAYS
    url = link("reviews:detail")
    rows = (
        AnnualReview.objects.filter(
            status__in=OPEN,
            meeting_on__gte=when.today,
            meeting_on__lte=when.today + timedelta(days=days),
        )
        .values_list("pk", "meeting_on", "account__owner_id", "account__name", "account_id")
        .order_by()
    )
    for pk, meeting_on, owner_id, name, account_id in rows.iterator(chunk_size=5000):
        if meeting_on is None:  # excluded by the filter; a guard for the type checker
            continue
        yield Due(
            object_id=pk,
            due_on=meeting_on - timedelta(days=days),
            recipient_id=owner_id,
            subject=name,
            url=url(pk),
            account_id=account_id,
            params={"meeting_on": meeting_on.isoformat()},
        )


def overdue_reviews(when: When):
    """Reviews still in preparation (or ready) after their planned date: the date itself
    is due, once per planned date."""
    url = link("reviews:detail")
    rows = (
        AnnualReview.objects.filter(status__in=OPEN, meeting_on__lt=when.today)
        .values_list("pk", "meeting_on", "account__owner_id", "account__name", "account_id")
        .order_by()
    )
    for pk, meeting_on, owner_id, name, account_id in rows.iterator(chunk_size=5000):
        if meeting_on is None:  # excluded by the filter; a guard for the type checker
            continue
        yield Due(
            object_id=pk,
            due_on=meeting_on,
            recipient_id=owner_id,
            subject=name,
            url=url(pk),
            account_id=account_id,
            params={"meeting_on": meeting_on.isoformat()},
        )


def _overdue_settled(review: AnnualReview) -> bool:
    return not review.is_open or (
        review.meeting_on is not None and review.meeting_on >= timezone.localdate()
    )


RULES = [
    Rule(
        key="review_missing",
        label=_("Key accounts without an annual review"),
        model="accounts.account",
        message=_(
            "The key account %(subject)s has had no annual review since %(since_on)s "
            "(at least every %(months)s months)."
        ),
        scan=key_accounts_without_review,
        order=70,
    ),
    Rule(
        key="review_preparation",
        label=_("Annual reviews to prepare"),
        model="reviews.annualreview",
        message=_("Prepare the annual review with %(subject)s on %(meeting_on)s (%(days_left)s)."),
        scan=reviews_to_prepare,
        settled=lambda review: not review.is_open,
        counts_down_to="meeting_on",
        order=71,
    ),
    Rule(
        key="review_overdue",
        label=_("Annual reviews overdue"),
        model="reviews.annualreview",
        message=_(
            "Review overdue: the annual review with %(subject)s was planned for "
            "%(meeting_on)s and is still open. Hold and record it, or set a new date."
        ),
        scan=overdue_reviews,
        settled=_overdue_settled,
        order=72,
    ),
]
