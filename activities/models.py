"""The contact log (activities) and the promises that come out of it (follow-ups)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Account, Contact
from kam.validators import BOUNDED_TEXT

MAX_DURATION = 7 * 24 * 60  # a trade fair week, in minutes


class Activity(models.Model):
    """One contact with the customer: who met whom, when, about what, and what came of it."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        VISIT = "visit", _("Customer visit")
        CALL = "call", _("Call")
        EMAIL = "email", _("E-mail")
        PRESENTATION = "presentation", _("Presentation")
        EVENT = "event", _("Event or trade fair")
        NOTE = "note", _("Note")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="activities", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    occurred_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, message=_("The duration must be at least one minute.")),
            MaxValueValidator(MAX_DURATION, message=_("The duration cannot exceed a week.")),
        ],
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="activities", verbose_name=_("customer participants")
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="activities",
        verbose_name=_("our participants"),
    )
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True, validators=BOUNDED_TEXT)
    outcome = models.TextField(_("outcome"), blank=True, validators=BOUNDED_TEXT)
    next_step = models.CharField(_("next step"), max_length=250, blank=True)
    next_step_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("next step owner"),
    )
    next_step_due_on = models.DateField(_("next step due on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["account", "-occurred_at"], name="activity_account_time_idx"),
            models.Index(fields=["-occurred_at", "-id"], name="activity_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    def clean(self) -> None:
        errors = {}
        if self.next_step.strip():
            if not self.next_step_owner_id:
                errors["next_step_owner"] = _("A next step needs an owner.")
            if not self.next_step_due_on:
                errors["next_step_due_on"] = _("A next step needs a due date.")
        elif self.next_step_owner_id or self.next_step_due_on:
            errors["next_step"] = _("Describe the next step, or leave its owner and date empty.")
        if errors:
            raise ValidationError(errors)


# Sources other apps use, so that "My work" can name them in the user's language.
SOURCE_LABELS = {
    "survey": _("satisfaction survey"),
    "issue": _("customer issue"),
    "review": _("annual review"),
    "deal": _("opportunity"),
    "contract": _("contract"),
}


class FollowUpQuerySet(models.QuerySet):
    def open(self) -> "FollowUpQuerySet":
        return self.filter(done_at__isnull=True)

    def done(self) -> "FollowUpQuerySet":
        return self.filter(done_at__isnull=False)


class FollowUp(models.Model):
    """A promise to the customer with an owner and a date ("Nachfassen"). It stays on the
    owner's "My work" page until it is done; done ones keep who closed them and when."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("account")
    )
    title = models.CharField(_("title"), max_length=250)
    notes = models.TextField(_("notes"), blank=True, validators=BOUNDED_TEXT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"))
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("activity"),
    )
    source = models.CharField(
        _("source"),
        max_length=50,
        blank=True,
        help_text=_("Where it came from when not from an activity, e.g. “survey”."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "done_at", "due_on"], name="followup_owner_idx"),
            models.Index(fields=["account", "due_on"], name="followup_account_idx"),
            # The API's order (and the Meta ordering): a page of everyone's follow-ups is
            # an index range scan instead of a sort of all of them.
            models.Index(fields=["due_on", "id"], name="followup_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source_label(self) -> str:
        """Known sources translated; anything else as the creating code wrote it."""
        return str(SOURCE_LABELS.get(self.source, self.source))

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()
