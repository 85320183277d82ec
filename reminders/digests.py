"""The e-mail digest: per user, at REMINDER_DIGEST_HOUR local time, daily or weekly (the
user's choice on the profile page), in the user's language.

Sending is recorded per reminder: the Digest row and its reminders are committed before
the e-mail goes out, `sent_at` after. A run killed at any point and run again never mails
a reminder twice (a digest claimed but not confirmed is not resent; it is logged). A
digest the mail server refused is released and goes out with the next run.
"""

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from reminders.models import Digest, Reminder
from reminders.selectors import in_scope
from users.models import DigestFrequency, User

logger = logging.getLogger(__name__)


def digest_period(frequency: str, now: datetime) -> str | None:
    """The period a digest sent now belongs to, or None when it is not yet time."""
    local = timezone.localtime(now)
    if frequency == DigestFrequency.OFF or local.hour < settings.REMINDER_DIGEST_HOUR:
        return None
    if frequency == DigestFrequency.DAILY:
        return local.date().isoformat()
    if local.weekday() < settings.REMINDER_DIGEST_WEEKDAY:
        return None
    year, week, _day = local.isocalendar()
    return f"{year}-W{week:02d}"


def _pending(today, user_field: str = "pk"):
    return Reminder.objects.filter(recipient=OuterRef(user_field), digest__isnull=True).awake(today)


def due_recipients(now: datetime) -> list[tuple[User, str]]:
    """Users whose digest of the current period is due and not sent, who have something
    to read: one query per frequency."""
    result = []
    for frequency in (DigestFrequency.DAILY, DigestFrequency.WEEKLY):
        period = digest_period(frequency, now)
        if period is None:
            continue
        users = (
            User.objects.filter(digest_frequency=frequency)
            .filter(Exists(_pending(timezone.localdate(now))))
            .exclude(Exists(Digest.objects.filter(recipient=OuterRef("pk"), period=period)))
        )
        for user in users:
            if not user.is_active:
                logger.info("reminders: digest skipped, user %s is inactive", user.pk)
            elif not user.email:
                logger.info("reminders: digest skipped, user %s has no e-mail address", user.pk)
            else:
                result.append((user, period))
    return result


def _claim(user: User, period: str, today: date | None = None) -> Digest | None:
    """Commit the digest row with the user's pending reminders (not snoozed, of accounts
    the user may see now); None if another run has claimed this period already or nothing
    is pending any more."""
    try:
        with transaction.atomic():
            digest = Digest.objects.create(recipient=user, period=period)
            pending = in_scope(user, Reminder.objects.filter(recipient=user, digest__isnull=True))
            awake = pending.awake(today or timezone.localdate())  # type: ignore[attr-defined]
            claimed = Reminder.objects.filter(pk__in=awake.values("pk")).update(digest=digest)
            if not claimed:
                transaction.set_rollback(True)
                return None
    except IntegrityError:
        return None
    return digest


def _send(user: User, digest: Digest) -> None:
    reminders = list(digest.reminders.select_related("account").order_by("due_on", "pk"))
    with translation.override(user.language):
        subject = ngettext(
            "KAM: %(count)d reminder", "KAM: %(count)d reminders", len(reminders)
        ) % {"count": len(reminders)}
        body = render_to_string(
            "reminders/email/digest.txt",
            {"user": user, "reminders": reminders, "site_url": settings.SITE_URL},
        )
    EmailMessage(subject=subject, body=body, to=[user.email]).send()


def send_digests(*, now: datetime | None = None) -> int:
    """Send every digest that is due; returns how many went out."""
    now = now or timezone.now()
    sent = 0
    for user, period in due_recipients(now):
        digest = _claim(user, period, timezone.localdate(now))
        if digest is None:
            continue
        try:
            _send(user, digest)
        except Exception:
            # The mail server refused or was unreachable: nothing went out, so give the
            # reminders back for the next run.
            logger.exception("reminders: digest for user %s not sent, retried later", user.pk)
            digest.delete()
            continue
        Digest.objects.filter(pk=digest.pk).update(sent_at=timezone.now())
        sent += 1
    unconfirmed = Digest.objects.filter(
        sent_at__isnull=True, created_at__lt=now, created_at__gte=now - timedelta(days=1)
    ).count()
    if unconfirmed:
        logger.warning(
            "reminders: %d digests were claimed by a run that stopped before confirming "
            "the e-mail; they are not sent again (their reminders stay in the app)",
            unconfirmed,
        )
    return sent
