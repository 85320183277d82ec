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
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _

EMPTY = "–"


@dataclass
class Change:
    when: datetime
    who: str
    what: str  # the record, e.g. "Figures 2025"; empty when the list is about one record
    kind: str  # "+", "~", "-", "merge"
    changes: list[tuple[str, str, str]]  # (field label, old, new)
    # Where the entry sits in the order of a history (newest first): its time, the key of
    # its source and its id there. The "older entries" link starts after the last one.
    position: tuple[datetime, str, int] | None = None


@dataclass(frozen=True)
class Source:
    """The history rows of one model: `rows` is its `history` manager filtered to what
    the list shows; `name(row)` says which record a row is about; `labels` overrides
    field labels; `key` tells the sources of one history apart (for paging)."""

    model: type[models.Model]
    rows: models.QuerySet
    name: Callable[[Any], str] = lambda row: ""
    labels: Mapping[str, str | Promise] = field(default_factory=dict)
    key: str = ""


@dataclass(frozen=True)
class Cursor:
    """Where a page of history starts: after the entry at this position."""

    when: datetime
    key: str
    id: int

    def __str__(self) -> str:
        return f"{self.when.isoformat()}~{self.key}~{self.id}"

    @classmethod
    def parse(cls, raw: str | None) -> "Cursor | None":
        """The cursor of an "older entries" link, or None (the newest page) for anything
        that is not one."""
        parts = (raw or "").split("~")
        if len(parts) != 3 or not parts[2].isdigit():
            return None
        try:
            when = datetime.fromisoformat(parts[0])
        except ValueError:
            return None
        if timezone.is_naive(when):
            return None
        return cls(when=when, key=parts[1], id=int(parts[2]))

    def older(self, key: str, *, when: str = "history_date", id: str = "history_id") -> Q:
        """The rows of source `key` that come after this position (newest first: a later
        time first, then a greater source key, then a greater id); `when` and `id` name
        the fields of a source that is not a history table."""
        before = Q(**{f"{when}__lt": self.when})
        if key < self.key:
            return before | Q(**{when: self.when})
        if key == self.key:
            return before | Q(**{when: self.when, f"{id}__lt": self.id})
        return before


@dataclass
class Page:
    """One page of a history, newest first; `older` is the cursor of the next page."""

    changes: list[Change]
    older: Cursor | None = None


Namer = Callable[[Mapping[type[models.Model], set]], Mapping[tuple[type[models.Model], Any], str]]


def all_names(wanted: Mapping[type[models.Model], set]) -> dict[tuple[Any, Any], str]:
    """{(model, pk): str(record)} of every record asked for, one query per model."""
    names = {}
    for related, pks in wanted.items():
        for pk, record in related._default_manager.in_bulk(list(pks)).items():
            names[(related, pk)] = str(record)
    return names


def page(
    sources: Iterable[Source],
    *,
    limit: int | None = None,
    before: Cursor | None = None,
    names: Namer = all_names,
    extra: Iterable[Change] = (),
) -> Page:
    """One page of the changes of all sources together (and of `extra`, entries that are
    not history rows, each with its `position`), newest first, after `before`.

    Queries: one per source (its rows, each with the id of the record's previous row),
    at most one more per source when a shown row's previous row was not loaded (so that
    the oldest change on a page is shown in full too), plus one or two per kind of
    related record named in a change, whatever the length.
    `names` turns related ids into names (the caller's scope decides what is named)."""
    limit = limit or settings.HISTORY_PAGE_SIZE
    loaded: list[tuple[Source, Any]] = []
    for number, source in enumerate(sources):
        key = source.key or f"{number:02d}"
        if source.key != key:
            source = replace(source, key=key)
        rows = source.rows.model._default_manager
        previous = rows.filter(id=OuterRef("id")).filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        queryset = source.rows.select_related("history_user").annotate(
            previous_id=Subquery(
                previous.order_by("-history_date", "-history_id").values("history_id")[:1]
            )
        )
        if before is not None:
            queryset = queryset.filter(before.older(key))
        loaded += [
            (source, row) for row in queryset.order_by("-history_date", "-history_id")[: limit + 1]
        ]
    entries: list[tuple[tuple[datetime, str, int], Source | None, Any]] = [
        ((row.history_date, source.key, row.history_id), source, row) for source, row in loaded
    ]
    entries += [(change.position, None, change) for change in extra if change.position]
    entries = [e for e in entries if before is None or _is_older(e[0], before)]
    entries.sort(key=lambda entry: entry[0], reverse=True)
    shown, more = entries[:limit], len(entries) > limit
    # The previous row of each shown row: mostly loaded already; the others (the oldest
    # of a page), one query per source.
    previous_rows = {(source.key, row.history_id): row for source, row in loaded}
    wanted: dict[str, tuple[Source, list[int]]] = {}
    for _position, of, row in shown:
        if of is None or row.previous_id is None:
            continue
        if (of.key, row.previous_id) not in previous_rows:
            wanted.setdefault(of.key, (of, []))[1].append(row.previous_id)
    for key, (of, ids) in wanted.items():
        for row in of.rows.model._default_manager.filter(history_id__in=ids):
            previous_rows[(key, row.history_id)] = row
    deltas: list[tuple[tuple[datetime, str, int], Source | None, Any, list[Any]]] = []
    for position, of, row in shown:
        if of is None:
            deltas.append((position, of, row, []))
            continue
        before_row = previous_rows.get((of.key, row.previous_id))
        delta = row.diff_against(before_row).changes if before_row is not None else []
        deltas.append((position, of, row, delta))
    named = _related_names(
        names,
        (
            (of.model, change.field, value)
            for _position, of, _row, delta in deltas
            if of is not None
            for change in delta
            for value in (change.old, change.new)
        ),
    )
    result = []
    for position, of, row, delta in deltas:
        if of is None:
            result.append(row)
            continue
        result.append(
            Change(
                when=row.history_date,
                who=str(row.history_user) if row.history_user_id else EMPTY,
                what=of.name(row),
                kind=row.history_type,
                changes=[
                    (
                        capfirst(str(of.labels[change.field]))
                        if change.field in of.labels
                        else label(of.model, change.field),
                        display(of.model, change.field, change.old, named),
                        display(of.model, change.field, change.new, named),
                    )
                    for change in delta
                ],
                position=position,
            )
        )
    older = Cursor(*shown[-1][0]) if more and shown else None
    return Page(changes=result, older=older)


def _is_older(position: tuple[datetime, str, int], cursor: Cursor) -> bool:
    return position < (cursor.when, cursor.key, cursor.id)


def changes(sources: Iterable[Source], *, limit: int | None = None) -> list[Change]:
    """The newest page of the changes of all sources (see `page`), naming every related
    record: for lists whose reader sees everything they name."""
    return page(sources, limit=limit).changes


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


def _related_names(
    names: Namer, values: Iterable[tuple[type[models.Model], str, Any]]
) -> Mapping[tuple[type[models.Model], Any], str]:
    """The names of the records the foreign keys in the changes point to."""
    wanted: dict[type[models.Model], set] = {}
    for model, name, value in values:
        found = model_field(model, name)
        if found is None or not (found.many_to_one and found.related_model) or value is None:
            continue
        related = found.related_model
        if isinstance(related, type):
            wanted.setdefault(related, set()).add(value)
    return names(wanted) if wanted else {}


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
