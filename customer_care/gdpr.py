"""A person's survey answers, for their data requests (accounts.gdpr). Erasure keeps
the scores (they count in the account's NPS and CSAT) and redacts the comment."""

from django.utils.translation import gettext as _

from accounts.access import scoped
from accounts.gdpr import Section, redact_rows, section
from accounts.models import Contact
from customer_care.models import Survey

SURVEY_FIELDS = ("surveyed_on", "account", "method", "nps", "csat", "comment", "recorded_by")


def collect(*, contact: Contact, user) -> Section:
    surveys = (
        scoped(user, Survey.objects.filter(contact=contact))
        .select_related("account", "recorded_by")
        .order_by("surveyed_on", "pk")
    )
    return section("surveys", _("Survey answers"), Survey, SURVEY_FIELDS, surveys)


def redact(*, contact: Contact, redact) -> int:
    ids = list(Survey.objects.filter(contact=contact).values_list("pk", flat=True))
    return redact_rows(Survey.objects.filter(pk__in=ids), ("comment",), redact) + redact_rows(
        Survey.history.filter(id__in=ids), ("comment",), redact
    )
