"""Tombstones: what was deleted, for `GET /api/v1/changes/`.

A delete service calls `bury()` in its own transaction, before the row goes (its id is
still known), so a rolled-back delete leaves no tombstone and a committed one always has
one. No model signals: reading the service shows what its delete records.
"""

from django.db.models import Model

from kam.models import Tombstone


def bury(instance: Model, *, kind: str, account_id: int | None = None) -> Tombstone:
    """Record that `instance` is being deleted. `kind` is the API's name of the record
    ("activity", "financials", ...); `account_id` defaults to the instance's account."""
    if account_id is None:
        account_id = getattr(instance, "account_id", None)
    return Tombstone.objects.create(
        kind=kind,
        object_id=instance.pk,
        external_id=getattr(instance, "external_id", None) or "",
        account_id=account_id,
    )
