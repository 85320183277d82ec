"""Plans: the internal account plan, the action plan (objectives and actions), coaching
plans for the sales reps, business cases and the whitespace matrix."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import MONEY, NOT_NEGATIVE, Account, DecimalSize, ProductLine, year_validators
from kam.formats import money
from kam.validators import BOUNDED_TEXT
from planning import forecast_math
from planning.business_cases import arithmetic
from planning.forecast_math import ForecastValues

MAX_HORIZON_YEARS = 15

USER = settings.AUTH_USER_MODEL


class AccountPlan(models.Model):
    """The internal account plan of one account and year: short, living, reviewed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    business_goals = models.TextField(
        _("our business goals for this account"), blank=True, validators=BOUNDED_TEXT
    )
    customer_goals = models.TextField(
        _("our goals for the customer"), blank=True, validators=BOUNDED_TEXT
    )
    strategies = models.TextField(_("strategies"), blank=True, validators=BOUNDED_TEXT)
    growth_opportunities = models.TextField(
        _("growth opportunities"), blank=True, validators=BOUNDED_TEXT
    )
    obstacles = models.TextField(_("obstacles and risks"), blank=True, validators=BOUNDED_TEXT)
    # SWOT: four short lists, one item per line.
    strengths = models.TextField(_("strengths"), blank=True, validators=BOUNDED_TEXT)
    weaknesses = models.TextField(_("weaknesses"), blank=True, validators=BOUNDED_TEXT)
    opportunities = models.TextField(_("opportunities"), blank=True, validators=BOUNDED_TEXT)
    threats = models.TextField(_("threats"), blank=True, validators=BOUNDED_TEXT)
    last_reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("last reviewed by"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("account plan")
        verbose_name_plural = _("account plans")
        ordering = ["-year", "account__name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="one_plan_per_account_year")
        ]
        indexes = [
            # The API's default order (newest year first, then in the order of creation):
            # a page is an index range scan, not a sort of every plan joined to its account.
            models.Index(fields=["-year", "id"], name="accountplan_year_idx"),
            # The stale plans of a year, the longest unreviewed first (account_plan.selectors
            # .stale_plans): read in this order up to the page instead of sorting them all.
            models.Index(
                "year",
                Coalesce("last_reviewed_at", "created_at"),
                condition=models.Q(status__in=["draft", "active"]),  # Status.DRAFT, ACTIVE
                name="stale_plan_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.year}"


class ForecastVerdict(models.TextChoices):
    # The codes are forecast_math's, which computes the verdict and cannot import this.
    ON_TRACK = forecast_math.ON_TRACK, _("On track")
    AT_RISK = forecast_math.AT_RISK, _("At risk")
    OFF_TRACK = forecast_math.OFF_TRACK, _("Off track")


STORED_FORECAST_FIELDS = [
    "stored_forecast_total",
    "stored_forecast_percent",
    "stored_forecast_verdict",
]


class Objective(ForecastValues, models.Model):
    """A measurable objective of the action plan ("Aktionsplan") of an account and year."""

    class Kind(models.TextChoices):
        REVENUE = forecast_math.REVENUE, _("Revenue target")
        MARGIN = "margin", _("Contribution-margin target")
        NEW_MARKET = "new_market", _("New market entry")
        SHARE_OF_WALLET = "share_of_wallet", _("Share of wallet")
        RELATIONSHIP = "relationship", _("Relationship goal")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        MISSED = "missed", _("Missed")
        DROPPED = "dropped", _("Dropped")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="objectives")
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("objective"), max_length=200)
    target_value = models.DecimalField(
        _("target value"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY
    )
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="objectives", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The target forecast as planning.action_plan.forecast_store last computed it (from
    # with_forecast, on commit of every write it reads and nightly): the lists of
    # objectives needing attention filter and sort on it instead of computing the forecast
    # of every objective. Null (the verdict empty) unless a revenue objective with a target.
    # Wide enough for sums over a whole group and for a target of a cent (a forecast of
    # 10^16 € is 10^20 % of it): the refresh must never fail on accepted values.
    stored_forecast_total = models.DecimalField(
        _("stored forecast"),
        null=True,
        blank=True,
        editable=False,
        max_digits=30,
        decimal_places=2,
    )
    stored_forecast_percent = models.DecimalField(
        _("stored forecast against target (%)"),
        null=True,
        blank=True,
        editable=False,
        max_digits=30,
        decimal_places=4,
    )
    stored_forecast_verdict = models.CharField(
        _("stored forecast verdict"),
        max_length=10,
        choices=ForecastVerdict.choices,
        blank=True,
        default="",
        editable=False,
    )
    history = HistoricalRecords(excluded_fields=["updated_at", *STORED_FORECAST_FIELDS])

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["due_on", "id"], name="objective_due_order"),
            # The lists of objectives needing attention (Plans page, home block): open
            # objectives of a year whose stored verdict is at risk or off track, weakest
            # first, read in index order up to the page limit.
            models.Index(
                fields=["year", "stored_forecast_percent", "due_on", "id"],
                name="objective_attention_order",
                condition=models.Q(
                    stored_forecast_verdict__in=[ForecastVerdict.AT_RISK, ForecastVerdict.OFF_TRACK]
                )
                & ~models.Q(status__in=["achieved", "missed", "dropped"]),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=200)
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="plan_actions", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # A measure carried out together with the customer: shown in the customer's folder of
    # the annual review by default; every other action is an internal task.
    customer_facing = models.BooleanField(
        _("customer-facing"),
        default=False,
        help_text=_("A joint measure with the customer, shown in the customer's folder."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["due_on", "id"], name="plan_action_due_order"),
            # Overdue open actions, oldest first (Plans page, My work): done and dropped
            # ones, three in four, are not in the index to be skipped.
            models.Index(
                fields=["due_on", "id"],
                name="plan_action_open_due_order",
                condition=models.Q(status__in=["open", "in_progress"]),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ObjectiveAdjustment(models.Model):
    """What changed in a target or due date, by whom and why (a reason is required)."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="adjustments")
    field = models.CharField(_("field"), max_length=30)
    old_value = models.CharField(_("old value"), max_length=100, blank=True)
    new_value = models.CharField(_("new value"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), validators=BOUNDED_TEXT)
    changed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan adjustment")
        verbose_name_plural = _("plan adjustments")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.objective}: {self.field}"


class CoachingPlan(models.Model):
    """How the sales reps deal with a key account: measures, topics, materials, sessions."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="coaching_plans")
    title = models.CharField(_("title"), max_length=200)
    reps: models.ManyToManyField = models.ManyToManyField(
        USER, related_name="coaching_plans", blank=True, verbose_name=_("sales reps")
    )
    measures = models.TextField(_("measures"), blank=True, validators=BOUNDED_TEXT)
    topics = models.TextField(_("topics"), blank=True, validators=BOUNDED_TEXT)
    dos_and_donts = models.TextField(_("do's and don'ts"), blank=True, validators=BOUNDED_TEXT)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("coaching plan")
        verbose_name_plural = _("coaching plans")
        ordering = ["account__name", "title"]

    def __str__(self) -> str:
        return self.title


class CoachingMaterial(models.Model):
    """A link or an uploaded file (checked like contract documents, stored outside the web
    root, downloaded only through a scoped view)."""

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="coaching/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coaching material")
        verbose_name_plural = _("coaching materials")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CoachingSession(models.Model):
    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="sessions")
    held_at = models.DateTimeField(_("date"))
    participants: models.ManyToManyField = models.ManyToManyField(
        USER, related_name="coaching_sessions", blank=True, verbose_name=_("participants")
    )
    notes = models.TextField(_("notes"), blank=True, validators=BOUNDED_TEXT)

    class Meta:
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        ordering = ["-held_at"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.held_at:%Y-%m-%d}"


class BriefingConfirmation(models.Model):
    """A sales rep confirms that they were briefed with the plan's briefing sheet."""

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="confirmations")
    rep = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed"), auto_now_add=True)

    class Meta:
        verbose_name = _("briefing confirmation")
        verbose_name_plural = _("briefing confirmations")
        constraints = [
            models.UniqueConstraint(fields=["plan", "rep"], name="one_confirmation_per_rep")
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.rep}"


PERCENT: DecimalSize = {"max_digits": 7, "decimal_places": 2}


def default_discount_rate() -> Decimal:
    return Decimal(settings.BUSINESS_CASE_DISCOUNT_RATE)


class BusinessCase(models.Model):
    """Scenarios that show the customer what a change is worth to them."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="business_cases")
    opportunity = models.ForeignKey(
        "deals.Opportunity", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="business_cases", verbose_name=_("opportunity"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    horizon_years = models.PositiveSmallIntegerField(
        _("horizon in years"),
        default=3,
        validators=[
            MinValueValidator(1, message=_("The horizon must be at least one year.")),
            MaxValueValidator(MAX_HORIZON_YEARS, message=_("The horizon can be at most 15 years.")),
        ],
    )
    discount_rate_pct = models.DecimalField(
        _("discount rate in %"),
        max_digits=5,
        decimal_places=2,
        default=default_discount_rate,
        help_text=_("For the net present value and the internal rate of return."),
        validators=[
            MinValueValidator(Decimal("0"), message=_("Use a discount rate from 0 to 100 %.")),
            MaxValueValidator(Decimal("100"), message=_("Use a discount rate from 0 to 100 %.")),
        ],
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("business case")
        verbose_name_plural = _("business cases")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Scenario(models.Model):
    """One scenario of a business case; its results are computed by planning.business_cases."""

    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(_("name"), max_length=120)
    yearly_volume = models.DecimalField(
        _("yearly volume (units)"), max_digits=16, decimal_places=2, validators=NOT_NEGATIVE
    )
    unit_price = models.DecimalField(_("unit price"), validators=NOT_NEGATIVE, **MONEY)
    process_cost = models.DecimalField(
        _("customer's process cost per year"), default=0, validators=NOT_NEGATIVE, **MONEY
    )
    price_change_pct = models.DecimalField(
        _("price change in %"), default=0, validators=[MinValueValidator(Decimal("-100"))],
        **PERCENT,
    )  # fmt: skip
    volume_change_pct = models.DecimalField(
        _("volume change in %"), default=0, validators=[MinValueValidator(Decimal("-100"))],
        **PERCENT,
    )  # fmt: skip
    one_off_cost = models.DecimalField(
        _("one-off cost of the upgrade"), default=0, validators=NOT_NEGATIVE, **MONEY
    )
    yearly_saving = models.DecimalField(
        _("customer's yearly saving from the upgrade"), default=0, **MONEY
    )
    margin_pct = models.DecimalField(
        _("our contribution margin in %"), default=30,
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
        **PERCENT,
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The same rule as the arithmetic's check(), so the page and the API refuse it.
        if (
            self.yearly_saving is not None
            and self.process_cost is not None
            and self.yearly_saving > self.process_cost
        ):
            raise ValidationError(
                {
                    "yearly_saving": _(
                        "The yearly saving (%(saving)s) cannot be larger than the customer's"
                        " process cost (%(cost)s): the saving lowers that cost. Enter the"
                        " process cost first."
                    )
                    % {"saving": money(self.yearly_saving), "cost": money(self.process_cost)}
                }
            )
        # Checked at the longest horizon a case may have, so that lengthening the case
        # later cannot make a stored scenario's results overflow.
        data = arithmetic.scenario_input(self, MAX_HORIZON_YEARS)
        if None in (data.yearly_volume, data.unit_price) or arithmetic.check(data):
            return  # the field validators answer these
        try:
            arithmetic.compute(data)
        except arithmetic.ScenarioTooLarge as exc:
            raise ValidationError(exc.errors) from None


class BusinessUnit(models.Model):
    """A business unit or site of the customer: the rows of the whitespace matrix."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="business_units")
    name = models.CharField(_("business unit or site"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("business unit")
        verbose_name_plural = _("business units")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="unique_business_unit_name")
        ]

    def __str__(self) -> str:
        return self.name


class WhitespaceCell(models.Model):
    """One product line at one business unit: sold, open, held by a competitor, ..."""

    class State(models.TextChoices):
        SOLD = "sold", _("Sold")
        OPEN = "open", _("Open opportunity")
        COMPETITOR = "competitor", _("Held by a competitor")
        NOT_RELEVANT = "not_relevant", _("Not relevant")
        UNKNOWN = "unknown", _("Unknown")

    business_unit = models.ForeignKey(BusinessUnit, on_delete=models.CASCADE, related_name="cells")
    product_line = models.ForeignKey(
        ProductLine, on_delete=models.CASCADE, related_name="whitespace_cells"
    )
    state = models.CharField(
        _("state"), max_length=14, choices=State.choices, default=State.UNKNOWN
    )
    revenue = models.DecimalField(
        _("revenue"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY
    )
    potential = models.DecimalField(
        _("open potential"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY
    )
    opportunity = models.ForeignKey(
        "deals.Opportunity", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="whitespace_cells", verbose_name=_("opportunity"),
    )  # fmt: skip
    competitor = models.ForeignKey(
        "deals.Competitor", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="whitespace_cells", verbose_name=_("competitor"),
    )  # fmt: skip
    notes = models.CharField(_("notes"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("whitespace cell")
        verbose_name_plural = _("whitespace cells")
        constraints = [
            models.UniqueConstraint(
                fields=["business_unit", "product_line"], name="one_cell_per_unit_and_line"
            )
        ]

    def __str__(self) -> str:
        return f"{self.business_unit} × {self.product_line}"
