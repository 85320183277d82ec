"""Webhook endpoints, the outbox of their messages and every delivery attempt."""

import contextlib

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Whether any endpoint is active, so that a write with no endpoint registered costs no
# query for them (webhooks.outbox). Forgotten by every save or delete of an endpoint, at
# once and again on commit (another process may have read the old state meanwhile).
ANY_ACTIVE_KEY = "webhooks:any-active-endpoint"
ANY_ACTIVE_SECONDS = 60


def any_active() -> bool:
    try:
        known = cache.get(ANY_ACTIVE_KEY)
    except Exception:  # noqa: BLE001 - no cache: ask the database
        known = None
    if known is None:
        known = Endpoint.objects.filter(active=True).exists()
        with contextlib.suppress(Exception):
            cache.set(ANY_ACTIVE_KEY, known, timeout=ANY_ACTIVE_SECONDS)
    return bool(known)


def _forget() -> None:
    with contextlib.suppress(Exception):
        cache.delete(ANY_ACTIVE_KEY)


def forget_any_active() -> None:
    _forget()
    transaction.on_commit(_forget)


class Endpoint(models.Model):
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    # Standard Webhooks secrets ("whsec_" and base64). The previous one keeps signing beside
    # the new one until `previous_secret_until`, so receivers can switch without a gap.
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    # The endpoint sends what this administrator may see.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    # The first failure since the last success; 24 hours of failures disable the endpoint.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled after failures"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        forget_any_active()

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        forget_any_active()
        return deleted

    def secrets(self, now) -> list[str]:
        """The secrets that sign a message sent at `now`: the new one first."""
        found = [self.secret]
        if self.previous_secret and self.previous_secret_until and self.previous_secret_until > now:
            found.append(self.previous_secret)
        return found


class Message(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="messages")
    # The stable `webhook-id`: the same on every attempt, so receivers can drop repeats.
    msg_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(_("event"), max_length=60)
    # The record the event is about ("account:12"): its messages go out in order.
    subject = models.CharField(max_length=60)
    # The exact bytes sent, kept as text (a JSON column might reorder the keys).
    body = models.TextField()
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook message")
        verbose_name_plural = _("webhook messages")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["endpoint", "subject", "status"], name="webhook_msg_subject"),
            models.Index(fields=["status", "next_attempt_at"], name="webhook_msg_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.msg_id}"


class Attempt(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(_("sent"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    response = models.CharField(_("response"), max_length=1000, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.message_id} {self.status_code or self.error}"
