"""The reminder engine: run a rule, mark reminders read, clear settled ones.

A scan runs in one transaction under a lock per rule (PostgreSQL advisory lock), so two
beats or a retried task never work on one rule at once; the unique key of Reminder makes a
second run create nothing even without the lock. Writes are bulk: a constant number of
queries per rule, whatever the number of accounts.
"""

import json
import logging
import zlib
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kam import events
from reminders.models import Announcement, Reminder
from reminders.registry import Due, Rule, When, rules
from users.models import User

logger = logging.getLogger(__name__)

BATCH = 2000


def when_now() -> When:
    now = timezone.now()
    return When(now=now, today=timezone.localdate(now))


def _lock(rule: Rule) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(rule.key.encode())])


def _active_recipients(items: list[Due]) -> set[int]:
    ids = {item.recipient_id for item in items}
    active = set(
        User.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True)
    ) if ids else set()  # fmt: skip
    for skipped in sorted(ids - active):
        logger.info("reminders: user %s is inactive or gone, skipped", skipped)
    return active


def _insert(rule: Rule, items: list[Due], active: set[int], when: When) -> int:
    """Store the items that are not stored yet; returns how many were new."""
    items = [item for item in items if item.recipient_id in active]
    if not items:
        return 0
    if connection.vendor == "postgresql":
        return _insert_unnest(rule, items, when)
    before = Reminder.objects.filter(rule=rule.key).count()
    Reminder.objects.bulk_create(
        [
            Reminder(
                rule=rule.key,
                object_type=rule.model,
                object_id=item.object_id,
                due_on=item.due_on,
                recipient_id=item.recipient_id,
                account_id=item.account_id,
                subject=item.subject[:250],
                params=item.params,
                url=item.url,
                created_at=when.now,
            )  # fmt: skip
            for item in items
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return Reminder.objects.filter(rule=rule.key).count() - before


def _insert_unnest(rule: Rule, items: list[Due], when: When) -> int:
    """One INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING: a single statement
    for any number of rows, and its row count is the number of new reminders. Building
    100,000 model instances for bulk_create took most of a scan's time."""
    table = Reminder._meta.db_table
    columns = (
        [item.object_id for item in items],
        [item.due_on for item in items],
        [item.recipient_id for item in items],
        [item.account_id for item in items],
        [item.subject[:250] for item in items],
        [json.dumps(item.params) for item in items],
        [item.url for item in items],
    )
    sql = (
        f'INSERT INTO "{table}" (rule, object_type, object_id, due_on, recipient_id, '
        "account_id, subject, params, url, created_at) "
        "SELECT %s, %s, o, d, r, a, s, p::jsonb, u, %s FROM unnest("
        "%s::bigint[], %s::date[], %s::bigint[], %s::bigint[], %s::text[], %s::text[], "
        "%s::text[]) AS t(o, d, r, a, s, p, u) ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [rule.key, rule.model, when.now, *columns])
        return cursor.rowcount


def run_rule(
    key: str, *, when: When | None = None, on_new: Callable[[], None] | None = None
) -> int:
    """Scan one rule and store what is due; returns how many reminders were new.
    `on_new` runs after the commit when there were new ones (the task queues the digests
    there: never before the rows are visible to the worker that sends them)."""
    rule = rules.get(key)
    if rule is None:
        raise KeyError(f"no reminder rule {key!r}")
    when = when or when_now()
    with transaction.atomic():
        _lock(rule)
        items = list(rule.scan(when))
        active = _active_recipients(items)
        created = _insert(rule, items, active, when)
        if rule.after_scan is not None:
            rule.after_scan(items, when)
        if created and on_new is not None:
            transaction.on_commit(on_new)
    logger.info("reminders: rule %s found %d due, %d new", key, len(items), created)
    return created


def announce_once(
    rule_key: str, items: Iterable[Due], when: When, event: Callable[[Due], events.Event]
) -> int:
    """Publish `event(item)` for each object and date of a scan's items not announced
    before (one per object and date, whoever its recipients), in the scan's transaction;
    returns how many were published. For a rule's `after_scan`."""
    first: dict[tuple[int, date], Due] = {}
    for item in items:
        first.setdefault((item.object_id, item.due_on), item)
    if not first:
        return 0
    ids = {object_id for object_id, _due_on in first}
    known = set(
        Announcement.objects.filter(rule=rule_key, object_id__in=ids).values_list(
            "object_id", "due_on"
        )
    )
    new = [item for key, item in first.items() if key not in known]
    Announcement.objects.bulk_create(
        [
            Announcement(rule=rule_key, object_id=i.object_id, due_on=i.due_on, created_at=when.now)
            for i in new
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    for item in new:
        events.publish(event(item))
    return len(new)


def run_all(*, when: When | None = None) -> dict[str, int]:
    when = when or when_now()
    return {rule.key: run_rule(rule.key, when=when) for rule in rules}


def reminder_mark_read(*, user: User, reminder: Reminder) -> int:
    """Mark one of the user's reminders read (the views fetch it with
    selectors.get_reminder_for: another user's id is a 404 before this runs)."""
    return Reminder.objects.filter(pk=reminder.pk, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


MAX_SNOOZE_DAYS = 365


def reminder_snooze(*, user: User, reminder: Reminder, until: date) -> Reminder:
    """Keep an unread reminder out of the bell, the unread list and the digest until the
    morning of `until` (a day after today, at most a year ahead)."""
    today = timezone.localdate()
    if until <= today:
        raise ValidationError({"until": _("Choose a day after today.")})
    if until > today + timedelta(days=MAX_SNOOZE_DAYS):
        raise ValidationError({"until": _("Snooze a reminder for a year at most.")})
    if not reminder.is_unread:
        raise ValidationError({"until": _("Only an unread reminder can be snoozed.")})
    Reminder.objects.filter(pk=reminder.pk, recipient=user).update(snoozed_until=until)
    reminder.snoozed_until = until
    return reminder


def reminder_mark_all_read(*, user: User) -> int:
    return Reminder.objects.filter(recipient=user).unread().update(read_at=timezone.now())


def reminders_clear(
    *,
    object_type: str,
    object_ids: Iterable[int],
    rule_keys: Iterable[str],
) -> int:
    """The objects no longer need attention (follow-up done, issue resolved): their unread
    reminders of these rules leave the bell and the next digest."""
    return (
        Reminder.objects.filter(
            object_type=object_type, object_id__in=list(object_ids), rule__in=list(rule_keys)
        )
        .unread()
        .update(cleared_at=timezone.now())
    )


def notice_send(
    *, recipient: User, rule: str, object_type: str, object_id: int, subject: str, url: str
) -> Reminder:
    """A one-off notice in the recipient's bell, raised by an event rather than a scan
    (a webhook endpoint disabled): shown with its subject, at most once a day per object."""
    reminder, _created = Reminder.objects.get_or_create(
        rule=rule,
        object_type=object_type,
        object_id=object_id,
        due_on=timezone.localdate(),
        recipient=recipient,
        defaults={"subject": subject[:250], "url": url},
    )
    return reminder
