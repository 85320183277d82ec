"""The portfolio view: the company's own totals, classification rules and decisions, the
account health score, the portfolio matrix and the KAM readiness check.

Everything per account lives here (one-to-one or keyed by account), so the lower apps
need no column for it.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import MONEY, NOT_NEGATIVE, Account, DecimalSize, year_validators
from kam.validators import BOUNDED_TEXT

USER = settings.AUTH_USER_MODEL
SCORE: DecimalSize = {"max_digits": 5, "decimal_places": 1}


class CompanyTotals(models.Model):
    """The company's revenue and contribution margin of one year, all customers included
    (also those not kept here): the denominator of every share."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=year_validators())
    revenue = models.DecimalField(_("revenue"), validators=NOT_NEGATIVE, **MONEY)
    contribution_margin = models.DecimalField(_("contribution margin"), **MONEY)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("company totals")
        verbose_name_plural = _("company totals")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class ClassificationRule(models.Model):
    """One rule of the suggested status: when `metric` lies between `minimum` and
    `maximum` (both inclusive, either may be empty), suggest `suggests`. Rules are tried
    in `position` order; the first that matches wins. A rule with a warning level also
    sets the threshold of the dependency warnings on its metric."""

    class Metric(models.TextChoices):
        REVENUE_SHARE = "revenue_share", _("Share of our revenue (%)")
        MARGIN_SHARE = "margin_share", _("Share of our contribution margin (%)")
        REVENUE = "revenue", _("Revenue of the year")
        SHARE_OF_WALLET = "share_of_wallet", _("Share of wallet (%)")
        OPEN_WALLET = "open_wallet", _("Open potential: revenue potential minus revenue")
        WHITESPACE = "whitespace", _("Cross-/up-selling potential (whitespace matrix)")
        STRATEGIC_FIT = "strategic_fit", _("Strategic fit (1-5)")
        NEEDS_ADVICE = "needs_advice", _("Need for advice: individual requirements (0/1)")

    class Warning(models.TextChoices):
        NONE = "", _("none")
        AMBER = "amber", _("amber: key-account band")
        RED = "red", _("red: dependency")

    name = models.CharField(_("name"), max_length=150)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    minimum = models.DecimalField(_("from"), max_digits=16, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField(_("to"), max_digits=16, decimal_places=2, null=True, blank=True)
    suggests = models.CharField(
        _("suggested status"), max_length=20, choices=Account.Status.choices
    )
    warning = models.CharField(
        _("warning level"), max_length=10, choices=Warning.choices, blank=True, default=""
    )
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("classification rule")
        verbose_name_plural = _("classification rules")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.minimum is None and self.maximum is None:
            raise ValidationError(_("Give a lower or an upper bound."))
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValidationError({"maximum": _("The upper bound is below the lower bound.")})
        share_metrics = {self.Metric.REVENUE_SHARE, self.Metric.MARGIN_SHARE}
        if self.warning and self.metric not in share_metrics:
            raise ValidationError(
                {"warning": _("Only revenue and margin share rules set a warning level.")}
            )
        if self.warning and self.minimum is None:
            raise ValidationError({"minimum": _("A warning rule needs a lower bound.")})


class AccountPortfolio(models.Model):
    """What the portfolio view knows about an account beyond its own record."""

    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, related_name="portfolio", primary_key=True
    )
    supplier_rank = models.PositiveSmallIntegerField(
        _("our rank among the customer's suppliers"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, message=_("The rank starts at 1."))],
        help_text=_("1 = their biggest supplier; 1-3 means we are one of their top suppliers."),
    )
    strategic_fit = models.PositiveSmallIntegerField(
        _("strategic fit"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, message=_("Use a value from 1 to 5.")),
            MaxValueValidator(5, message=_("Use a value from 1 to 5.")),
        ],
        help_text=_("1 = none, 5 = central to our strategy"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("portfolio facts")
        verbose_name_plural = _("portfolio facts")

    def __str__(self) -> str:
        return str(self.account)


class SuggestionDecision(models.Model):
    """An accepted or rejected status suggestion (a rejection keeps its reason)."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="status_decisions")
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    previous_status = models.CharField(
        _("status before"), max_length=20, choices=Account.Status.choices
    )
    suggested_status = models.CharField(
        _("suggested status"), max_length=20, choices=Account.Status.choices
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True, validators=BOUNDED_TEXT)
    sentence = models.TextField(_("suggestion"), blank=True, validators=BOUNDED_TEXT)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("status decision")
        verbose_name_plural = _("status decisions")
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["account", "year", "suggested_status"])]

    def __str__(self) -> str:
        return f"{self.account} {self.year}: {self.get_decision_display()}"


class HealthWeight(models.Model):
    """The weight of one part of the health score (the parts are fixed, their weights are
    not). Weights are normalised: they need not add up to 100."""

    class Part(models.TextChoices):
        RELATIONSHIP = "relationship", _("Relationship coverage")
        SATISFACTION = "satisfaction", _("Satisfaction")
        COMMERCIAL = "commercial", _("Commercial")
        SERVICE = "service", _("Service")
        PLAN = "plan", _("Plan hygiene")

    part = models.CharField(_("part"), max_length=20, choices=Part.choices, unique=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MaxValueValidator(100, message=_("At most 100."))]
    )

    class Meta:
        verbose_name = _("health score weight")
        verbose_name_plural = _("health score weights")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_part_display()}: {self.weight}"


class HealthSnapshot(models.Model):
    """An account's health score of one week (the Monday), with its parts and facts."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="health")
    week = models.DateField(_("week"))
    score = models.PositiveSmallIntegerField(_("health score"))
    parts = models.JSONField(_("parts"), default=dict)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)
    # The account's newest snapshot (portfolio.latest_health keeps it): "weakest first"
    # walks the partial index below instead of finding every account's newest week.
    is_latest = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("health score")
        verbose_name_plural = _("health scores")
        ordering = ["-week"]
        constraints = [
            models.UniqueConstraint(fields=["account", "week"], name="one_health_score_per_week")
        ]
        indexes = [
            models.Index(fields=["week", "score"]),
            models.Index(
                fields=["score", "account"],
                condition=models.Q(is_latest=True),
                name="health_latest_score_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.week}: {self.score}"


class MatrixScore(models.Model):
    """An account's place in the portfolio matrix in one year: customer attractiveness
    against our position, each 0-100 with the parts it is made of."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="matrix_scores")
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    attractiveness = models.DecimalField(_("customer attractiveness"), **SCORE)
    position = models.DecimalField(_("our position"), **SCORE)
    revenue = models.DecimalField(_("revenue"), default=Decimal("0"), **MONEY)
    status = models.CharField(_("status"), max_length=20, choices=Account.Status.choices)
    parts = models.JSONField(_("parts"), default=dict)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("portfolio matrix score")
        verbose_name_plural = _("portfolio matrix scores")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="one_matrix_score_per_year")
        ]
        # The matrix draws the year's biggest customers: read in this order, not sorted.
        indexes = [
            models.Index(fields=["year", "-revenue", "account"], name="matrix_score_revenue_order")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.year}"


ANSWER = [
    MinValueValidator(1, message=_("Use a value from 1 to 5.")),
    MaxValueValidator(5, message=_("Use a value from 1 to 5.")),
]


class ReadinessAssessment(models.Model):
    """The company's self-assessment against the KAM readiness checklist (1 = not at all,
    5 = fully), kept with its date and author."""

    QUESTIONS = (
        "cross_selling",
        "needs_advice",
        "team_capacity",
        "financial_resources",
        "know_how",
        "travel",
        "management_backing",
    )

    cross_selling = models.PositiveSmallIntegerField(
        _("Our products offer potential for up- and cross-selling"), validators=ANSWER
    )
    needs_advice = models.PositiveSmallIntegerField(
        _("Our products need advice and bring customers into close contact with sales"),
        validators=ANSWER,
    )
    team_capacity = models.PositiveSmallIntegerField(
        _("We have the capacity for a KAM team"), validators=ANSWER
    )
    financial_resources = models.PositiveSmallIntegerField(
        _("We have the financial staying power to wait for the investment to pay off"),
        validators=ANSWER,
    )
    know_how = models.PositiveSmallIntegerField(
        _("Our staff have the know-how to serve key accounts individually"), validators=ANSWER
    )
    travel = models.PositiveSmallIntegerField(
        _("The key account managers are willing to travel a lot"), validators=ANSWER
    )
    management_backing = models.PositiveSmallIntegerField(
        _("Management is willing to build the structures and provide resources"),
        validators=ANSWER,
    )
    notes = models.TextField(_("notes"), blank=True, validators=BOUNDED_TEXT)
    assessed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("assessed"), default=timezone.now)

    class Meta:
        verbose_name = _("KAM readiness assessment")
        verbose_name_plural = _("KAM readiness assessments")
        ordering = ["-assessed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.assessed_at:%Y-%m-%d}"

    @property
    def answers(self) -> list[tuple[str, str, int]]:
        """(question key, question, answer) in checklist order."""
        return [
            (key, str(getattr(self._meta.get_field(key), "verbose_name", key)), getattr(self, key))
            for key in self.QUESTIONS
        ]

    @property
    def score(self) -> int:
        """0-100: the answers' sum against the best possible (7 × 5)."""
        total = sum(getattr(self, key) for key in self.QUESTIONS)
        return round((total - len(self.QUESTIONS)) * 100 / (4 * len(self.QUESTIONS)))

    @property
    def weak(self) -> list[str]:
        """The questions answered with 1 or 2."""
        return [key for key in self.QUESTIONS if getattr(self, key) <= 2]


class DependencyLevel(models.Model):
    """The dependency warning a unit (a group or a single account: its top account) has
    in a year, as last computed (portfolio.dependency): kept so that crossing a level is
    announced once, not at every change of figures."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="dependency_level_once")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.year} {self.level}"
