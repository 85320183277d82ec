"""Writing the rows of a batch together, for every kind.

Each row is still checked on its own, with the rules the services apply (the model's
validation, the "may change" predicate, the scope of what it names, and the services'
own helpers: the figures' actuals, an opportunity's stage and probability, a contract's
tidied fields), and reported on its own; what it would write is held back and written
with the batch's other rows in a few statements (`bulk_create` / `bulk_update` per kind,
with their history rows), and the events its service would publish are published. A row
that names a record held back in the same batch (a subsidiary under a new group, a
contact reporting to a new manager) first writes what is held back, so that its
reference has an id.

Rows that need more than a write of their own fields go through the service as before:
an account moving to another parent (the service rewrites the paths of its subtree and
records the placements, accounts.hierarchy), an opportunity closed by the row (the
service tells the whitespace matrix). If a batch's write fails in the database (a record
written by someone else meanwhile, a contract number twice for one account),
imports.services runs the batch again row by row through the services.
"""

from copy import copy
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import CharField, Model, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat, Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from accounts.access import can_edit_account
from accounts.models import Account, AccountPlacement, Contact, YearlyFigures
from accounts.services import figures_apply, figures_patch_changes, figures_put_changes
from contracts import terms
from contracts.models import Contract
from contracts.services import contract_normalise
from deals.models import Competitor, Opportunity, OpportunityCompetitor, Stage
from deals.services import changed_events, created_event, first_open_stage, opportunity_assign
from kam import events
from kam.validators import require_room
from users.models import User


def refuse_contract_move(changed: dict[str, Any]) -> None:
    """An import matches a contract by its external ID, never moves it to another account."""
    if "account" in changed:
        raise ValidationError(
            {"account": _("An import cannot move a contract to another account.")}
        )


class Rows:
    """How the rows of one kind are checked and written together (one per batch)."""

    model: type[Model]
    # Foreign keys that come from the batch's lookups (loaded, within the scope): the
    # model validation would read each of them again.
    looked_up: tuple[str, ...] = ()
    # The reference that may point at a record held back in the same batch.
    self_reference = ""
    # Row values written beside the record (an opportunity's competitors).
    beside: frozenset[str] = frozenset()
    # build() sets only the row's fields on a new record (no values derived from them).
    given_only = False
    _optional: frozenset[str] | None = None

    def optional(self) -> frozenset[str]:
        """The model's fields that may be blank."""
        if self._optional is None:
            fields = self.model._meta.concrete_fields
            type(self)._optional = frozenset(f.name for f in fields if f.blank)
        return self._optional  # type: ignore[return-value]

    def __init__(self, writer: "BatchWriter") -> None:
        self.writer = writer

    def takes(self, record: Any, changed: dict[str, Any]) -> bool:
        """Whether the row's write can wait for the batch."""
        return True

    def build(self, record: Any, changed: dict[str, Any], values: dict[str, Any]) -> Model:
        """The record with the row's values set, checked for permission as its service
        would (PermissionDenied or ValidationError refuse the row)."""
        raise NotImplementedError

    def fields(self, changed: dict[str, Any]) -> set[str]:
        """The columns a changed record's update writes."""
        return set(changed) - self.beside

    def held(self, record: Any) -> None:
        """The row passed every check: what it writes beside the record is held too."""

    def before_write(self, records: list[Any]) -> None:
        """Values computed just before the records are written."""

    def after_create(self, records: list[Any]) -> None:
        """What new records need once they have their ids."""

    def after_write(self) -> None:
        """What is written beside the records, once all have ids."""

    def created_events(self, record: Any) -> list[events.Event]:
        raise NotImplementedError

    def changed_events(self, record: Any, before: Any) -> list[events.Event]:
        raise NotImplementedError


class AccountRows(Rows):
    model = Account
    looked_up = ("owner", "parent")
    self_reference = "parent"
    given_only = True

    def takes(self, record, changed):
        # A move rewrites the subtree's paths and placements: the service does it.
        return record is None or "parent" not in changed

    def build(self, record, changed, values):
        if record is None:
            account = Account(**changed)
            account.owner = changed.get("owner") or self.writer.actor
            if account.parent is not None:
                self.writer.require_edit(
                    account.parent, _("You may not add accounts to this group.")
                )
            return account
        self.writer.require_edit(record)
        return _assign(record, changed)

    def after_create(self, records):
        """The paths of new accounts under their parents (written or existing, so their
        paths are known) and their first placements (accounts.hierarchy)."""
        for account in records:
            parent = account.parent if account.parent_id else None
            account.path = f"{parent.path if parent else '/'}{account.pk}/"
        # The same in one statement (a bulk_update would send a CASE of every row).
        parent_path = Account.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
        Account.objects.filter(pk__in=[a.pk for a in records]).update(
            path=Concat(
                Coalesce(Subquery(parent_path), Value("/")),
                Cast("id", CharField()),
                Value("/"),
                output_field=CharField(),
            )
        )
        AccountPlacement.objects.bulk_create(
            [AccountPlacement(account=a, parent_id=a.parent_id, path=a.path) for a in records],
            batch_size=500,
        )

    def created_events(self, record):
        return [events.AccountCreated(account_id=record.pk)]

    def changed_events(self, record, before):
        return [events.AccountChanged(account_id=record.pk)]


class ContactRows(Rows):
    model = Contact
    looked_up = ("account", "reports_to", "relationship_owner")
    self_reference = "reports_to"
    given_only = True

    def build(self, record, changed, values):
        if record is None:
            contact = Contact(**changed)
            self.writer.require_edit(contact.account)
            return contact
        self.writer.require_edit(record.account)
        if "account" in changed:
            self.writer.require_edit(changed["account"])
        return _assign(record, changed)

    def created_events(self, record):
        return [events.ContactCreated(contact_id=record.pk, account_id=record.account_id)]

    def changed_events(self, record, before):
        return [events.ContactChanged(contact_id=record.pk, account_id=record.account_id)]


class FigureRows(Rows):
    """A new year as `figures_put` writes it, a known one as `figures_patch` does."""

    model = YearlyFigures
    looked_up = ("account",)
    VALUES = ("revenue", "contribution_margin", "actuals_as_of", "actuals_at",
              "revenue_target", "margin_target", "revenue_potential")  # fmt: skip

    def build(self, record, changed, values):
        account, year = values["account"], values["year"]  # the row's match key
        self.writer.require_edit(account)
        given = {n: v for n, v in changed.items() if n not in ("account", "year")}
        if record is None:
            record = YearlyFigures(account=account, year=year)
            figures_apply(record, figures_put_changes(year=year, **given))
        else:
            figures_apply(record, figures_patch_changes(year=year, **given))
        return record

    def fields(self, changed):
        return set(self.VALUES)

    def created_events(self, record):
        return [events.FiguresChanged(account_id=record.account_id, year=record.year)]

    def changed_events(self, record, before):
        return self.created_events(record)


class OpportunityRows(Rows):
    model = Opportunity
    looked_up = ("account", "stage", "owner")
    beside = frozenset({"competitors"})
    STAGE = frozenset({"stage", "probability", "closed_on", "closed_at", "lost_to"})

    def __init__(self, writer: "BatchWriter") -> None:
        super().__init__(writer)
        self.first_stage: Stage | None = None
        self.staged: list[str] = []
        self.competitors: list[tuple[Opportunity, list[str]]] = []

    def takes(self, record, changed):
        # A deal the row closes goes through the service: the whitespace matrix follows
        # it in the closing transaction (OpportunityStageChanged).
        stage = changed.get("stage")
        return record is None or stage is None or not stage.is_closed

    def build(self, record, changed, values):
        assigned = {n: v for n, v in changed.items() if n not in self.beside}
        if record is None:
            account = assigned.pop("account")
            self.writer.require_edit(account)
            if assigned.get("stage") is None:
                if self.first_stage is None:
                    self.first_stage = first_open_stage()
                assigned["stage"] = self.first_stage
            record = Opportunity(account=account)
            opportunity_assign(record, assigned, actor=self.writer.actor)
            known: set[str] = set()
        else:
            self.writer.require_edit(record.account)
            if "account" in assigned and assigned["account"].pk != record.account_id:
                self.writer.require_edit(assigned["account"])
            if assigned:
                opportunity_assign(record, assigned, actor=self.writer.actor)
            known = {c.name.lower() for c in record.competitors.all()}
        names = [n for n in changed.get("competitors", []) if n.lower() not in known]
        if names:
            require_room(len(known), adding=len(names), field="competitor")
            for name in names:
                Competitor(name=name).full_clean(validate_unique=False, validate_constraints=False)
        self.staged = names
        return record

    def held(self, record):
        if self.staged:
            self.competitors.append((record, self.staged))

    def fields(self, changed):
        return super().fields(changed) | self.STAGE

    def after_write(self):
        """The competitors named: those not registered yet registered (by name, any
        case), then put on their deals."""
        if not self.competitors:
            return
        wanted = {n.lower(): n for _o, names in self.competitors for n in names}
        register = {
            c.name.lower(): c
            for c in Competitor.objects.annotate(lowered=Lower("name")).filter(lowered__in=wanted)
        }
        new = [Competitor(name=name) for key, name in wanted.items() if key not in register]
        for competitor in Competitor.objects.bulk_create(new):
            register[competitor.name.lower()] = competitor
        links = [
            OpportunityCompetitor(opportunity=opportunity, competitor=register[name.lower()])
            for opportunity, names in self.competitors
            for name in dict.fromkeys(names)
        ]
        bulk_create_with_history(
            links, OpportunityCompetitor, batch_size=500, default_user=self.writer.actor
        )
        self.competitors = []

    def created_events(self, record):
        return [created_event(record)]

    def changed_events(self, record, before):
        return changed_events(record, before)


class ContractRows(Rows):
    model = Contract
    looked_up = ("account", "owner")
    TIDIED = frozenset({"number", "prices_and_terms", "terminated_on", *terms.STORED_FIELDS})

    def build(self, record, changed, values):
        message = _("You may not change the contracts of this account.")
        if record is None:
            contract = Contract(**changed)
            self.writer.require_edit(contract.account, message)
            contract.owner = changed.get("owner") or self.writer.actor
        else:
            refuse_contract_move(changed)
            self.writer.require_edit(record.account, message)
            contract = _assign(record, changed)
        contract_normalise(contract)
        return contract

    def fields(self, changed):
        return super().fields(changed) | self.TIDIED

    def before_write(self, records):
        for contract in records:
            contract.store_dates()

    def created_events(self, record):
        return [events.ContractCreated(contract_id=record.pk, account_id=record.account_id)]

    def changed_events(self, record, before):
        return [events.ContractChanged(contract_id=record.pk, account_id=record.account_id)]


ROWS: dict[str, type[Rows]] = {
    "accounts": AccountRows,
    "contacts": ContactRows,
    "figures": FigureRows,
    "opportunities": OpportunityRows,
    "contracts": ContractRows,
}
KINDS = set(ROWS)


def _assign[M: Model](record: M, changed: dict[str, Any]) -> M:
    for name, value in changed.items():
        setattr(record, name, value)
    return record


@dataclass
class BatchWriter:
    kind_key: str
    actor: User
    new: list[Model] = field(default_factory=list)
    changed: dict[int, Model] = field(default_factory=dict)
    changed_fields: set[str] = field(default_factory=set)
    before: dict[int, Model] = field(default_factory=dict)
    may_edit: dict[int, bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rows = ROWS[self.kind_key](self)

    @property
    def model(self) -> type[Model]:
        return self.rows.model

    def takes(self, record: Model | None, changed: dict[str, Any]) -> bool:
        """Whether the row's write can wait for the batch (an account's move cannot)."""
        return self.rows.takes(record, changed)

    def require_edit(self, account: Account, message: str | None = None) -> None:
        """accounts.access.require_edit, asked once per account of the batch."""
        if account.pk not in self.may_edit:
            self.may_edit[account.pk] = can_edit_account(self.actor, account)
        if not self.may_edit[account.pk]:
            raise PermissionDenied(message or _("You may not change this account."))

    def add(self, record: Model | None, changed: dict[str, Any], values: dict[str, Any]) -> Model:
        """Check the row as its service would and hold its write back; the record (new:
        without an id until the batch is written). ValidationError or PermissionDenied
        refuse the row, and nothing of it is held."""
        reference = changed.get(self.rows.self_reference)
        if reference is not None and reference.pk is None:
            self.flush()  # it names a record held back: write those first
        before = copy(record) if record is not None else None
        instance = self.rows.build(record, changed, values)
        exclude = set(self.rows.looked_up)
        if record is None and self.rows.given_only:
            # The other fields of a new record hold the model's defaults; those that may
            # be blank need no check per row (required ones still are, and clean()
            # sees the whole record).
            exclude |= self.rows.optional() - set(changed)
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        self.rows.held(instance)
        if record is None:
            self.new.append(instance)
        elif set(changed) - self.rows.beside:
            self.before.setdefault(instance.pk, before)  # type: ignore[arg-type]
            self.changed[instance.pk] = instance
            self.changed_fields |= self.rows.fields(changed)
        return instance

    def flush(self) -> None:
        """Write what is held back: the new records with their history in one go, then
        the changed ones, then what goes beside them; and publish the events their
        services would."""
        model = self.model
        if self.new:
            self.rows.before_write(self.new)
            with transaction.atomic(savepoint=False):
                model._default_manager.bulk_create(self.new, batch_size=500)
                write_history(model, [r.pk for r in self.new], user=self.actor)
            self.rows.after_create(self.new)
            events.publish_all([e for r in self.new for e in self.rows.created_events(r)])
        if self.changed:
            records = list(self.changed.values())
            self.rows.before_write(records)
            names = sorted(self.changed_fields)
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                now = timezone.now()
                for record in records:
                    record.updated_at = now  # type: ignore[attr-defined]
                names.append("updated_at")
            with transaction.atomic(savepoint=False):
                update_rows(model, records, names)
                write_history(model, [r.pk for r in records], user=self.actor, update=True)
            events.publish_all(
                [e for r in records for e in self.rows.changed_events(r, self.before[r.pk])]
            )
        self.rows.after_write()
        self.new, self.changed, self.changed_fields, self.before = [], {}, set(), {}


def update_rows(model: type[Model], records: list[Model], names: list[str]) -> None:
    """Write the fields `names` of the records, 500 rows a statement. On PostgreSQL one
    `UPDATE ... FROM (VALUES ...)` joined on the id: bulk_update's CASE of every row per
    field makes the database compare each row with every id of the batch (1,000 changed
    accounts took 5 s instead of well under one)."""
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(records, names, batch_size=500)
        return
    quote = connection.ops.quote_name
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields: list[Any] = [meta.get_field(name) for name in names]  # concrete fields
    columns = [quote(field.column) for field in fields]
    types = [pk.rel_db_type(connection)] + [field.db_type(connection) for field in fields]
    row = "(" + ", ".join(f"%s::{kind}" for kind in types) + ")"
    assignments = ", ".join(f"{column} = v.{column}" for column in columns)
    for start in range(0, len(records), 500):
        chunk = records[start : start + 500]
        params: list[Any] = []
        for record in chunk:
            params.append(record.pk)
            params.extend(
                field.get_db_prep_save(getattr(record, field.attname), connection)
                for field in fields
            )
        sql = (
            f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "
            f"FROM (VALUES {', '.join([row] * len(chunk))}) AS v(pk_, {', '.join(columns)}) "
            f"WHERE t.{quote(str(pk.column))} = v.pk_"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def write_history(model: type[Model], pks: list[Any], *, user: User, update: bool = False) -> None:
    """The history rows of these records as they now stand in the database, one
    `INSERT ... SELECT` per 500 records: what simple_history's `bulk_history_create`
    writes (its tracked fields, type "+" or "~", the author, the same time for all), read
    from the table instead of built as a model instance per row."""
    if not pks or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = get_history_manager_for_model(model).model
    quote = connection.ops.quote_name
    meta, history_meta = model._meta, history._meta
    tracked = history.tracked_fields
    targets = [quote(history_meta.get_field(f.name).column) for f in tracked]
    sources = [f"s.{quote(f.column)}" for f in tracked]
    extra = {
        "history_date": timezone.now(),
        # As bulk_create_with_history (no reason) and bulk_history_create(update=True).
        "history_change_reason": "" if update else None,
        "history_type": "~" if update else "+",
        "history_user": user.pk,
    }
    for name in extra:
        targets.append(quote(history_meta.get_field(name).column))
        sources.append("%s")
    values = [
        history_meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in extra.items()
    ]
    pk_column = quote(str(meta.pk.column))
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        sql = (
            f"INSERT INTO {quote(history_meta.db_table)} ({', '.join(targets)}) "
            f"SELECT {', '.join(sources)} FROM {quote(meta.db_table)} AS s "
            f"WHERE s.{pk_column} IN ({', '.join(['%s'] * len(chunk))}) "
            f"ORDER BY s.{pk_column}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*values, *chunk])
