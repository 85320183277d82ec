"""Writes on contracts and their documents.

Each write checks the "may change" predicate of the contract's account, validates the
model (the one set of rules for forms and API) and runs in one transaction. Uploads are
checked by content before a single byte is stored.
"""

from datetime import date
from typing import Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_edit, visible_accounts
from accounts.models import Account
from contracts import terms
from contracts.fields import ContractFields
from contracts.models import Contract, ContractDocument
from kam import events
from kam.fields import given_fields
from kam.history import records_author
from kam.tombstones import bury
from kam.uploads import validate_upload
from kam.validators import require_room
from users.models import User


def contract_normalise(contract: Contract) -> None:
    """Tidy what a write sets (number, terms text, termination date); the services and
    the batch writes of imports (imports.bulk) share it."""
    if isinstance(contract.number, str):
        contract.number = contract.number.strip()
    if isinstance(contract.prices_and_terms, str):
        contract.prices_and_terms = contract.prices_and_terms.replace("\r\n", "\n").strip()
    if contract.status == Contract.Status.TERMINATED and not contract.terminated_on:
        contract.terminated_on = timezone.localdate()
    if contract.status != Contract.Status.TERMINATED:
        contract.terminated_on = None


@transaction.atomic
@records_author
def contract_create(
    *,
    actor: User,
    account: Account,
    **given: Unpack[ContractFields],
) -> Contract:
    fields = given_fields(ContractFields, given)
    if not visible_accounts(actor).filter(pk=account.pk).exists():
        raise ValidationError({"account": _("Choose an account you can see.")})
    require_edit(actor, account, message=_("You may not change the contracts of this account."))
    fields.setdefault("owner", actor)
    contract = Contract(account=account, **fields)
    contract_normalise(contract)
    contract.full_clean()
    contract.save()
    events.publish(events.ContractCreated(contract_id=contract.pk, account_id=account.pk))
    return contract


@transaction.atomic
@records_author
def contract_update(
    *,
    actor: User,
    contract: Contract,
    **given: Unpack[ContractFields],
) -> Contract:
    """Change the given fields (the others stay as they are)."""
    fields = given_fields(ContractFields, given)
    require_edit(
        actor, contract.account, message=_("You may not change the contracts of this account.")
    )
    contract = Contract.objects.select_for_update().select_related("account").get(pk=contract.pk)
    for name, value in fields.items():
        setattr(contract, name, value)
    contract_normalise(contract)
    contract.full_clean()
    contract.save()
    events.publish(events.ContractChanged(contract_id=contract.pk, account_id=contract.account_id))
    return contract


def refresh_dates(*, contracts: QuerySet[Contract], today: date) -> int:
    """Store the dates on `today` of the given contracts (Contract.save() does it for single
    writes; this is for bulk loads). Returns the number of contracts."""
    return terms.refresh(contracts, today=today)


def roll_dates_forward(*, today: date) -> int:
    """Contracts whose stored dates no longer hold on `today` (a term end or deadline has
    passed) get the dates of today: the daily task."""
    count = terms.refresh_stale(Contract.objects.all(), today=today)
    terms.mark_holding(today)
    return count


@transaction.atomic
@records_author
def document_add(*, actor: User, contract: Contract, uploaded_file) -> ContractDocument:
    """Check the file (size, real type by content), then store it under a random name.

    Nothing is written when the check fails; if the database write fails after the file
    was stored, the file is removed again. (A rollback of an outer transaction after this
    returns would leave an orphaned file under a random name, never a row without a file.)
    """
    require_edit(
        actor, contract.account, message=_("You may not change the contracts of this account.")
    )
    require_room(contract.documents.count(), field="file")
    try:
        checked = validate_upload(uploaded_file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    document = ContractDocument(
        contract=contract,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )
    document.file.save(checked.original_name, uploaded_file, save=False)
    stored = document.file.name
    assert stored is not None  # just named by the save above
    storage = document.file.storage
    try:
        document.full_clean(exclude=["file"])
        document.save()
    except Exception:
        storage.delete(stored)
        raise
    return document


@transaction.atomic
@records_author
def document_delete(*, actor: User, document: ContractDocument) -> None:
    require_edit(
        actor,
        document.contract.account,
        message=_("You may not change the contracts of this account."),
    )
    name = document.file.name
    assert name is not None  # the file field is required
    storage = document.file.storage
    bury(document, kind="contract_document", account_id=document.contract.account_id)
    document.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(name))
