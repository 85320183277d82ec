from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from imports.kinds import KIND_CHOICES
from kam.validators import BOUNDED_TEXT


class ImportJob(models.Model):
    """One uploaded file on its way in: checked (dry run), then imported by a task.

    The file's bytes are kept with the job, so that the task, the report of refused rows
    and a later look at the job read exactly what was uploaded."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    file_name = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(editable=False)
    headings = models.JSONField(default=list)
    mapping = models.JSONField(default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    counts = models.JSONField(default=dict)
    report = models.JSONField(default=list)
    error = models.TextField(blank=True, validators=BOUNDED_TEXT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)

    @property
    def is_busy(self) -> bool:
        return self.status in {self.Status.CHECKING, self.Status.QUEUED, self.Status.RUNNING}

    @property
    def refused_count(self) -> int:
        return int(self.counts.get("refused", 0))


class ColumnMapping(models.Model):
    """How a user's files name the columns of a kind, remembered for the next upload."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    mapping = models.JSONField(default=dict)  # heading in the file -> field

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_column_mapping_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"
