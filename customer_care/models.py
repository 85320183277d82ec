"""Customer issues (complaints, requests, incidents, foreseen risks) with the internal
department that handles them, and satisfaction surveys (NPS and CSAT)."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kam.validators import BOUNDED_TEXT

if TYPE_CHECKING:
    from activities.models import FollowUp

# Days until an issue is due when no due date is given, by severity. Kept in code (not in
# the database) so that a change is reviewed like any other rule.
DUE_DAYS_BY_SEVERITY = {"critical": 1, "high": 3, "medium": 7, "low": 14}

# The departments the data migration creates. Their labels are translated as long as an
# administrator has not renamed them (the stored name is the English label).
DEFAULT_DEPARTMENTS = {
    "customer_service": ("Customer service", _("Customer service")),
    "logistics": ("Logistics", _("Logistics")),
    "engineering": ("Engineering", _("Engineering")),
    "quality": ("Quality", _("Quality")),
    "finance": ("Finance", _("Finance")),
    "sales": ("Sales", _("Sales")),
}


class Department(models.Model):
    """An internal department that takes responsibility for customer issues."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        default = DEFAULT_DEPARTMENTS.get(self.key)
        if default and self.name == default[0]:
            return str(default[1])
        return self.name


def ensure_default_departments() -> None:
    """Create the default departments that are missing (the data migration does this once;
    a database flushed by tests or restored without them gets them back)."""
    for position, (key, (name, _label)) in enumerate(DEFAULT_DEPARTMENTS.items(), start=1):
        Department.objects.get_or_create(key=key, defaults={"name": name, "position": position})


class CustomerIssue(models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        REQUEST = "request", _("Request")
        INCIDENT = "incident", _("Incident")
        RISK = "risk", _("Risk (foreseen)")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for customer")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.WAITING)
    DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="customer_issues",
        verbose_name=_("account"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, validators=BOUNDED_TEXT)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPLAINT)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="issues",
        verbose_name=_("responsible department"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="customer_issues",
        verbose_name=_("owner"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    due_on = models.DateField(_("due on"), help_text=_("Left empty, it follows from the severity."))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True, validators=BOUNDED_TEXT)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    escalated = models.BooleanField(_("escalated"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("customer issue")
        verbose_name_plural = _("customer issues")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["account", "status"], name="issue_account_status_idx"),
            models.Index(fields=["owner", "status", "due_on"], name="issue_owner_due_idx"),
            models.Index(fields=["account", "opened_at"], name="issue_account_opened_idx"),
            models.Index(fields=["account", "resolved_at"], name="issue_account_resolved_idx"),
            models.Index(fields=["-opened_at", "-id"], name="issue_opened_order_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("customer_care:issue_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()

    def clean(self) -> None:
        errors = {}
        if self.status in self.DONE_STATUSES and not (self.resolution or "").strip():
            errors["resolution"] = _("Describe the resolution before resolving or closing.")
        if self.opened_at and self.opened_at > timezone.now() + timedelta(minutes=5):
            errors["opened_at"] = _("The opening date cannot be in the future.")
        if (
            self.due_on
            and self.opened_at
            and self.due_on < timezone.localtime(self.opened_at).date()
        ):
            errors["due_on"] = _("The due date cannot be before the issue was opened.")
        if self.owner_id and not self.owner.is_active:
            errors["owner"] = _("Choose an active user as the owner.")
        if errors:
            raise ValidationError(errors)


def default_due_on(severity: str, opened_on: date) -> date:
    return opened_on + timedelta(days=DUE_DAYS_BY_SEVERITY.get(severity, 7))


NPS_RANGE = _("NPS is a score from 0 to 10.")
CSAT_RANGE = _("CSAT is a score from 1 to 5.")


class Survey(models.Model):
    """One satisfaction survey answer of a customer (NPS and/or CSAT)."""

    # Not stored: survey_record attaches the detractor's follow-up (None otherwise).
    follow_up: "FollowUp | None"

    class Method(models.TextChoices):
        EMAIL = "email", _("E-mail survey")
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person")
        ONLINE_FORM = "online_form", _("Online form")
        OTHER = "other", _("Other")

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="surveys",
        verbose_name=_("account"),
    )
    contact = models.ForeignKey(
        "accounts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("contact"),
    )
    surveyed_on = models.DateField(_("survey date"), default=timezone.localdate)
    method = models.CharField(
        _("method"), max_length=20, choices=Method.choices, default=Method.EMAIL
    )
    nps = models.PositiveSmallIntegerField(
        _("NPS score"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, message=NPS_RANGE),
            MaxValueValidator(10, message=NPS_RANGE),
        ],
        help_text=_("How likely is the customer to recommend us? 0–10"),
    )
    csat = models.PositiveSmallIntegerField(
        _("CSAT score"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, message=CSAT_RANGE),
            MaxValueValidator(5, message=CSAT_RANGE),
        ],
        help_text=_("How satisfied is the customer? 1 (very unsatisfied) – 5 (very satisfied)"),
    )
    comment = models.TextField(_("comment"), blank=True, validators=BOUNDED_TEXT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-surveyed_on", "-pk"]
        indexes = [models.Index(fields=["account", "surveyed_on"], name="survey_account_date_idx")]

    def __str__(self) -> str:
        return f"{self.account} {date_format(self.surveyed_on, 'SHORT_DATE_FORMAT')}"

    @property
    def is_detractor(self) -> bool:
        """A score that calls for a follow-up: NPS 0-6 or CSAT 1-2."""
        return (self.nps is not None and self.nps <= 6) or (
            self.csat is not None and self.csat <= 2
        )

    def clean(self) -> None:
        errors = {}
        if self.nps is None and self.csat is None:
            message = _("Give an NPS score, a CSAT score or both.")
            errors["nps"] = message
            errors["csat"] = message
        if self.surveyed_on and self.surveyed_on > timezone.localdate():
            errors["surveyed_on"] = _("The survey date cannot be in the future.")
        contact = self.contact if self.contact_id else None
        if (
            contact is not None
            and self.account_id
            and contact.account.root_id != self.account.root_id
        ):
            errors["contact"] = _("The contact must belong to this account or its group.")
        if errors:
            raise ValidationError(errors)
