"""The annual reviews a person took part in, for their data requests (accounts.gdpr)."""

from django.utils.translation import gettext as _

from accounts.access import scoped
from accounts.gdpr import Section, redact_rows, section
from accounts.models import Contact
from reviews.models import AnnualReview

REVIEW_FIELDS = ("year", "account", "meeting_on", "place", "status", "our_participants")
REVIEW_TEXTS = ("minutes", "place", "backdate_reason")


def collect(*, contact: Contact, user) -> Section:
    reviews = (
        scoped(user, AnnualReview.objects.filter(customer_participants=contact))
        .select_related("account")
        .prefetch_related("our_participants")
        .order_by("year", "pk")
    )
    return section(
        "reviews", _("Annual reviews taken part in"), AnnualReview, REVIEW_FIELDS, reviews
    )


def redact(*, contact: Contact, redact) -> int:
    ids = list(
        AnnualReview.objects.filter(customer_participants=contact).values_list("pk", flat=True)
    )
    return redact_rows(AnnualReview.objects.filter(pk__in=ids), REVIEW_TEXTS, redact) + redact_rows(
        AnnualReview.history.filter(id__in=ids), REVIEW_TEXTS, redact
    )
