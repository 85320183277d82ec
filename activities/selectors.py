"""Reads of the contact log shared by pages, API and other apps. Each starts from the access
scope."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst

from accounts.access import scoped, visible_contacts, visible_participants
from accounts.models import Account, Contact
from activities.models import Activity, FollowUp
from kam.history import Source
from users.models import User

STALE_AFTER_DAYS = 90


def activity_list(user: User) -> QuerySet[Activity]:
    """Visible activities with account and author preloaded and the participants
    prefetched (two more queries, whatever the page size)."""
    return (
        scoped(user, Activity.objects.all())
        .select_related("account", "created_by", "next_step_owner")
        .prefetch_related(
            visible_participants(user),
            Prefetch("users", queryset=User.objects.order_by("last_name", "first_name")),
        )
    )


def follow_up_list(user: User | AnonymousUser) -> QuerySet[FollowUp]:
    """Visible follow-ups with account, owner, closer and activity preloaded."""
    return scoped(user, FollowUp.objects.all()).select_related(
        "account", "owner", "done_by", "activity"
    )


def open_follow_ups_of(user: User) -> QuerySet[FollowUp]:
    """The user's open follow-ups, earliest due first (so overdue ones lead)."""
    return follow_up_list(user).filter(owner=user, done_at__isnull=True).order_by("due_on", "pk")


def recently_done_follow_ups_of(user: User, *, days: int = 30) -> QuerySet[FollowUp]:
    """The user's follow-ups closed in the last `days` days, newest first."""
    since = timezone.now() - timedelta(days=days)
    return follow_up_list(user).filter(owner=user, done_at__gte=since).order_by("-done_at", "-pk")


def stale_contacts(
    user: User, *, days: int = STALE_AFTER_DAYS, key_accounts_only: bool = True
) -> QuerySet[Contact]:
    """Active contacts of visible (key) accounts not contacted for `days` days or never,
    never contacted first, then the longest silence, with the account preloaded.

    Reads the kept column `Contact.last_contacted_at` in the order of its partial index
    `contact_last_contact_idx`, so a page of the longest silences is an index range scan.
    """
    cutoff = timezone.now() - timedelta(days=days)
    contacts = visible_contacts(user).filter(is_active=True)
    if key_accounts_only:
        contacts = contacts.filter(account__status=Account.Status.KEY_ACCOUNT)
    return (
        contacts.select_related("account")
        .filter(Q(last_contacted_at__lt=cutoff) | Q(last_contacted_at__isnull=True))
        .order_by(F("last_contacted_at").asc(nulls_first=True), "last_name", "pk")
    )


def group_ids(account: Account) -> dict[int, str]:
    """The account and every subsidiary below it: {id: name}. Whoever sees an account sees
    its subsidiaries (accounts.access), so no further scope is needed."""
    rows = Account.objects.filter(path__startswith=account.path).values_list("pk", "name")
    return dict(rows)


def header_follow_ups(*, account: Account, group_ids: list[int], user: User) -> dict:
    """The account header's open follow-ups of the account and its subsidiaries (how many
    overdue) and the account's last contact: one query. Whoever sees the account sees
    its subsidiaries, so no further scope is needed."""
    today = timezone.localdate()
    counts = (
        FollowUp.objects.open()
        .filter(account__in=group_ids)
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    return {**counts, "last_contact": account.last_contacted_at}


def account_history_sources(*, account: Account) -> list[Source]:
    """The account's activities and follow-ups on its History tab, deleted ones included
    (kam.registry.account_history_sources)."""
    return [
        Source(
            Activity,
            Activity.history.filter(account_id=account.pk),
            lambda row: f"{capfirst(Activity._meta.verbose_name)}: {row.subject}",
            key="activity",
        ),
        Source(
            FollowUp,
            FollowUp.history.filter(account_id=account.pk),
            lambda row: f"{capfirst(FollowUp._meta.verbose_name)}: {row.title}",
            key="follow_up",
        ),
    ]


def activity_history_sources(activity: Activity) -> list[Source]:
    """The activity's changes and those of its follow-ups (kam.registry.history_kinds
    "activity")."""
    return [
        Source(
            Activity,
            Activity.history.filter(id=activity.pk),
            lambda r: str(capfirst(Activity._meta.verbose_name)),
            key="activity",
        ),
        Source(
            FollowUp,
            FollowUp.history.filter(activity_id=activity.pk),
            lambda r: f"{capfirst(FollowUp._meta.verbose_name)}: {r.title}",
            key="follow_up",
        ),
    ]
