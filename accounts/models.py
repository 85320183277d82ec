from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import lookups
from accounts.vat import VatIdField
from kam.validators import BOUNDED_TEXT
from users.models import Role


class DecimalSize(TypedDict):
    """The size of a DecimalField, spread into it with ** (typed, so mypy checks it)."""

    max_digits: int
    decimal_places: int


MONEY: DecimalSize = {"max_digits": 16, "decimal_places": 2}


def this_year() -> int:
    return timezone.localdate().year


NOT_NEGATIVE = [MinValueValidator(Decimal("0"), message=_("Must not be negative."))]


class ProductLine(models.Model):
    """What we sell, as a catalogue the installation configures."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def path_ids(path: str) -> list[int]:
    """The account ids of a materialised path, the top account first ("/12/40/" ->
    [12, 40]); an empty path has none."""
    return [int(part) for part in path.strip("/").split("/") if part]


class Account(models.Model):
    class CustomerType(models.TextChoices):
        CORPORATION = "corporation", _("Corporation")
        MIDSIZED = "midsized", _("Mid-sized company")
        PUBLIC = "public", _("Public sector")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        POTENTIAL = "potential", _("Potential key account")
        KEY_ACCOUNT = "key_account", _("Key account")
        STANDARD = "standard", _("Standard customer")
        FORMER = "former", _("Former customer")

    class Tier(models.TextChoices):
        A = "A", "A"
        B = "B", "B"
        C = "C", "C"

    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=250, blank=True)
    external_id = models.CharField(
        _("external ID"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The customer number in the ERP system, for imports."),
    )
    vat_id = VatIdField(
        _("VAT ID"),
        blank=True,
        db_index=True,
        help_text=_("The EU VAT identification number with its country code, e.g. DE123456789."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subsidiaries",
        verbose_name=_("parent account"),
    )
    # Materialised path of ids ("/12/40/"), kept by the services: one LIKE finds a whole group.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    customer_type = models.CharField(
        _("customer type"), max_length=20, choices=CustomerType.choices, default=CustomerType.OTHER
    )
    country = models.CharField(_("country"), max_length=100, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(
        _("region"), max_length=100, blank=True, help_text=_("e.g. “Deutschland Süd”")
    )
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROSPECT
    )
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices, default=Tier.C)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_accounts",
        verbose_name=_("key account manager"),
    )
    individual_requirements = models.BooleanField(
        _("individual requirements"),
        default=False,
        help_text=_("Needs tailored solutions rather than products off the shelf."),
    )
    product_lines = models.ManyToManyField(
        ProductLine, blank=True, related_name="accounts", verbose_name=_("product lines")
    )
    # The latest past activity logged on the account, kept by activities.services on every
    # write (and by its hourly task for planned activities whose time has come), so that
    # "last contacted" is a column, not a subquery over the contact log.
    last_contacted_at = models.DateTimeField(
        _("last contact"), null=True, blank=True, editable=False
    )
    # This year's revenue (None without figures for the year), the key of the account list's
    # "Revenue" sort: an index walk instead of a probe of the figures of every account in
    # scope. Kept by accounts.revenue_key on every figures write; its nightly task moves the
    # keys to the new year at New Year.
    revenue_key = models.DecimalField(null=True, blank=True, editable=False, **MONEY)
    revenue_key_year = models.PositiveSmallIntegerField(default=this_year, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(
        excluded_fields=[
            "path",
            "updated_at",
            "last_contacted_at",
            "revenue_key",
            "revenue_key_year",
        ]
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "tier"]),
            models.Index(fields=["name", "id"], name="account_name_idx"),
            models.Index(fields=["last_contacted_at", "id"], name="account_last_contact_idx"),
            # The revenue_key indexes, one per sort direction with NULLs as the smallest, are
            # made by migration 0007: SQLite takes no NULLS FIRST/LAST in an index.
            models.Index(fields=["revenue_key_year"], name="account_revenue_year_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def root_id(self) -> int:
        return int(self.path.strip("/").split("/")[0]) if self.path else self.pk

    @property
    def is_group(self) -> bool:
        return self.parent_id is None and self.subsidiaries.exists()

    def ancestor_ids(self) -> list[int]:
        return path_ids(self.path)[:-1]

    def clean(self) -> None:
        parent = self.parent if self.parent_id and self.pk else None
        if parent is not None and (
            parent.pk == self.pk or (self.path and parent.path.startswith(self.path))
        ):
            raise ValidationError(
                {"parent": _("An account cannot belong to itself or to its own subsidiary.")}
            )
        if self.external_id == "":
            self.external_id = None
        if self.owner_id and not _may_own_accounts(self.owner):
            message = _(
                "Only key account managers, heads of sales or administrators can own an account."
            )
            raise ValidationError({"owner": message})


def _may_own_accounts(user) -> bool:
    return user.is_superuser or user.role in {
        Role.KEY_ACCOUNT_MANAGER,
        Role.HEAD_OF_SALES,
        Role.ADMIN,
    }


class AccountPlacement(models.Model):
    """Where an account stood in the hierarchy, from when to when: its parent and its
    materialised path. The account's own row holds where it stands now; these rows let past
    years be summed with the groups as they stood then (accounts.hierarchy). Written by the
    services that create and move accounts, one open row (`valid_to` empty) per account."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="placements")
    parent = models.ForeignKey(
        Account,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parent account"),
    )
    path = models.CharField(max_length=255)
    # Empty: since the beginning (the first placement of an account holds for every year
    # before, so figures imported for past years count with the group it was created in).
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    # The day of the next move (exclusive); empty: still so.
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("account placement")
        verbose_name_plural = _("account placements")
        indexes = [models.Index(fields=["account", "valid_to"], name="placement_account_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(valid_to__isnull=True),
                name="one_open_placement_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.path} ({self.valid_from} - {self.valid_to})"


class ProfileSection(models.Model):
    """One part of what the KAM knows about the customer, with who wrote it last."""

    class Kind(models.TextChoices):
        STRATEGY = "strategy", _("Strategy")
        MARKET_POSITION = "market_position", _("Market position")
        FINANCES = "finances", _("Finances")
        PRODUCTS = "products", _("Products")
        ORGANISATION = "organisation", _("Organisation structure")
        REQUIREMENTS = "requirements", _("Individual requirements")
        COMPETITORS = "competitors", _("Competitors at the customer")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="profile_sections")
    kind = models.CharField(_("section"), max_length=30, choices=Kind.choices)
    text = models.TextField(_("text"), blank=True, validators=BOUNDED_TEXT)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile section")
        verbose_name_plural = _("profile sections")
        constraints = [
            models.UniqueConstraint(fields=["account", "kind"], name="one_profile_section_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.get_kind_display()}"


class TeamMembership(models.Model):
    class TeamRole(models.TextChoices):
        KEY_ACCOUNT_MANAGER = "key_account_manager", _("Key account manager")
        SALES_REP = "sales_rep", _("Sales rep")
        CUSTOMER_SERVICE = "customer_service", _("Customer service")
        LOGISTICS = "logistics", _("Logistics")
        ENGINEERING = "engineering", _("Engineering")
        EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive sponsor")
        OTHER = "other", _("Other")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(
        _("team role"), max_length=30, choices=TeamRole.choices, default=TeamRole.SALES_REP
    )
    can_edit = models.BooleanField(_("may edit"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("account team")
        constraints = [
            models.UniqueConstraint(fields=["account", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


def year_validators():
    return [
        MinValueValidator(2000, message=_("The year must be 2000 or later.")),
        MaxValueValidator(2100, message=_("The year must be 2100 or earlier.")),
    ]


class YearlyFigures(models.Model):
    """One year of an account's figures, in the installation's currency."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators())
    revenue = models.DecimalField(_("revenue"), default=0, validators=NOT_NEGATIVE, **MONEY)
    contribution_margin = models.DecimalField(_("contribution margin"), default=0, **MONEY)
    revenue_target = models.DecimalField(
        _("revenue target"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY
    )
    margin_target = models.DecimalField(
        _("contribution margin target"), null=True, blank=True, **MONEY
    )
    revenue_potential = models.DecimalField(
        _("revenue potential"),
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
        help_text=_("The customer's total spend in our field."),
        **MONEY,
    )
    actuals_as_of = models.DateField(
        _("actuals as of"),
        null=True,
        blank=True,
        help_text=_(
            "The day up to which revenue and contribution margin are booked (set by the ERP;"
            " today when left out)."
        ),
    )
    # The moment the actuals stand at: the time of the push when they stand at today, the
    # end of the day for an earlier day. Won deals closed after it are not invoiced yet
    # (planning's target forecast compares moment with moment).
    actuals_at = models.DateTimeField(
        _("actuals as of (moment)"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="one_figures_row_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.year}"

    @property
    def share_of_wallet(self) -> Decimal | None:
        return share_of_wallet(self.revenue, self.revenue_potential)

    @property
    def target_attainment(self) -> Decimal | None:
        return percent(self.revenue, self.revenue_target)


def percent(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def share_of_wallet(revenue: Decimal | None, potential: Decimal | None) -> Decimal | None:
    return percent(revenue, potential)


class Contact(models.Model):
    class BuyingRole(models.TextChoices):
        DECISION_MAKER = "decision_maker", _("Decision maker")
        ECONOMIC_BUYER = "economic_buyer", _("Economic buyer")
        TECHNICAL_BUYER = "technical_buyer", _("Technical buyer")
        USER = "user", _("User")
        INFLUENCER = "influencer", _("Influencer")
        GATEKEEPER = "gatekeeper", _("Gatekeeper")
        CHAMPION = "champion", _("Champion")
        EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive sponsor")

    class Influence(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Attitude(models.TextChoices):
        SUPPORTER = "supporter", _("Supporter")
        NEUTRAL = "neutral", _("Neutral")
        CRITIC = "critic", _("Critic")

    class LegalBasis(models.TextChoices):
        UNKNOWN = "unknown", _("Not yet recorded")
        CONSENT = "consent", _("Consent given")
        CONTRACT = "contract", _("Contract")
        LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
        OBJECTED = "objected", _("Objected: do not contact")

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("account")
    )
    external_id = models.CharField(
        _("external ID"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The record's number in the system it came from, for imports."),
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    department = models.CharField(_("department"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile"), max_length=50, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
        verbose_name=_("reports to"),
    )
    buying_role = models.CharField(
        _("buying-center role"), max_length=30, choices=BuyingRole.choices, blank=True
    )
    influence = models.CharField(
        _("influence"), max_length=10, choices=Influence.choices, default=Influence.MEDIUM
    )
    attitude = models.CharField(
        _("attitude to us"), max_length=10, choices=Attitude.choices, default=Attitude.NEUTRAL
    )
    relationship_strength = models.PositiveSmallIntegerField(
        _("relationship strength"),
        default=3,
        validators=[
            MinValueValidator(1, message=_("Use a value from 1 to 5.")),
            MaxValueValidator(5, message=_("Use a value from 1 to 5.")),
        ],
        help_text=_("1 = weak, 5 = very strong"),
    )
    relationship_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_relationships",
        verbose_name=_("our relationship owner"),
    )
    is_active = models.BooleanField(_("still with the company"), default=True)
    left_on = models.DateField(_("left the company on"), null=True, blank=True)
    legal_basis = models.CharField(
        _("legal basis for contact"),
        max_length=30,
        choices=LegalBasis.choices,
        default=LegalBasis.UNKNOWN,
    )
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    # The latest past activity the contact took part in, kept like Account.last_contacted_at.
    last_contacted_at = models.DateTimeField(
        _("last contact"), null=True, blank=True, editable=False
    )
    # Erased on request (GDPR, accounts.gdpr): the record stays, for the activities and
    # scores it counts in, without anything that identifies the person.
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True)
    erasure_reason = models.TextField(
        _("reason for the erasure"), blank=True, validators=BOUNDED_TEXT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "last_contacted_at"])

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["last_name", "first_name"]
        # "Gone quiet" (active contacts, never contacted first, then the longest silence)
        # has the index contact_last_contact_idx from migration 0004: SQLite cannot declare
        # NULLS FIRST in an index, so it is written per database there, not here.
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="contact_name_idx")]

    def __str__(self) -> str:
        if self.erased_at is not None:
            return str(_("erased contact"))
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def name(self) -> str:
        return str(self)

    def clean(self) -> None:
        errors = {}
        boss = self.reports_to if self.reports_to_id else None
        if boss is not None:
            if self.pk and boss.pk == self.pk:
                errors["reports_to"] = _("A contact cannot report to themselves.")
            elif self.account_id and boss.account.root_id != self.account.root_id:
                errors["reports_to"] = _(
                    "The manager must be a contact of the same account or group."
                )
            elif self.pk and _reports_chain_contains(boss, self.pk):
                errors["reports_to"] = _("This would make a reporting loop.")
        if self.external_id == "":
            self.external_id = None
        if self.left_on and self.left_on > timezone.localdate():
            errors["left_on"] = _("The leaving date cannot be in the future.")
        if self.left_on and self.is_active:
            self.is_active = False
        if errors:
            raise ValidationError(errors)


def _reports_chain_contains(contact: Contact, contact_id: int) -> bool:
    seen: set[int] = set()
    current: Contact | None = contact
    while current is not None and current.pk not in seen:
        if current.pk == contact_id:
            return True
        seen.add(current.pk)
        current = current.reports_to
    return False


lookups.register(Account._meta.get_field("path"))


class Merge(models.Model):
    """One merge of two accounts or two contacts: the merged record's id answers with the
    survivor from then on (a permanent redirect on the pages), and the survivor's account
    history shows which values were kept."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("account")
        CONTACT = "contact", _("contact")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    merged_id = models.BigIntegerField(_("merged record"))
    merged_name = models.CharField(_("merged record's name"), max_length=250)
    survivor_id = models.BigIntegerField(_("surviving record"))
    # The account whose history shows the merge (the survivor, or the surviving contact's
    # account); a later merge of that account moves it along like every related record.
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="merges", verbose_name=_("account")
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged"), default=timezone.now)
    # What was decided, as the history shows it: [[field label, survivor's value, kept]],
    # and what moved: {model label: rows}.
    choices = models.JSONField(_("values kept"), default=list, blank=True)
    moved = models.JSONField(_("records moved"), default=dict, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "merged_id"], name="one_merge_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.merged_id} -> {self.survivor_id}"
