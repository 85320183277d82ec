"""Change history as people read it, for every app, and who is recorded as its author.

Reading: `changes(sources)` turns django-simple-history rows into `Change`s, newest first,
each with the field labels and the display values of what changed (the label of a choice,
the name of a related record, a formatted date), never raw ids or codes. Every history
list renders them with `templates/kam/history.html`.

Writing: a service decorated with `@records_author` writes its history rows with its
`actor` as the author, whoever calls it (a page, the API, a Celery task or a management
command), instead of relying on the request that django-simple-history looks for.
"""

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _

HISTORY_LIMIT = 100
EMPTY = "–"


@dataclass
class Change:
    when: datetime
    who: str
    what: str  # the record, e.g. "Figures 2025"; empty when the list is about one record
    kind: str  # "+", "~", "-"
    changes: list[tuple[str, str, str]]  # (field label, old, new)


@dataclass(frozen=True)
class Source:
    """The history rows of one model: `rows` is its `history` manager filtered to what
    the list shows; `name(row)` says which record a row is about; `labels` overrides
    field labels."""

    model: type[models.Model]
    rows: models.QuerySet
    name: Callable[[Any], str] = lambda row: ""
    labels: Mapping[str, str | Promise] = field(default_factory=dict)


def changes(sources: Iterable[Source], *, limit: int = HISTORY_LIMIT) -> list[Change]:
    """The latest changes of all sources together, newest first: one query per source
    plus one per kind of related record named in a change, whatever the length."""
    pending = []
    for source in sources:
        rows = list(
            source.rows.select_related("history_user").order_by("-history_date", "-history_id")[
                : limit * 2
            ]
        )
        # Diff each row against the previous row of the same record, from what is loaded:
        # prev_record would cost one query per row.
        previous: dict[Any, Any] = {}
        for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
            before = previous.get(row.id)
            delta = row.diff_against(before).changes if before is not None else []
            pending.append((source, row, delta))
            previous[row.id] = row
    pending.sort(key=lambda item: (item[1].history_date, item[1].history_id), reverse=True)
    pending = pending[:limit]
    names = _related_names(
        (source.model, change.field, value)
        for source, _row, delta in pending
        for change in delta
        for value in (change.old, change.new)
    )
    return [
        Change(
            when=row.history_date,
            who=str(row.history_user) if row.history_user_id else EMPTY,
            what=source.name(row),
            kind=row.history_type,
            changes=[
                (
                    capfirst(str(source.labels[change.field]))
                    if change.field in source.labels
                    else label(source.model, change.field),
                    display(source.model, change.field, change.old, names),
                    display(source.model, change.field, change.new, names),
                )
                for change in delta
            ],
        )
        for source, row, delta in pending
    ]


def label(model: type[models.Model], name: str) -> str:
    found = model_field(model, name)
    if found is None:  # a field removed since: its name is all we have
        return name
    return str(capfirst(found.verbose_name))


def model_field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _related_names(values: Iterable[tuple[type[models.Model], str, Any]]) -> dict:
    """{(related model, pk): str(record)} for the foreign keys named in the changes."""
    wanted: dict[type[models.Model], set] = {}
    for model, name, value in values:
        found = model_field(model, name)
        if found is None or not (found.many_to_one and found.related_model) or value is None:
            continue
        related = found.related_model
        if isinstance(related, type):
            wanted.setdefault(related, set()).add(value)
    names = {}
    for related, pks in wanted.items():
        for pk, record in related._default_manager.in_bulk(list(pks)).items():
            names[(related, pk)] = str(record)
    return names


def display(model: type[models.Model], name: str, value: Any, names: Mapping) -> str:
    """A stored value as the user reads it."""
    if value is None or value == "":
        return EMPTY
    found = model_field(model, name)
    if found is None:
        return str(value)
    if found.is_relation and found.many_to_one:
        return names.get((found.related_model, value), _("(deleted)"))
    if found.choices:
        return str(dict(found.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return number_format(value, force_grouping=True)
    return str(value)


# --- the author of what services write ----------------------------------------------------

_author: ContextVar[Any] = ContextVar("history_author", default=None)


@contextmanager
def authored_by(actor: Any) -> Iterator[None]:
    """History rows written inside the block name `actor` as their author."""
    token = _author.set(actor)
    try:
        yield
    finally:
        _author.reset(token)


def records_author[F: Callable[..., Any]](service: F) -> F:
    """Decorate a service that takes `actor=`: what it saves is recorded as the actor's."""

    @functools.wraps(service)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        actor = kwargs.get("actor")
        if actor is None or not getattr(actor, "pk", None):
            return service(*args, **kwargs)
        with authored_by(actor):
            return service(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def set_author(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    """pre_create_historical_record: the acting service's actor is the author."""
    actor = _author.get()
    if actor is not None:
        history_instance.history_user = actor
