"""The annual reviews a person took part in, for their data requests (accounts.gdpr)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import gdpr
from accounts.access import scoped
from accounts.gdpr import redact_rows, redacted_json, section
from accounts.models import Contact, path_ids
from reviews.models import AnnualReview, FolderVersion, Section

REVIEW_FIELDS = ("year", "account", "meeting_on", "place", "status", "our_participants")
REVIEW_TEXTS = ("minutes", "place", "backdate_reason")


def collect(*, contact: Contact, user) -> gdpr.Section:
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
    """The review's texts and its sections' texts and snapshots (the relationship
    section lists contacts and activities), so that a folder rendered later names nobody."""
    ids = list(
        AnnualReview.objects.filter(customer_participants=contact).values_list("pk", flat=True)
    )
    changed = redact_rows(AnnualReview.objects.filter(pk__in=ids), REVIEW_TEXTS, redact)
    changed += redact_rows(AnnualReview.history.filter(id__in=ids), REVIEW_TEXTS, redact)
    for part in Section.objects.filter(review_id__in=ids).only("pk", "text", "data", "changes"):
        new = {
            "text": redact(part.text),
            "data": redacted_json(part.data, redact),
            "changes": redacted_json(part.changes, redact),
        }
        if new != {"text": part.text, "data": part.data, "changes": part.changes}:
            Section.objects.filter(pk=part.pk).update(**new)
            changed += 1
    changed += _forget_folders(contact, ids)
    return changed


def _forget_folders(contact: Contact, participated: list[int]) -> int:
    """The rendered folders that may name the person: those of the reviews they took part
    in, and of the reviews of their account and of the groups above it (the relationship
    section lists the account's contacts). Their versions are deleted, and the PDFs with
    them once the erasure is committed (reviews.pdf.forget_file); a folder rendered again
    reads the redacted texts."""
    versions = FolderVersion.objects.filter(
        Q(review_id__in=participated) | Q(review__account_id__in=path_ids(contact.account.path))
    )
    deleted, _per_model = versions.delete()
    return deleted
