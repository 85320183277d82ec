"""Reminders keep the subject written when they were raised ("Call Erika Muster back"):
at an erasure (accounts.gdpr) those naming the person are redacted. Nothing to export:
a reminder is derived from records the other sources export."""

from accounts.gdpr import redact_rows, redacted_json
from accounts.models import Contact
from reminders.models import Reminder


def collect(*, contact: Contact, user) -> None:
    return None


def redact(*, contact: Contact, redact) -> int:
    """The subjects of the reminders of the person's whole group (a reminder on a group
    may name a contact of a subsidiary)."""
    root = contact.account.path.strip("/").split("/")[0] or str(contact.account_id)
    reminders = Reminder.objects.filter(account__path__startswith=f"/{root}/")
    changed = redact_rows(reminders, ["subject"], redact)
    # The words a reminder is shown with at display time come from its params.
    for pk, params in reminders.exclude(params={}).values_list("pk", "params"):
        new = redacted_json(params, redact)
        if new != params:
            Reminder.objects.filter(pk=pk).update(params=new)
            changed += 1
    return changed
