"""Opportunities (projects and deals) on a configurable pipeline, won against named
competitors."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import MONEY, NOT_NEGATIVE, Account, ProductLine
from kam.validators import BOUNDED_TEXT

PROBABILITY = [
    MinValueValidator(0, message=_("Use a probability from 0 to 100.")),
    MaxValueValidator(100, message=_("Use a probability from 0 to 100.")),
]

# The stages the data migration creates. Their names are stored in English and shown
# translated as long as an administrator has not renamed them.
DEFAULT_STAGE_LABELS = {
    "identified": ("Identified", _("Identified")),
    "qualified": ("Qualified", _("Qualified")),
    "proposal": ("Proposal", _("Proposal")),
    "negotiation": ("Negotiation", _("Negotiation")),
    "won": ("Won", _("Won")),
    "lost": ("Lost", _("Lost")),
}


class StageQuerySet(models.QuerySet):
    def open(self) -> "StageQuerySet":
        return self.filter(is_won=False, is_lost=False)


class Stage(models.Model):
    """One step of the sales pipeline; installations configure their own in the admin."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    default_probability = models.SmallIntegerField(
        _("default probability (%)"), default=0, validators=PROBABILITY
    )
    is_won = models.BooleanField(_("counts as won"), default=False)
    is_lost = models.BooleanField(_("counts as lost"), default=False)

    objects = StageQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        english, translated = DEFAULT_STAGE_LABELS.get(self.key, (None, None))
        return str(translated) if self.name == english else self.name

    @property
    def is_closed(self) -> bool:
        return self.is_won or self.is_lost

    def clean(self) -> None:
        if self.is_won and self.is_lost:
            raise ValidationError({"is_lost": _("A stage cannot be both won and lost.")})


class Competitor(models.Model):
    """The register of companies we compete with on deals."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True, validators=BOUNDED_TEXT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="competitor_name_ci_unique",
                violation_error_message=_("A competitor with this name is already registered."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Opportunity(models.Model):
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("account")
    )
    external_id = models.CharField(
        _("external ID"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The record's number in the system it came from, for imports."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, validators=BOUNDED_TEXT)
    product_lines = models.ManyToManyField(
        ProductLine, blank=True, related_name="opportunities", verbose_name=_("product lines")
    )
    value = models.DecimalField(_("value"), default=0, validators=NOT_NEGATIVE, **MONEY)
    expected_margin = models.DecimalField(
        _("expected contribution margin"), null=True, blank=True, **MONEY
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("stage")
    )
    probability = models.SmallIntegerField(
        _("probability (%)"),
        validators=PROBABILITY,
        help_text=_("Left empty, the stage's default applies."),
    )
    expected_close_date = models.DateField(_("expected close date"), null=True, blank=True)
    next_follow_up_on = models.DateField(_("next follow-up on"), null=True, blank=True)
    next_follow_up_action = models.CharField(_("next follow-up action"), max_length=250, blank=True)
    close_reason = models.TextField(
        _("reason won or lost"),
        blank=True,
        help_text=_("Required when the deal is won or lost."),
        validators=BOUNDED_TEXT,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("owner"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # When the deal was closed, so that the timeline orders the events of a day as they
    # happened; set and cleared with closed_on by the services.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    lost_to = models.ForeignKey(
        Competitor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals_won_from_us",
        verbose_name=_("lost to"),
        help_text=_("The competitor who won the deal (lost deals only)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    competitors = models.ManyToManyField(
        Competitor,
        through="OpportunityCompetitor",
        related_name="opportunities",
        verbose_name=_("competitors"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["expected_close_date", "pk"]
        indexes = [
            models.Index(fields=["account", "stage"], name="opportunity_account_stage"),
            models.Index(fields=["stage", "expected_close_date"], name="opportunity_stage_close"),
            models.Index(fields=["account", "closed_on"], name="opportunity_account_closed"),
            models.Index(fields=["account", "created_at"], name="opportunity_account_created"),
            # The default list order across all accounts (heads of sales).
            models.Index(fields=["expected_close_date", "id"], name="opportunity_close_order"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return not self.stage.is_closed

    @property
    def weighted_value(self):
        return (self.value or 0) * (self.probability or 0) / 100

    def clean(self) -> None:
        errors = {}
        if self.external_id == "":
            self.external_id = None
        if self.stage_id and self.stage.is_closed and not self.close_reason.strip():
            if self.stage.is_won:
                errors["close_reason"] = _("Say why the deal was won.")
            else:
                errors["close_reason"] = _("Say why the deal was lost.")
        if self.next_follow_up_action.strip() and not self.next_follow_up_on:
            errors["next_follow_up_on"] = _("Give the follow-up a date.")
        if self.owner_id and not self.owner.is_active:
            errors["owner"] = _("Choose an active user as the owner.")
        if errors:
            raise ValidationError(errors)


class OpportunityCompetitor(models.Model):
    """A competitor on one deal: where they stand and what we know."""

    class Position(models.TextChoices):
        INCUMBENT = "incumbent", _("Incumbent supplier")
        PREFERRED = "preferred", _("Preferred")
        CHALLENGER = "challenger", _("Challenger")
        OUTSIDER = "outsider", _("Outsider")
        UNKNOWN = "unknown", _("Unknown")

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="competitor_links"
    )
    competitor = models.ForeignKey(
        Competitor,
        on_delete=models.PROTECT,
        related_name="opportunity_links",
        verbose_name=_("competitor"),
    )
    position = models.CharField(
        _("position"), max_length=20, choices=Position.choices, default=Position.UNKNOWN
    )
    notes = models.TextField(_("notes"), blank=True, validators=BOUNDED_TEXT)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("competitor on a deal")
        verbose_name_plural = _("competitors on deals")
        ordering = ["competitor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "competitor"], name="one_link_per_competitor_and_deal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.competitor} ({self.get_position_display()})"


class OpportunitySnapshot(models.Model):
    """An open deal as it stood when the week's snapshot was taken (deals.snapshots): the
    base of "what changed in the pipeline". One row per deal and week; kept two years."""

    week = models.DateField(_("week"), help_text=_("The Monday of the snapshot's week."))
    taken_at = models.DateTimeField(_("taken at"))
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="snapshots",
        verbose_name=_("opportunity"),
    )
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="+", verbose_name=_("stage")
    )
    value = models.DecimalField(_("value"), **MONEY)
    probability = models.SmallIntegerField(_("probability (%)"))
    expected_close_date = models.DateField(_("expected close date"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("owner"),
    )

    class Meta:
        verbose_name = _("pipeline snapshot")
        verbose_name_plural = _("pipeline snapshots")
        ordering = ["week", "opportunity_id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "week"], name="one_snapshot_per_week")
        ]
        indexes = [models.Index(fields=["week", "account"], name="snapshot_week_account")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} @ {self.week}"
