"""Contact silence: no logged contact with a key account for more than the tier's days
(REMINDER_SILENCE_DAYS, A 30, B 60, C 90), for the account's owner. The last contact is
the account's `last_contacted_at` column, kept by the activity services on every write
(and hourly for planned activities whose time has come); never contacted counts from the
account's creation."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from reminders.registry import Due, Rule, When
from reminders.rules import link


def silent_key_accounts(when: When):
    days = settings.REMINDER_SILENCE_DAYS
    silent = Q()
    for tier, limit in days.items():
        # "More than N days": silent once the last contact is before the start of the day
        # N days ago (in local time), so the reminder is due on day N + 1.
        cutoff = timezone.make_aware(datetime.combine(when.today - timedelta(days=limit), time.min))
        silent |= Q(tier=tier, silent_since__lt=cutoff)
    url = link("accounts:detail")
    rows = (
        Account.objects.filter(status=Account.Status.KEY_ACCOUNT)
        .annotate(silent_since=Coalesce("last_contacted_at", "created_at"))
        .filter(silent)
        .values_list("pk", "tier", "silent_since", "owner_id", "name")
        .order_by()
    )
    for pk, tier, since, owner_id, name in rows.iterator(chunk_size=5000):
        last_day = timezone.localtime(since).date()
        yield Due(
            object_id=pk,
            due_on=last_day + timedelta(days=days[tier] + 1),
            recipient_id=owner_id,
            subject=name,
            url=url(pk),
            account_id=pk,
            params={"since_on": last_day.isoformat(), "days": days[tier], "tier": tier},
        )


RULES = [
    Rule(
        key="contact_silence",
        label=_("Silent key accounts"),
        model="accounts.account",
        message=_(
            "No logged contact with the key account %(subject)s since %(since_on)s "
            "(tier %(tier)s: at least every %(days)s days)."
        ),
        scan=silent_key_accounts,
        order=40,
    ),
]
