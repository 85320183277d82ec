from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import MONEY, NOT_NEGATIVE, Account
from contracts import terms
from kam.uploads import stored_name
from kam.validators import BOUNDED_TEXT, SANE_DATE

UPLOAD_FOLDER = "contracts"


class Contract(models.Model):
    class Kind(models.TextChoices):
        FRAMEWORK = "framework", _("Framework agreement")
        SUPPLY = "supply", _("Supply contract")
        SERVICE = "service", _("Service contract")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        RENEGOTIATION = "renegotiation", _("In renegotiation")
        TERMINATED = "terminated", _("Terminated")
        EXPIRED = "expired", _("Expired")

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("account")
    )
    external_id = models.CharField(
        _("external ID"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The record's number in the system it came from, for imports."),
    )
    number = models.CharField(_("contract number"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SUPPLY)
    start_on = models.DateField(_("start"), validators=SANE_DATE)
    end_on = models.DateField(
        _("end"),
        null=True,
        blank=True,
        validators=SANE_DATE,
        help_text=_("Leave empty for an open-ended contract."),
    )
    notice_period_months = models.PositiveSmallIntegerField(
        _("notice period (months)"),
        default=3,
        validators=[
            MinValueValidator(0, message=_("Use a notice period from 0 to 60 months.")),
            MaxValueValidator(60, message=_("Use a notice period from 0 to 60 months.")),
        ],
    )
    auto_renewal = models.BooleanField(
        _("renews automatically"),
        default=False,
        help_text=_("Runs for another term unless notice is given by the deadline."),
    )
    renewal_term_months = models.PositiveSmallIntegerField(
        _("renewal term (months)"),
        default=12,
        validators=[
            MinValueValidator(1, message=_("Use a renewal term from 1 to 120 months.")),
            MaxValueValidator(120, message=_("Use a renewal term from 1 to 120 months.")),
        ],
    )
    annual_value = models.DecimalField(
        _("annual value"), default=0, validators=NOT_NEGATIVE, **MONEY
    )
    prices_and_terms = models.TextField(_("prices and terms"), blank=True, validators=BOUNDED_TEXT)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    terminated_on = models.DateField(
        _("terminated on"),
        null=True,
        blank=True,
        validators=SANE_DATE,
        help_text=_("When notice was given; set to today when the status becomes terminated."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_contracts",
        verbose_name=_("responsible"),
    )
    # The dates on `dates_as_of` (contracts.terms): stored so that lists filter and sort
    # by index; they hold up to the day before `dates_change_on`, when the daily task
    # (or a list that finds them stale first) computes them anew.
    term_end_on = models.DateField(_("current term ends"), null=True, editable=False)
    notice_deadline_on = models.DateField(_("notice deadline"), null=True, editable=False)
    missed_notice_on = models.DateField(_("missed notice deadline"), null=True, editable=False)
    next_notice_on = models.DateField(_("next notice deadline"), null=True, editable=False)
    renews_on = models.DateField(_("next renewal"), null=True, editable=False)
    dates_as_of = models.DateField(null=True, editable=False)
    dates_change_on = models.DateField(null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", *terms.STORED_FIELDS])

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["account__name", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "number"],
                name="contract_number_unique_per_account",
                violation_error_message=_("This account already has a contract with this number."),
            )
        ]
        indexes = [
            models.Index(fields=["status", "end_on"], name="contract_status_end_idx"),
            models.Index(fields=["start_on"], name="contract_start_idx"),
            models.Index(
                fields=["next_notice_on"],
                name="contract_next_notice_idx",
                condition=models.Q(next_notice_on__isnull=False),
            ),
            models.Index(
                fields=["missed_notice_on"],
                name="contract_missed_notice_idx",
                condition=models.Q(missed_notice_on__isnull=False),
            ),
            models.Index(fields=["dates_change_on"], name="contract_dates_change_idx"),
            models.Index(fields=["dates_as_of"], name="contract_dates_as_of_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs) -> None:
        # Every write that saves a contract (services, admin, demo data) stores its dates;
        # bulk writes call terms.refresh() instead.
        self.store_dates()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *terms.STORED_FIELDS}
        super().save(*args, **kwargs)

    def store_dates(self) -> None:
        """Set the stored dates of today (save() does it; bulk writes call it)."""
        today = self._today()
        for name, value in terms.stored_values(self.dates_on(today), today).items():
            setattr(self, name, value)

    def clean(self) -> None:
        errors = {}
        if self.external_id == "":
            self.external_id = None
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = _("The end cannot be before the start.")
        if self.auto_renewal and not self.end_on:
            errors["end_on"] = _("A contract that renews automatically needs an end date.")
        if self.terminated_on and self.status != self.Status.TERMINATED:
            errors["terminated_on"] = _("Only a terminated contract has a termination date.")
        if errors:
            raise ValidationError(errors)

    # One contract's dates computed now; lists read the stored ones (terms.holding_on).
    def _today(self) -> date:
        return timezone.localdate()

    @property
    def is_fixed_term(self) -> bool:
        """Ends on its end date by itself: no notice to give, so pages show no notice
        deadline (and reminders remind of the end instead)."""
        return self.end_on is not None and not self.auto_renewal

    @property
    def is_finished(self) -> bool:
        return self.status in terms.FINISHED_STATUSES

    def dates_on(self, today: date) -> terms.ContractDates:
        return terms.dates_on(
            status=self.status,
            end_on=self.end_on,
            notice_period_months=self.notice_period_months,
            auto_renewal=self.auto_renewal,
            renewal_term_months=self.renewal_term_months,
            today=today,
        )

    @property
    def current_term_end(self) -> date | None:
        return self.dates_on(self._today()).term_end

    @property
    def computed_notice_deadline(self) -> date | None:
        return self.dates_on(self._today()).notice_deadline

    @property
    def computed_missed_notice_deadline(self) -> date | None:
        return self.dates_on(self._today()).missed_notice_deadline

    @property
    def computed_next_notice_deadline(self) -> date | None:
        return self.dates_on(self._today()).next_notice_deadline

    @property
    def computed_next_renewal(self) -> date | None:
        return self.dates_on(self._today()).next_renewal_on


def _upload_to(instance: "ContractDocument", filename: str) -> str:
    # A random name in the storage's contracts/ folder; the original name is kept in the row only.
    return stored_name(filename, UPLOAD_FOLDER)


class ContractDocument(models.Model):
    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="documents", verbose_name=_("contract")
    )
    file = models.FileField(_("file"), upload_to=_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name
