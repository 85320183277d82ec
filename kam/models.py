"""Rows the API keeps for integrations: idempotency keys and tombstones of deletions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kam.validators import BOUNDED_TEXT


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` of one user: the request it was first used with (a hash) and,
    once that request is answered, the answer, replayed for 24 hours (kam.api.idempotency).
    `status_code` is empty while the first request is still running."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # sha256 of method, path, query and body
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField(default=b"", blank=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="kam_idempotency_key_per_user")
        ]

    def __str__(self) -> str:
        return self.key


class Tombstone(models.Model):
    """A deleted record, for integrations that mirror ours (`/api/v1/changes/`). Written by
    the delete services in their transaction (kam.tombstones.bury). `account_id` is the
    account the record hung off (no foreign key: the scope is decided on it while the
    account lives; accounts themselves are never deleted); empty for records of the
    company as a whole, which only users who see every account read."""

    kind = models.CharField(_("kind"), max_length=50)
    object_id = models.BigIntegerField(_("id"))
    external_id = models.CharField(_("external ID"), max_length=100, blank=True)
    account_id = models.BigIntegerField(_("account"), null=True, blank=True, db_index=True)
    deleted_at = models.DateTimeField(_("deleted"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class ExportFile(models.Model):
    """A large XLSX export, built by a task instead of in the request (kam.export): the
    rows of the list as the user filtered them, within their scope, downloaded from its
    page by that user only."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being built")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    export = models.CharField(max_length=100)  # the name of its kam.export.Export
    title = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=10)
    # The list's query (scope, filters, sort), pickled as Django allows for a Query; only
    # ever written by the server, from the user's own request.
    query = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", max_length=255, blank=True)
    file_name = models.CharField(max_length=255)
    error = models.TextField(blank=True, validators=BOUNDED_TEXT)  # the log's cause, cut
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_busy(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
