"""The activities a person took part in, for their data requests (accounts.gdpr)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.access import scoped
from accounts.gdpr import Section, redact_rows, section
from accounts.models import Contact
from activities.models import Activity, FollowUp

ACTIVITY_FIELDS = (
    "occurred_at",
    "kind",
    "account",
    "subject",
    "location",
    "duration_minutes",
    "users",
    "notes",
    "outcome",
    "next_step",
    "next_step_due_on",
    "created_by",
)
ACTIVITY_TEXTS = ("subject", "location", "notes", "outcome", "next_step")
FOLLOW_UP_TEXTS = ("title", "notes")


def collect(*, contact: Contact, user) -> Section:
    activities = (
        scoped(user, Activity.objects.filter(contacts=contact))
        .select_related("account", "created_by")
        .prefetch_related("users")
        .order_by("occurred_at", "pk")
    )
    return section(
        "activities", _("Activities taken part in"), Activity, ACTIVITY_FIELDS, activities
    )


def redact(*, contact: Contact, redact) -> int:
    """The texts of the person's activities and of the follow-ups that came from them or
    name them on their account, with the history of both."""
    ids = list(Activity.objects.filter(contacts=contact).values_list("pk", flat=True))
    follow_ups = FollowUp.objects.filter(Q(activity_id__in=ids) | Q(account_id=contact.account_id))
    follow_up_ids = list(follow_ups.values_list("pk", flat=True))
    return (
        redact_rows(Activity.objects.filter(pk__in=ids), ACTIVITY_TEXTS, redact)
        + redact_rows(Activity.history.filter(id__in=ids), ACTIVITY_TEXTS, redact)
        + redact_rows(FollowUp.objects.filter(pk__in=follow_up_ids), FOLLOW_UP_TEXTS, redact)
        + redact_rows(FollowUp.history.filter(id__in=follow_up_ids), FOLLOW_UP_TEXTS, redact)
    )
