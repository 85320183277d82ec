"""Admin saves and deletes publish the domain events the services publish.

The admin writes models directly, around the services; derived data (the forecast, the
revenue sort key, the cache, reminders) follows events, so a ModelAdmin that edits a
model other parts derive from mixes in `EventsAdmin` and says which events a save or
delete of one object causes (`saved_events`, `deleted_events`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Model

from kam import events
from kam.tombstones import bury

_BEFORE = "_events_admin_before"


class EventsAdmin:
    """Mixed in before ModelAdmin (or SimpleHistoryAdmin). The events are published after
    the object's inlines and many-to-many fields are saved, inside the admin's
    transaction."""

    def saved_events(self, obj: Any, before: Any | None) -> Iterable[events.Event]:
        """The events of saving `obj`; `before` is the stored row as it was (None: new)."""
        return ()

    def deleted_events(self, obj: Any) -> Iterable[events.Event]:
        """The events of deleting `obj`, computed before the delete."""
        return ()

    def save_model(self, request, obj: Model, form, change: bool) -> None:
        before = type(obj)._base_manager.filter(pk=obj.pk).first() if change else None
        vars(obj)[_BEFORE] = before
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        obj = form.instance
        for event in self.saved_events(obj, vars(obj).pop(_BEFORE, None)):
            events.publish(event)

    def delete_model(self, request, obj: Model) -> None:
        caused = list(self.deleted_events(obj))
        super().delete_model(request, obj)  # type: ignore[misc]
        for event in caused:
            events.publish(event)

    def delete_queryset(self, request, queryset) -> None:
        caused = [event for obj in queryset for event in self.deleted_events(obj)]
        super().delete_queryset(request, queryset)  # type: ignore[misc]
        for event in caused:
            events.publish(event)


class TombstonesAdmin:
    """Mixed in first, for a model whose delete service writes a tombstone: a delete in
    the admin writes the same one (kam.tombstones), so `/api/v1/changes/` lists it.
    `tombstone_kind` is the kind the service writes; `tombstone_account_id` the account
    the record hung off when it is not the record's own `account_id`."""

    tombstone_kind = ""

    def tombstone_account_id(self, obj: Any) -> int | None:
        return getattr(obj, "account_id", None)

    def _bury(self, obj: Model) -> None:
        bury(obj, kind=self.tombstone_kind, account_id=self.tombstone_account_id(obj))

    def delete_model(self, request, obj: Model) -> None:
        self._bury(obj)  # the admin's delete view runs in a transaction
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request, queryset) -> None:
        # The "delete selected" action runs outside a transaction: all or nothing.
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                self._bury(obj)
            super().delete_queryset(request, queryset)  # type: ignore[misc]


class TombstonesInline:
    """Mixed in first, for an inline whose rows a delete service buries: a row ticked
    "delete" in its parent's admin page writes the same tombstone (the change view runs in
    a transaction, so a refused save leaves none). `tombstone_kind` and
    `tombstone_account_id` as in TombstonesAdmin."""

    tombstone_kind = ""

    def tombstone_account_id(self, obj: Any) -> int | None:
        return getattr(obj, "account_id", None)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        inline = self

        class BuryingFormSet(formset):
            def delete_existing(self, obj, commit=True):
                if commit:
                    account_id = inline.tombstone_account_id(obj)
                    bury(obj, kind=inline.tombstone_kind, account_id=account_id)
                super().delete_existing(obj, commit=commit)

        return BuryingFormSet
