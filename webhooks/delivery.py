"""Sending the outbox: one attempt at a time, in order per record, with backoff.

An attempt runs in a transaction that holds the message's row: a worker killed halfway
leaves no attempt recorded and the message waiting, so the task (acknowledged late) or the
beat scan sends it again, under the same `webhook-id`, and it is recorded as delivered
once. A message waits while an older message of the same record to the same endpoint
waits, so receivers see the changes of one record in order.

Retries follow the Standard Webhooks schedule (about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
10 h, each with up to 20 % jitter); after the last the message is failed. An endpoint that
has failed for 24 hours without a success is disabled and its administrator told (bell and e-mail).
"""

import logging
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reminders.services import notice_send
from webhooks import signing, transport
from webhooks.models import Attempt, Endpoint, Message

log = logging.getLogger(__name__)

RETRY_AFTER = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
]
DISABLE_AFTER = timedelta(hours=24)
JITTER = 0.2
DUE_BATCH = 200


def retry_wait(attempts: int) -> timedelta | None:
    """The wait after the `attempts`-th failed attempt; None when there is no retry left."""
    if attempts > len(RETRY_AFTER):
        return None
    wait = RETRY_AFTER[attempts - 1]
    return wait * (1 + random.uniform(0, JITTER))  # noqa: S311 - spreading, not secrecy


def _older_waiting(message: Message) -> bool:
    return Message.objects.filter(
        endpoint_id=message.endpoint_id,
        subject=message.subject,
        status=Message.Status.PENDING,
        pk__lt=message.pk,
    ).exists()


def next_of_subject(message: Message) -> int | None:
    """The message of the same record that waits behind `message`, if it is due."""
    following = (
        Message.objects.filter(
            endpoint_id=message.endpoint_id,
            subject=message.subject,
            status=Message.Status.PENDING,
            pk__gt=message.pk,
        )
        .order_by("pk")
        .first()
    )
    if following is None or (following.next_attempt_at or timezone.now()) > timezone.now():
        return None
    return following.pk


def attempt(message_id: int, *, now: datetime | None = None) -> tuple[str, int | None]:
    """Send the message if it is due and first in line. Answers what happened ("sent",
    "failed", "retry", "waiting", "not due", "done") and the message to send next."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.status != Message.Status.PENDING:
            return "done", None
        endpoint = message.endpoint
        if not endpoint.active:
            return "waiting", None
        if message.next_attempt_at and message.next_attempt_at > now:
            return "not due", None
        if _older_waiting(message):
            return "waiting", None
        body = message.body.encode()
        headers = signing.headers(
            endpoint.secrets(now), msg_id=message.msg_id, timestamp=int(now.timestamp()), body=body
        )
        result = transport.post(endpoint.url, body=body, headers=headers)
        Attempt.objects.create(
            message=message,
            at=now,
            status_code=result.status_code,
            duration_ms=result.duration_ms,
            response=result.response,
            error=result.error,
            succeeded=result.succeeded,
        )
        message.attempts += 1
        if result.succeeded:
            message.status = Message.Status.DELIVERED
            message.delivered_at = now
            message.next_attempt_at = None
            message.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
            if endpoint.failing_since is not None:
                Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
            return "sent", next_of_subject(message)
        wait = retry_wait(message.attempts)
        if wait is None:
            message.status = Message.Status.FAILED
            message.next_attempt_at = None
            outcome = "failed"
        else:
            message.next_attempt_at = now + wait
            outcome = "retry"
        message.save(update_fields=["attempts", "status", "next_attempt_at"])
        _note_failure(endpoint, now)
        return outcome, next_of_subject(message) if outcome == "failed" else None


def _note_failure(endpoint: Endpoint, now: datetime) -> None:
    if endpoint.failing_since is None:
        Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=now)
        return
    if now - endpoint.failing_since < DISABLE_AFTER:
        return
    Endpoint.objects.filter(pk=endpoint.pk).update(active=False, disabled_at=now)
    transaction.on_commit(lambda: notify_disabled(endpoint.pk))


def notify_disabled(endpoint_id: int) -> None:
    """Tell the administrator who registered the endpoint, in their language: a notice in
    their bell and an e-mail."""
    endpoint = Endpoint.objects.select_related("owner").get(pk=endpoint_id)
    owner = endpoint.owner
    with translation.override(getattr(owner, "language", None) or settings.LANGUAGE_CODE):
        subject = _("Webhook endpoint disabled: %(url)s") % {"url": endpoint.url}
        text = _(
            "The webhook endpoint %(url)s has failed for 24 hours without a single success "
            "and was disabled. Its messages wait; they are sent once you activate it again."
        ) % {"url": endpoint.url}
    notice_send(
        recipient=owner,
        rule="webhook_disabled",
        object_type="webhooks.endpoint",
        object_id=endpoint.pk,
        subject=subject,
        url=reverse("webhooks:detail", args=[endpoint.pk]),
    )
    if not owner.email:
        return
    try:
        send_mail(subject, text, None, [owner.email])
    except OSError:
        log.exception("could not mail that webhook endpoint %s was disabled", endpoint_id)


def due_ids(*, now: datetime | None = None) -> list[int]:
    """Messages whose time has come and that are first in line for their record, oldest
    first (the beat scan): those waiting behind an older one never fill a batch."""
    now = now or timezone.now()
    older = Message.objects.filter(
        endpoint_id=OuterRef("endpoint_id"),
        subject=OuterRef("subject"),
        status=Message.Status.PENDING,
        pk__lt=OuterRef("pk"),
    )
    return list(
        Message.objects.filter(
            status=Message.Status.PENDING, next_attempt_at__lte=now, endpoint__active=True
        )
        .filter(~Exists(older))
        .order_by("pk")
        .values_list("pk", flat=True)[:DUE_BATCH]
    )


def send_in_line(
    message_id: int, *, now: datetime | None = None, limit: int = 100
) -> tuple[list[str], int | None]:
    """Attempt the message and, while they go out, the messages of its record behind it
    (at most `limit`). Answers the outcomes and the message left to send next, if any."""
    outcomes: list[str] = []
    following: int | None = message_id
    while following is not None and len(outcomes) < limit:
        outcome, following = attempt(following, now=now)
        outcomes.append(outcome)
    return outcomes, following


def send_due(*, now: datetime | None = None) -> int:
    """Attempt every due message first in line, and those behind it; answers how many
    were sent. What is left is the next scan's."""
    sent = 0
    for message_id in due_ids(now=now):
        outcomes, _left = send_in_line(message_id, now=now, limit=DUE_BATCH * 5)
        sent += outcomes.count("sent")
    return sent
