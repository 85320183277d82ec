"""What can be imported: the kinds, their columns and how a column's cell becomes a value.

A column's heading is its model field's verbose name, in German or English (as the
exports write them), or the field's name; choices are accepted as code or label in
either language; foreign keys by external ID (the group parent also by name), users by
user name, pipeline stages and competitors by name.
"""

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact, YearlyFigures
from contracts.models import Contract
from deals.models import Opportunity
from imports.values import choice_lookup, labels_in_both_languages
from users.models import Role

# Value types of a column.
TEXT = "text"
DECIMAL = "decimal"
INTEGER = "integer"
DATE = "date"
BOOL = "bool"
CHOICE = "choice"
ACCOUNT = "account"  # an account in the user's scope, by external ID
PARENT = "parent"  # an account by external ID or name
CONTACT = "contact"  # a contact in the user's scope, by external ID
USER = "user"  # by user name
STAGE = "stage"  # a pipeline stage by name
COMPETITORS = "competitors"  # names, separated by commas or semicolons


@dataclass(frozen=True)
class Column:
    field: str  # the service's keyword argument and the model field
    type: str
    required: bool = False
    label: str | Promise = ""  # set from the model field's verbose_name when empty
    example: str = ""
    choices: tuple[tuple[str, object], ...] = ()

    def headings(self) -> list[str]:
        return [*labels_in_both_languages(self.label), self.field]

    def lookup(self) -> dict[str, str]:
        return self._lookup

    @functools.cached_property
    def _lookup(self) -> dict[str, str]:
        # Kept on the column: hashing its lazy labels for a cache costs more per cell.
        return choice_lookup(self.choices)


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    model: type[models.Model]
    columns: tuple[Column, ...]
    # The columns a row is matched on (insert or update).
    match: tuple[str, ...] = ("external_id",)
    # A column that names another row of the same kind (parent, manager): such rows are
    # written after the row they name.
    self_reference: str = ""
    # Who may import this kind beyond administrators and heads of sales.
    also_roles: frozenset[str] = frozenset()
    column_map: dict[str, Column] = field(default_factory=dict, compare=False)

    def column(self, name: str) -> Column:
        return self.column_map[name]

    def allowed_for(self, user) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        return user.sees_all_accounts or user.role in self.also_roles


def _kind(key, label, model, columns, **options) -> Kind:
    labelled = []
    for column in columns:
        label_text = column.label
        choices = column.choices
        try:
            model_field = model._meta.get_field(column.field)
        except Exception:  # noqa: BLE001 - columns that are no model field carry a label
            model_field = None
        if not label_text and model_field is not None:
            label_text = model_field.verbose_name
        if not choices and column.type == CHOICE and model_field is not None:
            choices = tuple(model_field.choices or ())
        labelled.append(
            Column(
                field=column.field,
                type=column.type,
                required=column.required,
                label=label_text,
                example=column.example,
                choices=choices,
            )
        )
    kind = Kind(key=key, label=label, model=model, columns=tuple(labelled), **options)
    kind.column_map.update({column.field: column for column in kind.columns})
    return kind


EXTERNAL_ID = Column("external_id", TEXT, required=True, example="K-10001")

ACCOUNTS = _kind(
    "accounts",
    _("Accounts"),
    Account,
    (
        EXTERNAL_ID,
        Column("name", TEXT, required=True, example="Müller Maschinenbau AG"),
        Column("legal_name", TEXT, example="Müller Maschinenbau Aktiengesellschaft"),
        Column("vat_id", TEXT, example="DE123456789"),
        Column("parent", PARENT, example="K-10000"),
        Column("industry", TEXT, example="Maschinenbau"),
        Column("customer_type", CHOICE, example="Konzern"),
        Column("country", TEXT, example="Deutschland"),
        Column("city", TEXT, example="Stuttgart"),
        Column("region", TEXT, example="Deutschland Süd"),
        Column("website", TEXT, example="https://www.example.com"),
        Column("status", CHOICE, example="Schlüsselkunde"),
        Column("tier", CHOICE, example="A"),
        Column("owner", USER, example="kam"),
        Column("individual_requirements", BOOL, example="ja"),
    ),
    self_reference="parent",
)

CONTACTS = _kind(
    "contacts",
    _("Contacts"),
    Contact,
    (
        Column("external_id", TEXT, required=True, example="P-2001"),
        Column("account", ACCOUNT, required=True, example="K-10001"),
        Column("first_name", TEXT, example="Anna"),
        Column("last_name", TEXT, required=True, example="Schäfer"),
        Column("job_title", TEXT, example="Leiterin Einkauf"),
        Column("department", TEXT, example="Einkauf"),
        Column("email", TEXT, example="anna.schaefer@example.com"),
        Column("phone", TEXT, example="+49 711 123456"),
        Column("mobile", TEXT),
        Column("preferred_language", CHOICE, example="de", choices=tuple(settings.LANGUAGES)),
        Column("reports_to", CONTACT, example="P-2000"),
        Column("buying_role", CHOICE, example="Entscheider"),
        Column("influence", CHOICE, example="hoch"),
        Column("attitude", CHOICE, example="neutral"),
        Column("relationship_strength", INTEGER, example="4"),
        Column("relationship_owner", USER, example="kam"),
        Column("is_active", BOOL, example="ja"),
        Column("left_on", DATE),
        Column("legal_basis", CHOICE, example="contract"),
        Column("consent_on", DATE),
    ),
    self_reference="reports_to",
    also_roles=frozenset({Role.KEY_ACCOUNT_MANAGER}),
)

FIGURES = _kind(
    "figures",
    _("Yearly figures"),
    YearlyFigures,
    (
        Column("account", ACCOUNT, required=True, label=_("account"), example="K-10001"),
        Column("year", INTEGER, required=True, example="2026"),
        Column("revenue", DECIMAL, example="1.234.567,89"),
        Column("contribution_margin", DECIMAL, example="345.000,00"),
        Column("revenue_target", DECIMAL, example="1.500.000"),
        Column("margin_target", DECIMAL, example="400.000"),
        Column("revenue_potential", DECIMAL, example="3.000.000"),
        Column("actuals_as_of", DATE, example="31.12.2026"),
    ),
    match=("account", "year"),
)

OPPORTUNITIES = _kind(
    "opportunities",
    _("Opportunities"),
    Opportunity,
    (
        Column("external_id", TEXT, required=True, example="O-3001"),
        Column("account", ACCOUNT, required=True, example="K-10001"),
        Column("title", TEXT, required=True, example="Rahmenvertrag Ersatzteile 2027"),
        Column("description", TEXT),
        Column("value", DECIMAL, example="250.000"),
        Column("expected_margin", DECIMAL, example="60.000"),
        Column("stage", STAGE, example="Qualifiziert"),
        Column("probability", INTEGER, example="30"),
        Column("expected_close_date", DATE, example="31.03.2027"),
        Column("next_follow_up_on", DATE),
        Column("next_follow_up_action", TEXT),
        Column("close_reason", TEXT),
        Column("owner", USER, example="kam"),
        Column("competitors", COMPETITORS, example="Schmidt GmbH, Weber AG"),
    ),
)

CONTRACTS = _kind(
    "contracts",
    _("Contracts"),
    Contract,
    (
        Column("external_id", TEXT, required=True, example="V-4001"),
        Column("account", ACCOUNT, required=True, example="K-10001"),
        Column("number", TEXT, required=True, example="RV-2026-17"),
        Column("title", TEXT, required=True, example="Rahmenvertrag Ersatzteile"),
        Column("kind", CHOICE, example="Rahmenvertrag"),
        Column("start_on", DATE, required=True, example="01.01.2026"),
        Column("end_on", DATE, example="31.12.2027"),
        Column("notice_period_months", INTEGER, example="3"),
        Column("auto_renewal", BOOL, example="ja"),
        Column("renewal_term_months", INTEGER, example="12"),
        Column("annual_value", DECIMAL, example="480.000"),
        Column("prices_and_terms", TEXT),
        Column("status", CHOICE, example="aktiv"),
        Column("owner", USER, example="kam"),
    ),
)

KINDS: dict[str, Kind] = {
    kind.key: kind for kind in (ACCOUNTS, CONTACTS, FIGURES, OPPORTUNITIES, CONTRACTS)
}
KIND_CHOICES = [(kind.key, kind.label) for kind in KINDS.values()]


def kinds_for(user) -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.allowed_for(user)]


def normalise_heading(heading: str) -> str:
    return " ".join(heading.replace("*", "").strip().lower().split())


def suggest_mapping(
    kind: Kind, headings: list[str], remembered: dict[str, str] | None = None
) -> list[str]:
    """For each heading of the file, the field it fills ("" for none): the user's mapping
    remembered for this heading first, then a column whose heading it is."""
    remembered = remembered or {}
    by_heading: dict[str, str] = {}
    for column in kind.columns:
        for text in column.headings():
            by_heading.setdefault(normalise_heading(text), column.field)
    mapping: list[str] = []
    used: set[str] = set()
    for heading in headings:
        choice = remembered.get(heading)
        if choice not in kind.column_map:
            choice = by_heading.get(normalise_heading(heading), "")
        if choice in used:
            choice = ""
        if choice:
            used.add(choice)
        mapping.append(choice)
    return mapping
