"""Writing the rows of a batch together: accounts and contacts, the kinds that come by the
thousand when a company moves in.

Each row is still checked on its own, with the rules the services apply (the model's
validation, the "may change" predicate, the scope of what it names), and reported on its
own; what it would write is held back and written with the batch's other rows in a few
statements (`bulk_create` / `bulk_update` per kind, with their history rows). A row that
names a record held back in the same batch (a subsidiary under a new group, a contact
reporting to a new manager) first writes what is held back, so that its reference has
an id.

Rows that need more than a write of their own fields go through the service as before:
an account moving to another parent (the service rewrites the paths of its subtree and
records the placements, accounts.hierarchy). If a batch's write fails in the database
(a record written by someone else meanwhile), imports.services runs the batch again row
by row through the services.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import CharField, Model, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from accounts.access import can_edit_account
from accounts.models import Account, AccountPlacement, Contact
from kam import events
from users.models import User

KINDS = {"accounts", "contacts"}
# Foreign keys that come from the batch's lookups (loaded, within the scope): the model
# validation would read each of them again.
LOOKED_UP = {
    Account: ["owner", "parent"],
    Contact: ["account", "reports_to", "relationship_owner"],
}
# The reference that may point at a record held back in the same batch.
SELF_REFERENCE = {Account: "parent", Contact: "reports_to"}


@dataclass
class BatchWriter:
    kind_key: str
    actor: User
    new: list[Model] = field(default_factory=list)
    changed: dict[int, Model] = field(default_factory=dict)
    changed_fields: set[str] = field(default_factory=set)
    may_edit: dict[int, bool] = field(default_factory=dict)

    @property
    def model(self) -> type[Model]:
        return Account if self.kind_key == "accounts" else Contact

    def takes(self, record: Model | None, changed: dict[str, Any]) -> bool:
        """Whether the row's write can wait for the batch (an account's move cannot)."""
        return not (self.kind_key == "accounts" and record is not None and "parent" in changed)

    def _require_edit(self, account: Account, message: str | None = None) -> None:
        if account.pk not in self.may_edit:
            self.may_edit[account.pk] = can_edit_account(self.actor, account)
        if not self.may_edit[account.pk]:
            raise PermissionDenied(message or _("You may not change this account."))

    def add(self, record: Model | None, changed: dict[str, Any]) -> Model:
        """Check the row as its service would and hold its write back; the record (new:
        without an id until the batch is written). ValidationError or PermissionDenied
        refuse the row, and nothing of it is held."""
        model = self.model
        reference = changed.get(SELF_REFERENCE[model])
        if reference is not None and reference.pk is None:
            self.flush()  # it names a record held back: write those first
        if record is None:
            instance = model(**changed)
            if model is Account:
                instance.owner = changed.get("owner") or self.actor  # type: ignore[attr-defined]
                if instance.parent is not None:  # type: ignore[attr-defined]
                    self._require_edit(
                        instance.parent,  # type: ignore[attr-defined]
                        _("You may not add accounts to this group."),
                    )
            else:
                self._require_edit(instance.account)  # type: ignore[attr-defined]
        else:
            account = record if isinstance(record, Account) else record.account  # type: ignore[attr-defined]
            self._require_edit(account)
            if "account" in changed:
                self._require_edit(changed["account"])
            instance = record
            for name, value in changed.items():
                setattr(instance, name, value)
        instance.full_clean(
            exclude=LOOKED_UP[model], validate_unique=False, validate_constraints=False
        )
        if record is None:
            self.new.append(instance)
        else:
            self.changed[instance.pk] = instance
            self.changed_fields.update(changed)
        return instance

    def flush(self) -> None:
        """Write what is held back: the new records with their history in one go, then
        the changed ones; and publish the events their services would."""
        model = self.model
        if self.new:
            bulk_create_with_history(self.new, model, batch_size=500, default_user=self.actor)
            if model is Account:
                self._place(self.new)  # type: ignore[arg-type]
            for record in self.new:
                events.publish(_created(record))
        if self.changed:
            records = list(self.changed.values())
            names = sorted(self.changed_fields)
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                now = timezone.now()
                for record in records:
                    record.updated_at = now  # type: ignore[attr-defined]
                names.append("updated_at")
            with transaction.atomic(savepoint=False):
                update_rows(model, records, names)
                get_history_manager_for_model(model).bulk_history_create(
                    records, batch_size=500, update=True, default_user=self.actor
                )
            for record in records:
                events.publish(_changed(record))
        self.new, self.changed, self.changed_fields = [], {}, set()

    @staticmethod
    def _place(accounts: list[Account]) -> None:
        """The paths of new accounts under their parents (written or existing, so their
        paths are known) and their first placements (accounts.hierarchy)."""
        for account in accounts:
            parent = account.parent if account.parent_id else None
            account.path = f"{parent.path if parent else '/'}{account.pk}/"
        # The same in one statement (a bulk_update would send a CASE of every row).
        parent_path = Account.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
        Account.objects.filter(pk__in=[a.pk for a in accounts]).update(
            path=Concat(
                Coalesce(Subquery(parent_path), Value("/")),
                Cast("id", CharField()),
                Value("/"),
                output_field=CharField(),
            )
        )
        AccountPlacement.objects.bulk_create(
            [AccountPlacement(account=a, parent_id=a.parent_id, path=a.path) for a in accounts],
            batch_size=500,
        )


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


def _created(record: Model) -> events.Event:
    if isinstance(record, Account):
        return events.AccountCreated(account_id=record.pk)
    return events.ContactCreated(contact_id=record.pk, account_id=record.account_id)  # type: ignore[attr-defined]


def _changed(record: Model) -> events.Event:
    if isinstance(record, Account):
        return events.AccountChanged(account_id=record.pk)
    return events.ContactChanged(contact_id=record.pk, account_id=record.account_id)  # type: ignore[attr-defined]
