"""The annual review (Jahresgespräch) of a key account and its presentation folder.

A review is prepared in sections that are filled from live data when the review is created
(and refreshed on demand); the key account manager edits them, adds the agenda, the topic
plan, market data and next year's joint projects. Each render of the presentation folder
is a numbered `FolderVersion` with its own PDF file.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Account, Contact, year_validators
from activities.models import FollowUp
from contracts.models import Contract
from kam.validators import BOUNDED_TEXT
from planning.models import BusinessCase, Objective

if TYPE_CHECKING:
    from django import forms

    from reviews.selectors import ChoiceItem

USER = settings.AUTH_USER_MODEL
FOLDER_LANGUAGES = [("de", _("German")), ("en", _("English"))]


class AnnualReview(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("In preparation")
        READY = "ready", _("Ready")
        HELD = "held", _("Held")
        FOLLOWED_UP = "followed_up", _("Followed up")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("account")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    backdate_reason = models.TextField(
        _("reason for a date in a closed year"),
        blank=True,
        help_text=_("Needed when the meeting lies in a year that is closed."),
        validators=BOUNDED_TEXT,
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    our_participants: models.ManyToManyField = models.ManyToManyField(
        USER, blank=True, related_name="+", verbose_name=_("our participants")
    )
    customer_participants = models.ManyToManyField(
        Contact, blank=True, related_name="reviews", verbose_name=_("customer participants")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREPARING
    )
    language = models.CharField(
        _("language of the folder"), max_length=8, choices=FOLDER_LANGUAGES, default="de"
    )
    minutes = models.TextField(_("minutes"), blank=True, validators=BOUNDED_TEXT)
    next_review_on = models.DateField(_("next review on"), null=True, blank=True)
    # The business cases of the group the manager puts into the customer's folder, each as
    # a one-page summary of the customer's side (reviews.selectors.folder_business_cases).
    business_cases = models.ManyToManyField(
        BusinessCase, blank=True, related_name="+",
        verbose_name=_("business cases in the customer's folder"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")
        ordering = ["-year", "account__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "year"],
                name="one_review_per_account_and_year",
                violation_error_message=_("This account already has a review for this year."),
            )
        ]
        indexes = [models.Index(fields=["status", "meeting_on"], name="review_status_date_idx")]

    def __str__(self) -> str:
        return f"{self.account} {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PREPARING, self.Status.READY)


class Section(models.Model):
    """One prepared section. `data` is the snapshot taken from live data (refreshable),
    `text` the key account manager's own words; `changes` what the last refresh changed."""

    class Kind(models.TextChoices):
        RELATIONSHIP = "relationship", _("The relationship so far")
        FIGURES = "figures", _("Key figures")
        MEASURES = "measures", _("Measures carried out")
        MARKET = "market", _("Market data")
        AGENDA = "agenda", _("Agenda and topic plan")
        OUTLOOK = "outlook", _("Outlook and next year's plan")
        NOTES = "notes", _("Internal notes")

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("section"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True, validators=BOUNDED_TEXT)
    data = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=list, blank=True)
    # The manager's choices for the customer's folder: item key -> shown or not. Items
    # without a choice follow the default of their kind (reviews.selectors.is_shown).
    shown = models.JSONField(_("shown to the customer"), default=dict, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    # Set by the workspace view for its template: the section's form and its items by list.
    form: "forms.BaseForm"
    choice_lists: "dict[str, list[ChoiceItem]]"

    class Meta:
        verbose_name = _("review section")
        verbose_name_plural = _("review sections")
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "kind"], name="one_section_per_kind")
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def is_internal(self) -> bool:
        return self.kind == self.Kind.NOTES


class AgendaItem(models.Model):
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="agenda")
    title = models.CharField(_("title"), max_length=200)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=15,
        validators=[
            MinValueValidator(1, message=_("At least one minute.")),
            MaxValueValidator(480, message=_("At most eight hours.")),
        ],
    )
    presenter = models.CharField(_("presenter"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Topic(models.Model):
    """A topic of the topic plan; `contract` is set for a proposed renegotiation."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("topic"), max_length=200)
    goal = models.TextField(_("our goal"), blank=True, validators=BOUNDED_TEXT)
    owner = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("owner"),
    )  # fmt: skip
    customer_side = models.CharField(_("customer's side"), max_length=200, blank=True)
    renegotiate = models.BooleanField(_("prices and services to renegotiate"), default=False)
    contract = models.ForeignKey(
        Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("contract"),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class MarketFigure(models.Model):
    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="market_data")
    topic = models.CharField(_("topic"), max_length=200)
    figure = models.CharField(_("figure"), max_length=100)
    source = models.CharField(_("source"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=year_validators()
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("market figure")
        verbose_name_plural = _("market data")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.topic


class JointProject(models.Model):
    """A project of next year's joint plan; becomes an objective of the action plan once."""

    class Area(models.TextChoices):
        LOGISTICS = "logistics", _("Logistics")
        SALES = "sales", _("Sales")
        MARKETING = "marketing", _("Marketing")
        PRODUCT = "product", _("Product development")
        SERVICE = "service", _("Service")

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="projects")
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    title = models.CharField(_("project"), max_length=200)
    goal = models.TextField(_("goal"), blank=True, validators=BOUNDED_TEXT)
    target = models.CharField(_("target"), max_length=200, blank=True)
    objective = models.OneToOneField(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("objective"),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")
        ordering = ["area", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class Agreement(models.Model):
    """What was agreed in the meeting; with owner and due date it is a follow-up on My work."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="agreements")
    text = models.CharField(_("agreement"), max_length=250)
    owner = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("owner"),
    )  # fmt: skip
    due_on = models.DateField(_("due on"), null=True, blank=True)
    follow_up = models.OneToOneField(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class FolderVersion(models.Model):
    """One render of the presentation folder. The row exists before the PDF: a retried task
    finds it and renders into it again, so a retry never makes a second version."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    internal = models.BooleanField(_("internal version"), default=False)
    language = models.CharField(_("language"), max_length=8, choices=FOLDER_LANGUAGES)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    error = models.TextField(_("reason"), blank=True, validators=BOUNDED_TEXT)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(_("file"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    pages = models.PositiveSmallIntegerField(_("pages"), default=0)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    fingerprint = models.JSONField(default=dict, blank=True)
    changes = models.JSONField(default=list, blank=True)
    requested_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    # When the render was handed to the broker; empty while Redis could not be reached
    # (reviews.tasks.queue_waiting_folders queues it later).
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    # The lease of the running attempt (reviews.rendering): when it started, until when
    # it may run (started_at plus the task's hard time limit) and which task holds it.
    # A version "rendering" past its lease is taken again, with a new attempt number.
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("folder version")
        verbose_name_plural = _("folder versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="one_folder_version_number")
        ]

    # Set on the instance by the request that could not hand it to the broker.
    queue_refused = False

    def __str__(self) -> str:
        return f"{self.review} v{self.number}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    def download_name(self) -> str:
        """A safe file name: letters, digits and dashes only."""
        base = slugify(self.review.account.name)[:60] or "review"
        suffix = "-internal" if self.internal else ""
        return f"{base}-{self.review.year}-v{self.number}{suffix}.pdf"


class FolderBranding(models.Model):
    """Our name, address, logo and colours on the presentation folder, set by an
    administrator on the branding page. One row (pk 1); without it the folder uses the
    COMPANY_NAME and COMPANY_LOGO settings. The logo is a file of the default storage,
    written and read through the storage API (reviews.branding)."""

    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True, validators=BOUNDED_TEXT)
    primary_colour = models.CharField(_("main colour"), max_length=7, default="#1f4e79")
    accent_colour = models.CharField(_("accent colour"), max_length=7, default="#111111")
    logo = models.CharField(_("logo"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("folder branding")
        verbose_name_plural = _("folder branding")

    def __str__(self) -> str:
        return self.company_name or str(_("folder branding"))
