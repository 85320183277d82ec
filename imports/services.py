"""Importing rows: one row in, one outcome out (new, changed, unchanged or refused).

An imported row is validated, permission-checked and recorded in the history exactly as
the same change made on the page: checked row by row with the services' rules and
written per batch (imports.bulk), or through the apps' own services (account_update,
...) where a row needs more than its own fields written. `import_row` is the unit a bulk
API can share; `import_table` runs a whole file in batches: each batch one transaction,
so a refused row leaves nothing behind and the good rows of its batch are kept. Lookups
(accounts, contacts, users, stages, the records matched) are read once per batch. A dry
run is the same work rolled back at the end.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from accounts import duplicates
from accounts import services as account_services
from accounts.access import visible_accounts, visible_contacts
from accounts.models import Account, Contact, YearlyFigures
from contracts import services as contract_services
from deals import services as deal_services
from deals.models import DEFAULT_STAGE_LABELS, Opportunity, Stage
from imports import bulk
from imports import kinds as k
from imports.kinds import Column, Kind
from imports.reading import FormulaCell, RowCell, Table
from imports.values import (
    CellError,
    as_text,
    labels_in_both_languages,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
)
from kam.unset import UNSET
from users.models import User

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"
REFUSED = "refused"


def batch_rows() -> int:
    return int(getattr(settings, "IMPORT_BATCH_ROWS", 500))


@dataclass
class RowOutcome:
    row: int
    outcome: str
    key: str = ""
    # (column, old, new) for a changed row; (column, new) shown for a new one
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    # (column, reason) for a refused row; column "" for the row as a whole
    errors: list[tuple[str, str]] = field(default_factory=list)
    record_id: int | None = None  # the record written or matched (not for a refused row)
    # The record written, whose id a batch write gives only when the batch is flushed.
    record: Any = field(default=None, repr=False, compare=False)
    # Warnings on a row that is still written (a likely duplicate of an existing record)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "outcome": self.outcome,
            "key": self.key,
            "changes": [list(change) for change in self.changes],
            "errors": [list(error) for error in self.errors],
            "warnings": list(self.warnings),
        }


@dataclass
class Report:
    outcomes: list[RowOutcome] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((NEW, CHANGED, UNCHANGED, REFUSED), 0)
        for outcome in self.outcomes:
            counts[outcome.outcome] += 1
        return counts

    @property
    def refused(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.outcome == REFUSED]


@dataclass
class Lookups:
    """What the rows of one batch name, read once for the batch; rows written in the
    batch are added, so that a later row can name them."""

    accounts: dict[str, Account] = field(default_factory=dict)  # by external ID, in scope
    accounts_by_name: dict[str, list[Account]] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)  # by external ID, in scope
    users: dict[str, User] = field(default_factory=dict)  # by user name
    stages: dict[str, Stage] = field(default_factory=dict)  # by key, name and label
    existing: dict[Any, Model] = field(default_factory=dict)  # by match key
    visible_scope: set[int] | None = None  # ids of visible accounts (None: all)
    # Parents and managers of matched records that the importing user cannot see: they
    # read as empty (the services keep them), so no report names them.
    hidden: set[tuple[str, int]] = field(default_factory=set)


def _model_field(kind: Kind, name: str):
    try:
        return kind.model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - e.g. "competitors" on opportunities is a relation
        return None


# ----------------------------------------------------------------------------------------
# Cells to values


def _allowed_values(column: Column) -> str:
    shown = []
    for code, label in column.choices:
        shown.append(f"{code} ({' / '.join(dict.fromkeys(labels_in_both_languages(label)))})")
    return ", ".join(shown)


def _empty(kind: Kind, column: Column) -> Any:
    """What an empty cell means: "" for text, None where the field may be empty, and
    "not given" (the default for a new record, unchanged for an existing one) otherwise."""
    model_field = _model_field(kind, column.field)
    if column.type == k.COMPETITORS:
        return []
    if column.type in (k.TEXT, k.CHOICE) and model_field is not None and model_field.blank:
        return ""
    if model_field is not None and model_field.null:
        return None
    return UNSET


def _parse(
    kind: Kind, column: Column, cell: RowCell, lookups: Lookups, *, decimal_comma: bool
) -> Any:
    if isinstance(cell, FormulaCell):
        raise CellError(
            _("The cell holds a formula (%(formula)s); enter its value instead.")
            % {"formula": cell.text[:60]}
        )
    text = as_text(cell)
    if text == "":
        if column.required:
            raise CellError(_("This cell must not be empty."))
        return _empty(kind, column)
    match column.type:
        case k.TEXT:
            # A field that keeps one spelling (the VAT ID) gives it here, so that
            # "DE 123 456 789" against a stored "DE123456789" is no change.
            model_field = _model_field(kind, column.field)
            return model_field.to_python(text) if model_field is not None else text
        case k.DECIMAL:
            return parse_decimal(cell, decimal_comma=decimal_comma)
        case k.INTEGER:
            return parse_int(cell, decimal_comma=decimal_comma)
        case k.DATE:
            return parse_date(cell)
        case k.BOOL:
            return parse_bool(cell)
        case k.CHOICE:
            return parse_choice(cell, column.lookup(), lambda: _allowed_values(column))
        case k.ACCOUNT:
            account = lookups.accounts.get(text)
            if account is None:
                # The same answer for an account outside the user's scope as for none.
                raise CellError(_("No account has the external ID “%(value)s”.") % {"value": text})
            return account
        case k.PARENT:
            account = lookups.accounts.get(text)
            if account is None:
                named = lookups.accounts_by_name.get(text.lower(), [])
                if len(named) > 1:
                    raise CellError(
                        _("Several accounts are named “%(value)s”; give the external ID.")
                        % {"value": text}
                    )
                account = named[0] if named else None
            if account is None:
                raise CellError(
                    _("No account has the external ID or name “%(value)s”.") % {"value": text}
                )
            return account
        case k.CONTACT:
            contact = lookups.contacts.get(text)
            if contact is None:
                raise CellError(_("No contact has the external ID “%(value)s”.") % {"value": text})
            return contact
        case k.USER:
            user = lookups.users.get(text) or lookups.users.get(text.lower())
            if user is None:
                raise CellError(
                    _("No active user has the user name “%(value)s”.") % {"value": text}
                )
            return user
        case k.STAGE:
            stage = lookups.stages.get(text.lower())
            if stage is None:
                names = ", ".join(sorted({s.label for s in lookups.stages.values()}))
                raise CellError(
                    _("No pipeline stage is named “%(value)s”. Stages: %(names)s.")
                    % {"value": text, "names": names}
                )
            return stage
        case k.COMPETITORS:
            return split_names(text)
    raise AssertionError(column.type)


def split_names(text: str) -> list[str]:
    separator = ";" if ";" in text else ","
    names = [name.strip() for name in text.split(separator)]
    return list(dict.fromkeys(name for name in names if name))


# ----------------------------------------------------------------------------------------
# Showing values


def show(column: Column | None, value: Any) -> str:
    if value is None or value == "" or value is UNSET:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Account | Contact):
        return value.external_id or str(value)
    if isinstance(value, User):
        return value.username
    if isinstance(value, Stage):
        return value.label
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2 if value != value.to_integral() else 0)
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(value) or "–"
    if column is not None and column.type == k.CHOICE:
        for code, label in column.choices:
            if code == value:
                return str(label)
    return str(value)


# ----------------------------------------------------------------------------------------
# One row


def _match_key(kind: Kind, values: dict[str, Any]) -> Any:
    if kind.match == ("account", "year"):
        return (values["account"].pk, values["year"])
    return values["external_id"]


def _key_text(kind: Kind, cells: dict[str, RowCell]) -> str:
    if kind.match == ("account", "year"):
        return f"{as_text(cells.get('account'))} {as_text(cells.get('year'))}".strip()
    return as_text(cells.get("external_id"))


def _old_value(record: Model, name: str, lookups: Lookups) -> Any:
    if name == "competitors":
        return sorted(c.name for c in record.competitors.all())  # type: ignore[attr-defined]
    if name in HIDEABLE and (name, getattr(record, f"{name}_id")) in lookups.hidden:
        return None
    return getattr(record, name)


def _differs(column: Column, old: Any, new: Any) -> bool:
    if column.type == k.COMPETITORS:
        known = {name.lower() for name in old}
        return any(name.lower() not in known for name in new)
    if isinstance(old, Model) or isinstance(new, Model):
        return getattr(old, "pk", None) != getattr(new, "pk", None)
    if column.type == k.TEXT:
        return (old or "") != (new or "")
    return old != new


def _refused(row: int, key: str, errors: list[tuple[str, str]]) -> RowOutcome:
    return RowOutcome(row=row, outcome=REFUSED, key=key, errors=errors)


def _validation_errors(exc: ValidationError, headings: dict[str, str]) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            column = "" if name == NON_FIELD_ERRORS else headings.get(name, name)
            errors += [(column, message) for message in messages]
    else:
        errors += [("", message) for message in exc.messages]
    return errors


def import_row(
    *,
    kind: Kind,
    actor: User,
    row: int,
    cells: dict[str, RowCell],
    lookups: Lookups,
    headings: dict[str, str] | None = None,
    decimal_comma: bool = False,
    writer: bulk.BatchWriter | None = None,
    warn_duplicates: bool = True,
) -> RowOutcome:
    """Insert or update the record of one row through the app's services, in a savepoint;
    with a `writer`, checked here and written with its batch (imports.bulk).

    `cells` maps field names to the row's cells (only the columns the file has); `headings`
    names each field's column as the user sees it, for the messages."""
    headings = headings or {c.field: str(c.label) for c in kind.columns}
    key = _key_text(kind, cells)
    values: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []
    for name, cell in cells.items():
        column = kind.column(name)
        try:
            value = _parse(kind, column, cell, lookups, decimal_comma=decimal_comma)
        except CellError as exc:
            errors.append((headings.get(name, name), exc.message))
            continue
        if value is not UNSET:
            values[name] = value
    for column in kind.columns:
        if column.required and column.field not in cells:
            errors.append((str(column.label), _("This column is missing.")))
    if errors:
        return _refused(row, key, errors)

    match_key = _match_key(kind, values)
    record = lookups.existing.get(match_key)
    if record is not None and not _in_scope(kind, record, lookups):
        return _refused(
            row,
            key,
            [(headings.get("external_id", ""), _("This external ID is used by another record."))],
        )
    changes: list[tuple[str, str, str]] = []
    if record is None:
        changed = dict(values)
        changes = [
            (headings.get(n, n), "", show(kind.column(n), v))
            for n, v in values.items()
            if v not in ("", None, [])
        ]
    else:
        changed = {}
        for name, value in values.items():
            column = kind.column(name)
            old = _old_value(record, name, lookups)
            if _differs(column, old, value):
                changed[name] = value
                changes.append((headings.get(name, name), show(column, old), show(column, value)))
        if not changed:
            return RowOutcome(row=row, outcome=UNCHANGED, key=key, record_id=record.pk)
    # Likely duplicates are looked for where the user reads them (the dry run, the bulk
    # API's answer): one to three queries a new row, which a confirmed import spares.
    warnings = (
        _duplicate_warnings(kind, actor, values) if record is None and warn_duplicates else []
    )
    try:
        if writer is not None and writer.takes(record, changed):
            written = writer.add(record, changed, values)
        else:
            if writer is not None:
                writer.flush()  # what it names may be held back
            with transaction.atomic():
                written = WRITERS[kind.key](actor, record, changed, values)
    except ValidationError as exc:
        return _refused(row, key, _validation_errors(exc, headings))
    except PermissionDenied as exc:
        message = str(exc) or _("You may not change this account.")
        return _refused(row, key, [(headings.get("account", ""), message)])
    _remember(kind, lookups, written, values)
    return RowOutcome(
        row=row,
        outcome=NEW if record is None else CHANGED,
        key=key,
        changes=changes,
        record_id=written.pk,
        record=written,
        warnings=warnings,
    )


def _duplicate_warnings(kind: Kind, actor: User, values: dict[str, Any]) -> list[str]:
    """A new account or contact that is likely one the user has already (the same check
    as the pages'): a warning on the row, which is still written."""
    if kind.model is Account:
        candidates = duplicates.account_candidates(
            user=actor,
            name=values.get("name", ""),
            city=values.get("city", ""),
            vat_id=values.get("vat_id", ""),
        )
    elif kind.model is Contact and isinstance(values.get("account"), Account):
        candidates = duplicates.contact_candidates(
            user=actor,
            account=values["account"],
            first_name=values.get("first_name", ""),
            last_name=values.get("last_name", ""),
            email=values.get("email", ""),
        )
    else:
        return []
    return [
        (
            _("Likely a duplicate of %(record)s (#%(id)s): the same VAT ID.")
            if duplicates.VAT_ID in candidate.reasons
            else _("Likely a duplicate of %(record)s (#%(id)s).")
        )
        % {"record": candidate.record, "id": candidate.record.pk}
        for candidate in candidates
    ]


def _in_scope(kind: Kind, record: Model, lookups: Lookups) -> bool:
    if lookups.visible_scope is None:
        return True
    account_id = record.pk if kind.model is Account else record.account_id  # type: ignore[attr-defined]
    return account_id in lookups.visible_scope


def _remember(kind: Kind, lookups: Lookups, record: Model, values: dict[str, Any]) -> None:
    lookups.existing[_match_key(kind, values)] = record
    if isinstance(record, Account) and record.external_id:
        lookups.accounts[record.external_id] = record
        lookups.accounts_by_name.setdefault(record.name.lower(), []).append(record)
        if lookups.visible_scope is not None:
            lookups.visible_scope.add(record.pk)
    if isinstance(record, Contact) and record.external_id:
        lookups.contacts[record.external_id] = record


# ----------------------------------------------------------------------------------------
# Writers: the apps' services, per kind


def _without(values: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: v for n, v in values.items() if n not in names}


def _write_account(actor: User, record, changed: dict[str, Any], values: dict[str, Any]):
    if record is None:
        return account_services.account_create(actor=actor, **changed)
    return account_services.account_update(actor=actor, account=record, **changed)


def _write_contact(actor: User, record, changed: dict[str, Any], values: dict[str, Any]):
    if record is None:
        return account_services.contact_create(
            actor=actor, account=changed["account"], **_without(changed, "account")
        )
    return account_services.contact_update(actor=actor, contact=record, **changed)


def _write_figures(actor: User, record, changed: dict[str, Any], values: dict[str, Any]):
    given = _without(changed, "account", "year")
    if record is None:
        figures, _created = account_services.figures_put(
            actor=actor, account=values["account"], year=values["year"], **given
        )
        return figures
    return account_services.figures_patch(actor=actor, figures=record, **given)


def _write_opportunity(actor: User, record, changed: dict[str, Any], values: dict[str, Any]):
    names = changed.pop("competitors", [])
    if record is None:
        opportunity = deal_services.opportunity_create(
            actor=actor, account=changed["account"], **_without(changed, "account")
        )
        known: set[str] = set()
    else:
        opportunity = (
            deal_services.opportunity_update(actor=actor, opportunity=record, **changed)
            if changed
            else record
        )
        known = {c.name.lower() for c in record.competitors.all()}
    for name in names:
        if name.lower() not in known:
            deal_services.opportunity_competitor_set(
                actor=actor, opportunity=opportunity, competitor_name=name
            )
    return opportunity


def _write_contract(actor: User, record, changed: dict[str, Any], values: dict[str, Any]):
    if record is None:
        return contract_services.contract_create(
            actor=actor, account=changed["account"], **_without(changed, "account")
        )
    bulk.refuse_contract_move(changed)
    return contract_services.contract_update(actor=actor, contract=record, **changed)


Writer = Callable[[User, Any, dict[str, Any], dict[str, Any]], Model]
WRITERS: dict[str, Writer] = {
    "accounts": _write_account,
    "contacts": _write_contact,
    "figures": _write_figures,
    "opportunities": _write_opportunity,
    "contracts": _write_contract,
}


# ----------------------------------------------------------------------------------------
# Lookups per batch


def _texts(rows: Iterable[dict[str, RowCell]], name: str) -> set[str]:
    return {
        as_text(cells[name])
        for cells in rows
        if name in cells and not isinstance(cells[name], FormulaCell) and as_text(cells[name])
    }


def build_lookups(*, kind: Kind, actor: User, rows: list[dict[str, RowCell]]) -> Lookups:
    """Everything the rows name, in a handful of queries for the whole batch."""
    lookups = Lookups()
    account_refs: set[str] = set()
    parent_refs: set[str] = set()
    for column in kind.columns:
        if column.type == k.ACCOUNT:
            account_refs |= _texts(rows, column.field)
        elif column.type == k.PARENT:
            parent_refs |= _texts(rows, column.field)
    if kind.model is Account:
        account_refs |= _texts(rows, "external_id")
    in_scope = visible_accounts(actor)
    if account_refs or parent_refs:
        for account in in_scope.filter(external_id__in=account_refs | parent_refs).order_by():
            lookups.accounts[account.external_id] = account  # type: ignore[index]
    if parent_refs:
        wanted = {ref.lower() for ref in parent_refs}
        for account in in_scope.filter(name__in=parent_refs).order_by():
            if account.name.lower() in wanted:
                lookups.accounts_by_name.setdefault(account.name.lower(), []).append(account)
    contact_refs = set()
    for column in kind.columns:
        if column.type == k.CONTACT:
            contact_refs |= _texts(rows, column.field)
    if contact_refs:
        # With their accounts: a contact named as reports-to is checked against the
        # row's account group (Contact.clean), which would read each one's account.
        found = visible_contacts(actor).filter(external_id__in=contact_refs)
        for contact in found.select_related("account").order_by():
            lookups.contacts[contact.external_id] = contact  # type: ignore[index]
    user_refs = set()
    for column in kind.columns:
        if column.type == k.USER:
            user_refs |= _texts(rows, column.field)
    if user_refs:
        for user in User.objects.filter(is_active=True, username__in=user_refs):
            lookups.users[user.username] = user
        lowered = {ref.lower() for ref in user_refs} - set(lookups.users)
        if lowered:
            for user in User.objects.filter(is_active=True):
                if user.username.lower() in lowered:
                    lookups.users.setdefault(user.username.lower(), user)
    if any(column.type == k.STAGE for column in kind.columns):
        for stage in Stage.objects.all():
            for text in (stage.key, stage.name, stage.label, *_stage_labels(stage)):
                lookups.stages.setdefault(text.lower(), stage)
    lookups.existing = _existing(kind, rows, lookups)
    if not actor.sees_all_accounts:
        lookups.hidden = _hidden_relations(actor, lookups.existing.values())
        account_ids = set()
        for record in lookups.existing.values():
            account_ids.add(record.pk if kind.model is Account else record.account_id)  # type: ignore[attr-defined]
        lookups.visible_scope = set(
            in_scope.filter(pk__in=account_ids).values_list("pk", flat=True)
        )
    return lookups


# Relations of a matched record that may point outside the importing user's scope.
HIDEABLE = ("parent", "reports_to")


def _hidden_relations(actor: User, records) -> set[tuple[str, int]]:
    """(field, id) of every parent account and manager of the matched records that the
    actor cannot see: two queries for the batch."""
    wanted: dict[str, set[int]] = {name: set() for name in HIDEABLE}
    for record in records:
        for name in HIDEABLE:
            related_id = getattr(record, f"{name}_id", None)
            if related_id is not None:
                wanted[name].add(related_id)
    hidden = set()
    if wanted["parent"]:
        seen = set(
            visible_accounts(actor).filter(pk__in=wanted["parent"]).values_list("pk", flat=True)
        )
        hidden |= {("parent", pk) for pk in wanted["parent"] - seen}
    if wanted["reports_to"]:
        seen = set(
            visible_contacts(actor).filter(pk__in=wanted["reports_to"]).values_list("pk", flat=True)
        )
        hidden |= {("reports_to", pk) for pk in wanted["reports_to"] - seen}
    return hidden


def _stage_labels(stage: Stage) -> list[str]:
    english, translated = DEFAULT_STAGE_LABELS.get(stage.key, (None, None))
    if english is None or stage.name != english:
        return []
    return labels_in_both_languages(translated)


def _existing(kind: Kind, rows: list[dict[str, RowCell]], lookups: Lookups) -> dict[Any, Model]:
    if kind.match == ("account", "year"):
        by_id = {a.pk: a for a in lookups.accounts.values()}
        years = set()
        for cells in rows:
            year = cells.get("year")
            if isinstance(year, FormulaCell):
                continue
            try:
                years.add(parse_int(year, decimal_comma=False))
            except CellError:
                continue
        figures = YearlyFigures.objects.filter(account_id__in=by_id, year__in=years)
        for found in figures:
            found.account = by_id[found.account_id]  # read already: compared, not read again
        return {(f.account_id, f.year): f for f in figures}
    keys = _texts(rows, "external_id")
    queryset = kind.model._default_manager.filter(external_id__in=keys).order_by()
    if kind.model is Opportunity:
        queryset = queryset.select_related("account", "stage", "owner").prefetch_related(
            "competitors"
        )
    elif kind.model is Account:
        queryset = queryset.select_related("parent", "owner")
    elif kind.model is Contact:
        queryset = queryset.select_related("account", "reports_to", "relationship_owner")
    else:
        queryset = queryset.select_related("account", "owner")
    return {record.external_id: record for record in queryset}  # type: ignore[attr-defined]


# ----------------------------------------------------------------------------------------
# A whole table


class MappingError(ValidationError):
    pass


def row_cells(table: Table, mapping: list[str]) -> list[tuple[int, dict[str, RowCell]]]:
    """Each row's cells by field name, for the columns the mapping assigns."""
    assigned = [(index, name) for index, name in enumerate(mapping) if name]
    return [
        (number, {name: cells[index] if index < len(cells) else None for index, name in assigned})
        for number, cells in table.rows
    ]


def check_mapping(kind: Kind, mapping: list[str]) -> None:
    missing = [str(c.label) for c in kind.columns if c.required and c.field not in mapping]
    doubled = {name for name in mapping if name and mapping.count(name) > 1}
    errors = []
    if missing:
        errors.append(_("These columns are required: %(names)s.") % {"names": ", ".join(missing)})
    if doubled:
        names = ", ".join(str(kind.column(name).label) for name in sorted(doubled))
        errors.append(_("Each column may be chosen only once: %(names)s.") % {"names": names})
    if errors:
        raise MappingError(errors)


def _plan(
    kind: Kind, rows: list[tuple[int, dict[str, RowCell]]], headings: dict[str, str]
) -> tuple[list[tuple[int, dict[str, RowCell]]], list[RowOutcome]]:
    """The rows in the order to write them, and those refused before any lookup: a key
    that appears twice in the file, a parent (manager) chain that loops within the file."""
    refused: list[RowOutcome] = []
    by_key: dict[str, list[int]] = defaultdict(list)
    for number, cells in rows:
        key = _key_text(kind, cells)
        if key:
            by_key[key.lower()].append(number)
    kept = []
    for number, cells in rows:
        key = _key_text(kind, cells)
        numbers = by_key.get(key.lower(), [])
        if len(numbers) > 1:
            message = _("“%(key)s” appears more than once in this file (rows %(rows)s).") % {
                "key": key,
                "rows": ", ".join(str(n) for n in numbers),
            }
            column = headings.get("external_id") or headings.get("account", "")
            refused.append(_refused(number, key, [(column, message)]))
        else:
            kept.append((number, cells))
    if not kind.self_reference:
        return kept, refused
    return _order_by_reference(kind, kept, refused, headings)


def _order_by_reference(kind, rows, refused, headings):
    """Rows that name another row of the file (parent, manager) come after it, level by
    level (first the rows that name none of the file, then those that name one of them,
    ...), so that a batch writes what is held back only where a level begins; rows whose
    chain of names comes back to themselves are refused."""
    reference = kind.self_reference
    index_of: dict[str, int] = {}
    for position, (_number, cells) in enumerate(rows):
        index_of.setdefault(as_text(cells.get("external_id")).lower(), position)
        if reference == "parent":
            index_of.setdefault(as_text(cells.get("name")).lower(), position)
    depends_on: dict[int, int] = {}
    for position, (_number, cells) in enumerate(rows):
        target = as_text(cells.get(reference)).lower()
        if target and target in index_of:
            depends_on[position] = index_of[target]
    ordered: list[int] = []
    state: dict[int, str] = {}

    def visit(position: int) -> bool:
        chain = []
        current: int | None = position
        while current is not None and current not in state:
            state[current] = "walking"
            chain.append(current)
            current = depends_on.get(current)
        looped = current is not None and state.get(current) in ("walking", "loop")
        for member in reversed(chain):
            state[member] = "loop" if looped else "done"
            if not looped:
                ordered.append(member)
        return not looped

    for position in range(len(rows)):
        if position not in state:
            visit(position)
    message = _("This row's %(column)s leads back to the row itself (a cycle).")
    column = headings.get(reference, reference)
    for position, (number, cells) in enumerate(rows):
        if state[position] == "loop":
            text = message % {"column": column}
            refused.append(_refused(number, _key_text(kind, cells), [(column, text)]))
    level: dict[int, int] = {}
    for position in ordered:  # each after the row it names
        target = depends_on.get(position)
        level[position] = 0 if target is None else level[target] + 1
    ordered.sort(key=level.__getitem__)  # stable: the file's order within a level
    return [rows[p] for p in ordered], refused


def _import_batch(
    *,
    kind: Kind,
    actor: User,
    batch: list[tuple[int, dict[str, RowCell]]],
    headings: dict[str, str],
    decimal_comma: bool,
    warn_duplicates: bool,
) -> list[RowOutcome]:
    """One batch: rows checked one by one, written together where the kind allows
    (imports.bulk); if that write fails in the database, the batch again row by row."""

    def rows(writer: bulk.BatchWriter | None) -> list[RowOutcome]:
        lookups = build_lookups(kind=kind, actor=actor, rows=[cells for _n, cells in batch])
        outcomes = [
            import_row(
                kind=kind,
                actor=actor,
                row=number,
                cells=cells,
                lookups=lookups,
                headings=headings,
                decimal_comma=decimal_comma,
                writer=writer,
                warn_duplicates=warn_duplicates,
            )
            for number, cells in batch
        ]
        if writer is not None:
            writer.flush()
            for outcome in outcomes:
                if outcome.record_id is None and outcome.record is not None:
                    outcome.record_id = outcome.record.pk
        return outcomes

    try:
        with transaction.atomic():
            return rows(bulk.BatchWriter(kind_key=kind.key, actor=actor))
    except IntegrityError:
        return rows(None)


def import_table(
    *,
    kind: Kind,
    actor: User,
    table: Table,
    mapping: list[str],
    dry_run: bool,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Import every row of `table` (its headings mapped to fields by `mapping`), batch by
    batch. A dry run does the same work and rolls it back; it writes nothing."""
    if not kind.allowed_for(actor):
        raise PermissionDenied(_("You may not import this kind of data."))
    check_mapping(kind, mapping)
    headings = {name: table.headings[index] for index, name in enumerate(mapping) if name}
    return import_rows(
        kind=kind,
        actor=actor,
        rows=row_cells(table, mapping),
        headings=headings,
        decimal_comma=table.decimal_comma,
        dry_run=dry_run,
        progress=progress,
    )


def import_rows(
    *,
    kind: Kind,
    actor: User,
    rows: list[tuple[int, dict[str, RowCell]]],
    headings: dict[str, str],
    decimal_comma: bool = False,
    dry_run: bool = False,
    warn_duplicates: bool | None = None,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Import numbered rows of cells by field name (a file's, or the bulk API's), batch
    by batch: each batch one transaction, each row a savepoint in it. Answers one
    outcome per row, in the rows' order. Likely duplicates are warned of in a dry run
    unless `warn_duplicates` says otherwise."""
    if warn_duplicates is None:
        warn_duplicates = dry_run
    if not kind.allowed_for(actor):
        raise PermissionDenied(_("You may not import this kind of data."))
    planned, refused = _plan(kind, rows, headings)
    report = Report(outcomes=list(refused))
    size = batch_rows()

    def run() -> None:
        done = len(refused)
        for start in range(0, len(planned), size):
            batch = planned[start : start + size]
            with transaction.atomic():
                report.outcomes += _import_batch(
                    kind=kind,
                    actor=actor,
                    batch=batch,
                    headings=headings,
                    decimal_comma=decimal_comma,
                    warn_duplicates=warn_duplicates,
                )
            done += len(batch)
            if progress is not None and not dry_run:
                progress(done)

    if dry_run:
        with transaction.atomic():
            run()
            transaction.set_rollback(True)
    else:
        run()
    report.outcomes.sort(key=lambda outcome: outcome.row)
    return report
