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
from django.db.models import CharField, Model, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

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
            bulk_update_with_history(records, model, names, batch_size=500, default_user=self.actor)
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


def _created(record: Model) -> events.Event:
    if isinstance(record, Account):
        return events.AccountCreated(account_id=record.pk)
    return events.ContactCreated(contact_id=record.pk, account_id=record.account_id)  # type: ignore[attr-defined]


def _changed(record: Model) -> events.Event:
    if isinstance(record, Account):
        return events.AccountChanged(account_id=record.pk)
    return events.ContactChanged(contact_id=record.pk, account_id=record.account_id)  # type: ignore[attr-defined]
