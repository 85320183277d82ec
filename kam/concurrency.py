"""Optimistic concurrency: no lost update when two people edit the same record.

A record's version is its `updated_at` (to the microsecond). It travels with every edit:

- **Pages**: `VersionedForm` adds two hidden fields, the version the form was filled from
  and a fingerprint of each field's value as the user saw it. On save, `form.changes()`
  returns only the fields the user changed. If someone else saved in between, their
  changes to other fields are kept (only the changed fields are written); when both
  changed the same field to different values, the form answers 409 and shows their value
  beside the one typed, with "Take theirs", "Keep mine" and "Merge" (see
  templates/partials/form_fields.html).
- **API**: `VersionedAPIMixin` answers `ETag` on the detail GET and after a write; a
  PUT, PATCH or DELETE with `If-Match` answers 409 when the record changed since. Without
  `If-Match` a write works as before (the last one wins), so existing clients keep working.
- **Services and views**: `guard(instance, version)` locks the row and refuses with
  `StaleVersion` when its version is no longer `version`, inside the transaction of the
  write that follows, so a save between the check and the write cannot slip through.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db import models, transaction
from django.http import QueryDict
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status

from kam.fields import as_fields

VERSION_FIELD = "_version"
BASE_FIELD = "_base"
CONFLICTS_FIELD = "_conflicts"
RESOLVE_FIELD = "_resolve"
MERGED_PREFIX = "_merged_"
RESOLUTIONS = ("theirs", "mine", "merge")


CONFLICT_MESSAGE = _("Someone else saved this while you were editing it.")


class StaleVersion(Exception):
    """The record changed since the version the writer had."""


def version_of(instance: models.Model) -> str:
    """The record's version: its `updated_at` in microseconds since the epoch."""
    return _version_from(getattr(instance, "updated_at", None))


def _version_from(updated_at: datetime | None) -> str:
    if updated_at is None:
        return ""
    return str(int(updated_at.timestamp() * 1_000_000))


def etag_of(instance: models.Model) -> str:
    return f'"{version_of(instance)}"'


def _stored_version(instance: models.Model, *, lock: bool) -> str | None:
    """The version in the database now (None: the record is gone)."""
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if lock:
        rows = rows.select_for_update()
    found = rows.values_list("updated_at", flat=True).first()
    return None if found is None else _version_from(found)


@contextmanager
def guard(instance: models.Model, version: str | None) -> Iterator[None]:
    """Run the write in the block only if the record is still at `version` (no version:
    no check). The row stays locked until the block's transaction ends."""
    with transaction.atomic():
        if version:
            stored = _stored_version(instance, lock=True)
            if stored is not None and stored != version:
                raise StaleVersion
        yield


# --- Comparing values ----------------------------------------------------------------------


def _normal(value: Any) -> Any:
    """One spelling for a value, whether it comes from the database or from a form."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(str(_normal(item)) for item in value)
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None:
        return ""
    return value


def fingerprint(value: Any) -> str:
    normal = json.dumps(_normal(value), sort_keys=True, default=str)
    return hashlib.sha256(normal.encode()).hexdigest()[:16]


def _same(a: Any, b: Any) -> bool:
    return fingerprint(a) == fingerprint(b)


def merge_texts(theirs: str, mine: str) -> str:
    """A proposal to start from: their lines, then those of mine they do not have."""
    theirs_lines = _normal(theirs).split("\n") if theirs else []
    seen = set(theirs_lines)
    extra = [line for line in _normal(mine or "").split("\n") if line and line not in seen]
    return "\n".join([*theirs_lines, *extra]).strip()


# --- Page forms ------------------------------------------------------------------------------


@dataclass
class Conflict:
    name: str
    label: str
    theirs: Any  # the stored value, as the form shows it
    mine: Any
    merged: str | None  # a merge proposal, for texts only


class VersionedForm(forms.BaseForm):
    """Mixed into a form that edits one record (`versioned` keyword, or a ModelForm's
    instance). Validate as usual, then write `form.changes()` inside
    `guard(record, form.version)`; when changes() is None, answer 409 with the form."""

    def __init__(self, *args, versioned: models.Model | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        record = versioned if versioned is not None else getattr(self, "instance", None)
        assert record is not None, "VersionedForm needs the record it edits"
        self.record = record
        self._stored: dict[str, Any] | None = None
        self.stored_version = version_of(record)
        self.conflicts: list[Conflict] = []
        self.version: str | None = None
        self.sent: dict[str, str] = {}  # the hidden fields as submitted
        if record.pk is None:
            return  # a new record: nobody else can have changed it
        self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.fields[BASE_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.initial[VERSION_FIELD] = self.stored_version
        # Computed when shown: a subclass may still change its fields after this __init__.
        self.initial[BASE_FIELD] = lambda: self._base_of(self.stored)

    @property
    def edited(self) -> list[str]:
        return [name for name in self.fields if not name.startswith("_")]

    @property
    def stored(self) -> dict[str, Any]:
        """The stored values (a ModelForm's initial comes from the instance as it was
        read, before validation copied the input onto it)."""
        if self._stored is None:
            self._stored = self._stored_values()
        return self._stored

    def full_clean(self):
        super().full_clean()
        # The hidden fields are not the record's: cleaned_data keeps only what it edits.
        if hasattr(self, "cleaned_data"):
            for name in (VERSION_FIELD, BASE_FIELD):
                self.sent[name] = self.cleaned_data.pop(name, "") or ""

    def _stored_values(self) -> dict[str, Any]:
        return {name: self.get_initial_for_field(self.fields[name], name) for name in self.edited}

    def _base_of(self, values: dict[str, Any]) -> str:
        return json.dumps({name: fingerprint(value) for name, value in values.items()})

    def _submitted_base(self) -> dict[str, str]:
        try:
            base = json.loads(self.sent.get(BASE_FIELD) or "{}")
        except ValueError:
            return {}
        return base if isinstance(base, dict) else {}

    def _apply_resolution(self, values: dict[str, Any]) -> None:
        """The choice made on the conflict screen, for the fields it listed."""
        choice = self.data.get(self.add_prefix(RESOLVE_FIELD))
        if choice not in RESOLUTIONS:
            return
        names = self.data.get(self.add_prefix(CONFLICTS_FIELD), "").split(",")
        for name in (name for name in names if name in self.edited):
            if choice == "theirs":
                values[name] = self.stored[name]
            elif choice == "merge" and self.add_prefix(MERGED_PREFIX + name) in self.data:
                merged = self.data[self.add_prefix(MERGED_PREFIX + name)]
                try:
                    values[name] = self.fields[name].clean(merged)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)

    def _model_fields(self) -> list[str]:
        concrete = {f.name for f in self.record._meta.concrete_fields}
        return [name for name in self.edited if name in concrete]

    def _reload(self) -> None:
        """Read the record again (a save slipped in after the form was built)."""
        self.record.refresh_from_db()
        if isinstance(self, forms.BaseModelForm):
            self.initial.update(forms.model_to_dict(self.record, self.edited))
        self._stored = None
        self.stored_version = version_of(self.record)

    def changes(self) -> dict[str, Any] | None:
        """After is_valid(): the fields this user changed, to write. None when another
        user changed one of them too (see `conflicts`); the form then shows both."""
        if isinstance(self, forms.BaseModelForm) and self.record is self.instance:
            # Validation copied every submitted value onto the instance; a service that
            # saves the whole row must see only this user's changes on the stored ones.
            self.record.refresh_from_db(fields=self._model_fields())
        values = {
            name: self.cleaned_data[name] for name in self.edited if name in self.cleaned_data
        }
        self._apply_resolution(values)
        if self.errors:
            return None
        submitted_version = self.sent.get(VERSION_FIELD, "")
        stored_base = {name: fingerprint(value) for name, value in self.stored.items()}
        base = self._submitted_base()
        seen = {name: base.get(name, stored_base[name]) for name in values}
        mine = {name: value for name, value in values.items() if fingerprint(value) != seen[name]}
        self.version = self.stored_version
        if not submitted_version or submitted_version == self.stored_version:
            return mine
        theirs = {name for name in values if seen[name] != stored_base[name]}
        clashing = [
            name for name in mine if name in theirs and not _same(mine[name], self.stored[name])
        ]
        if not clashing:
            return mine
        self._show_conflicts(clashing, values, mine)
        return None

    def _show_conflicts(self, clashing: list[str], values: dict, mine: dict) -> None:
        """The form again, as a fresh edit of the stored record: what this user changed
        stays typed in, the rest shows the stored values, and each clash shows theirs."""
        if isinstance(self.data, QueryDict):
            data = self.data.copy()
        else:
            data = QueryDict(mutable=True)
            for key, value in self.data.items():
                data.setlist(key, value if isinstance(value, list) else [value])
        for name in self.edited:
            if name in mine:
                continue
            value = self.fields[name].prepare_value(self.stored[name])
            key = self.add_prefix(name)
            if isinstance(value, list | tuple):
                data.setlist(key, [str(item) for item in value])
            else:
                data[key] = "" if value is None else value
        data[self.add_prefix(VERSION_FIELD)] = self.stored_version
        data[self.add_prefix(BASE_FIELD)] = self._base_of(self.stored)
        for key in (RESOLVE_FIELD, CONFLICTS_FIELD):
            data.pop(self.add_prefix(key), None)
        self.data = data
        # As an error, so that a form folded away (a <details>) opens to show it.
        self.add_error(None, CONFLICT_MESSAGE)
        for name in clashing:
            field = self.fields[name]
            theirs = self.stored[name]
            is_text = isinstance(field, forms.CharField)
            self.conflicts.append(
                Conflict(
                    name=name,
                    label=str(field.label or name),
                    theirs=_display(field, theirs),
                    mine=_display(field, values[name]),
                    merged=merge_texts(theirs or "", values[name] or "") if is_text else None,
                )
            )

    @property
    def conflict_names(self) -> str:
        return ",".join(conflict.name for conflict in self.conflicts)

    def conflict_for(self, name: str) -> Conflict | None:
        return next((c for c in self.conflicts if c.name == name), None)

    def last_change(self) -> tuple[Any, Any] | None:
        """Who saved the stored version and when, where the record keeps a history."""
        history = getattr(self.record, "history", None)
        entry = history.only("history_user", "history_date").first() if history else None
        return (entry.history_user, entry.history_date) if entry else None


def save_fields[F: Mapping[str, object], R](
    form: VersionedForm,
    fields_type: type[F],
    write: Callable[[F], R],
    *,
    without: Iterable[str] = (),
) -> R | None:
    """After form.is_valid(): `write(changes)` with only the fields the user changed, as
    the model's field set (kam.fields), so the write is typed:

        concurrency.save_fields(
            form, PlanFields, lambda changes: services.plan_update(..., **changes)
        )

    `without`: form fields the write does not take (shown, not changed here). Refused if
    the record moved on meanwhile. None on a clash: answer 409 with the form, which now
    shows both versions."""
    left_out = tuple(without)
    return save(form, lambda **changes: write(as_fields(fields_type, changes, without=left_out)))


def save(form: VersionedForm, write: Callable[..., Any]) -> Any | None:
    """After form.is_valid(): `write(**changes)` with only the fields the user changed,
    refused if the record moved on meanwhile. None on a clash: answer 409 with the form,
    which now shows both versions. Untyped: prefer `save_fields`."""
    changes: dict[str, Any] = {}
    for _attempt in range(2):
        found = form.changes()
        if found is None:
            return None
        changes = found
        if not changes:
            return form.record  # nothing changed: nothing to write
        try:
            with guard(form.record, form.version):
                return write(**changes)
        except StaleVersion:
            form._reload()  # saved by someone else between the check and the write
    form._show_conflicts(list(changes), dict(changes), dict(changes))
    return None


def _display(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.ModelChoiceField) and value is not None:
        if isinstance(value, models.Model):
            return str(value)
        found = cast(Any, field.queryset).filter(pk=value).first()
        return str(found) if found else ""
    if isinstance(field, forms.ChoiceField):
        return str(dict(cast(Any, field.choices)).get(value, value or ""))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return "" if value is None else str(value)


# --- API -------------------------------------------------------------------------------------


class PreconditionConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "Someone else changed this record since you read it. Read it again (GET), apply "
        "your change to what is stored now and send it with the new ETag in If-Match."
    )
    default_code = "conflict"


def _tags(header: str) -> set[str]:
    tags = set()
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        tags.add(tag.strip('"'))
    return tags


def check_if_match(request, instance: models.Model) -> None:
    """Refuse a PUT, PATCH or DELETE whose If-Match names another version (409). Call it
    inside the write's transaction (VersionedAPIMixin.dispatch opens one): the row stays
    locked until the write is done."""
    header = request.headers.get("If-Match")
    if request.method not in VersionedAPIMixin.CHECKED_METHODS or not header:
        return
    stored = _stored_version(instance, lock=True)
    tags = _tags(header)
    if "*" not in tags and stored not in tags:
        raise PreconditionConflict


IF_MATCH_HELP = _(
    "The ETag of the record as you read it. When the record changed since, the write is "
    "refused with 409 and nothing changes. Without If-Match the write is done whatever "
    "changed since (the last write wins)."
)
ETAG_HELP = _("The record's version; send it back in If-Match to write safely.")


class VersionedSchema(AutoSchema):
    """If-Match on the writes and ETag on the answers of a VersionedAPIMixin view."""

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method in VersionedAPIMixin.CHECKED_METHODS:
            parameters.append(
                OpenApiParameter(
                    "If-Match", str, OpenApiParameter.HEADER, description=str(IF_MATCH_HELP)
                )
            )
        if self.method in {"GET", "PUT", "PATCH"}:
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    str,
                    OpenApiParameter.HEADER,
                    description=str(ETAG_HELP),
                    response=[200],
                )  # fmt: skip
            )
        return parameters


class VersionedAPIMixin:
    """For a view of a record several people edit: ETag on the detail GET and on the
    answer to a write; If-Match checked (under a row lock) before PUT, PATCH, DELETE."""

    CHECKED_METHODS = frozenset({"PUT", "PATCH", "DELETE"})
    # Any: drf-spectacular's schema class is not the one the DRF stubs know.
    schema: Any = VersionedSchema()

    def get_object(self):
        instance = super().get_object()
        check_if_match(self.request, instance)
        return instance

    def dispatch(self, request, *args, **kwargs):
        if request.method in self.CHECKED_METHODS and request.headers.get("If-Match"):
            with transaction.atomic():
                return super().dispatch(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        is_detail = (getattr(self, "lookup_url_kwarg", None) or "pk") in self.kwargs
        data = getattr(response, "data", None)
        if (
            is_detail
            and request.method in {"GET", "PUT", "PATCH"}
            and response.status_code == 200
            and isinstance(data, dict)
            and data.get("updated_at")
        ):
            updated_at = parse_datetime(str(data["updated_at"]))
            if updated_at is not None:
                response["ETag"] = f'"{_version_from(updated_at)}"'
        return response
