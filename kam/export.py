"""Exports of the lists as CSV and XLSX, streamed, for pages and API alike.

Each app declares the columns of its lists next to the list (`<app>/exports.py`, an
`Export`); a list page or list endpoint hands its filtered, sorted queryset to
`response()`. The rows are read with a server-side iterator (`iterator(chunk_size=...)`),
so a list of a million rows never sits in memory: CSV streams as it is read, XLSX is
written row by row by openpyxl's write-only mode into a temporary file.

The shape is the one the import reads back unchanged: a column's heading is the model
field's verbose name in the user's language, a choice is its label in that language, a
foreign key the related record's external ID where it has one and its name otherwise,
a user the user name.

Text that a spreadsheet would run as a formula (beginning with =, +, -, @, tab or
carriage return) is written with a leading apostrophe, in CSV and XLSX alike.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.files import File
from django.db import connections, models, transaction
from django.db.models import QuerySet
from django.http import FileResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import get_resolver, reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from kam import queue

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Query parameter of the list pages: `?export=csv` or `?export=xlsx`.
PARAM = "export"

# Kinds of a column's values: how they are formatted in CSV and typed in XLSX.
TEXT = "text"
INTEGER = "integer"
DECIMAL = "decimal"
MONEY = "money"
DATE = "date"
DATETIME = "datetime"
BOOL = "bool"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def chunk_size() -> int:
    """Rows per database round trip, and per piece of a streamed CSV."""
    return int(settings.EXPORT_CHUNK_SIZE)


def escape_formula(text: str) -> str:
    """Text a spreadsheet would take for a formula, made plain text."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Column:
    heading: str | Promise
    value: Callable[[Any], Any]
    kind: str = TEXT


@dataclass(frozen=True)
class Export:
    """The columns of one list. `prepare(queryset)` adds the select_related and
    prefetch_related that the columns read, so the export costs the same few queries
    however many rows it has."""

    name: str  # the file's name, without the date and extension
    columns: tuple[Column, ...]
    prepare: Callable[[QuerySet], QuerySet] = field(default=lambda queryset: queryset)

    def __post_init__(self) -> None:
        EXPORTS[self.name] = self  # the task that builds a large XLSX finds it by name


# Every Export by name (they are declared at import time of each app's exports.py).
EXPORTS: dict[str, Export] = {}


# --- Columns from model fields --------------------------------------------------------


def related_key(record: models.Model | None) -> str:
    """A foreign key's value: the record's external ID where it has one, its name
    otherwise (a user's user name)."""
    if record is None:
        return ""
    external_id = getattr(record, "external_id", None)
    if external_id:
        return str(external_id)
    username = getattr(record, "USERNAME_FIELD", None)
    if username:
        return str(getattr(record, username))
    name = getattr(record, "name", None)
    return str(name if name is not None else record)


def has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def model_column(
    model: type[models.Model],
    name: str,
    *,
    heading: str | Promise | None = None,
    kind: str | None = None,
) -> Column:
    """The column of a model field: its verbose name as heading, a choice as its label,
    a foreign key as `related_key`, a many-to-many field as the related names joined
    with ", " (prefetch it)."""
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is no field of its own")
    title = heading if heading is not None else model_field.verbose_name
    if model_field.many_to_many:
        return Column(
            title,
            lambda row: ", ".join(related_key(r) for r in getattr(row, name).all()),
        )
    if model_field.is_relation:
        return Column(title, lambda row: related_key(getattr(row, name)))
    if getattr(model_field, "choices", None):
        return Column(title, lambda row: getattr(row, f"get_{name}_display")(), TEXT)
    return Column(title, lambda row: getattr(row, name), kind or _kind_of(model_field))


def _kind_of(model_field: models.Field) -> str:
    if isinstance(model_field, models.BooleanField):
        return BOOL
    if isinstance(model_field, models.DateTimeField):
        return DATETIME
    if isinstance(model_field, models.DateField):
        return DATE
    if isinstance(model_field, models.DecimalField):
        return DECIMAL
    if isinstance(model_field, models.IntegerField | models.AutoField):
        return INTEGER
    return TEXT


def model_columns(model: type[models.Model], *names: str, **kinds: str) -> tuple[Column, ...]:
    """The columns of several fields; a field the model does not have is left out (the
    external ID, on models that gain one later). `kinds` overrides a field's kind, e.g.
    `value=MONEY`."""
    return tuple(
        model_column(model, name, kind=kinds.get(name)) for name in names if has_field(model, name)
    )


def account_columns(path: str = "account") -> tuple[Column, ...]:
    """The account a record belongs to: its key (external ID, or the name where it has
    none) under the foreign key's verbose name, and its name."""

    def account_of(row):
        for part in path.split("__"):
            row = getattr(row, part)
        return row

    return (
        Column(_lazy("Account"), lambda row: related_key(account_of(row))),
        Column(_lazy("Account name"), lambda row: account_of(row).name),
    )


# --- Writing ---------------------------------------------------------------------------


def _is_german() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE).startswith("de")


def _local(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def csv_text(value: Any, kind: str, *, german: bool) -> str:
    """A value as CSV text in the user's language: decimal comma and 31.12.2026 in
    German, a decimal point and 2026-12-31 in English; no thousands separators."""
    if value is None or value == "":
        return ""
    if kind == BOOL or isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        local = _local(value)
        return local.strftime("%d.%m.%Y %H:%M" if german else "%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y" if german else "%Y-%m-%d")
    if isinstance(value, Decimal | float):
        text = f"{value:.2f}" if kind == MONEY else f"{value}"
        return text.replace(".", ",") if german else text
    if isinstance(value, int):
        return str(value)
    return escape_formula(str(value))


def _headings(export: Export) -> list[str]:
    return [capfirst(str(column.heading)) for column in export.columns]


def _reading(queryset: QuerySet) -> contextlib.AbstractContextManager[Any]:
    """Where the rows are read: on PostgreSQL in a transaction of their own. Outside one,
    Django declares the server-side cursor WITH HOLD, and PostgreSQL computes the whole
    result before it hands over the first row (and a PgBouncer in transaction mode would
    lose the cursor between two fetches); inside one, rows come as they are fetched. Not
    on SQLite, whose transactions here begin IMMEDIATE and would keep every writer
    waiting for the download."""
    if connections[queryset.db].vendor == "postgresql":
        return transaction.atomic(using=queryset.db)
    return contextlib.nullcontext()


def _rows(export: Export, queryset: QuerySet) -> Iterator[list[Any]]:
    with _reading(queryset):
        for record in export.prepare(queryset).iterator(chunk_size=chunk_size()):
            yield [column.value(record) for column in export.columns]


class _Line:
    """A file-like object whose write() hands the line back (csv.writer writes to it)."""

    def write(self, text: str) -> str:
        return text


def csv_pieces(export: Export, queryset: QuerySet, *, language: str) -> Iterator[bytes]:
    """The CSV, in pieces of `chunk_size()` rows: a byte-order mark first (Excel then
    reads UTF-8), `;` as separator in German, `,` in English."""
    with translation.override(language):
        german = _is_german()
        writer = csv.writer(_Line(), delimiter=";" if german else ",")
        kinds = [column.kind for column in export.columns]
        yield ("\ufeff" + writer.writerow(_headings(export))).encode()
        batch: list[str] = []
        for values in _rows(export, queryset):
            texts = [csv_text(v, k, german=german) for v, k in zip(values, kinds, strict=True)]
            batch.append(writer.writerow(texts))
            if len(batch) >= chunk_size():
                yield "".join(batch).encode()
                batch = []
        if batch:
            yield "".join(batch).encode()


def _xlsx_cell(sheet, value: Any, kind: str, *, german: bool) -> Any:
    if value is None or value == "":
        return None
    if kind == BOOL or isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = "DD.MM.YYYY HH:MM" if german else "YYYY-MM-DD HH:MM"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD.MM.YYYY" if german else "YYYY-MM-DD"
        return cell
    if kind == MONEY and isinstance(value, Decimal | int | float):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0.00"
        return cell
    if isinstance(value, Decimal | int | float):
        return value
    cell = WriteOnlyCell(sheet, value=escape_formula(str(value)))
    cell.data_type = "s"  # never a formula, whatever the text
    return cell


def xlsx_file(export: Export, queryset: QuerySet, *, language: str, title: str = ""):
    """The workbook in a temporary file (rewound), written row by row."""
    return _xlsx(export, queryset, language=language, title=title)[0]


def _xlsx(export: Export, queryset: QuerySet, *, language: str, title: str = ""):
    """The workbook in a temporary file (rewound), and its number of rows."""
    rows = 0
    with translation.override(language):
        german = _is_german()
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=(title or export.name)[:31])
        sheet.append(_headings(export))
        kinds = [column.kind for column in export.columns]
        for values in _rows(export, queryset):
            sheet.append(
                [_xlsx_cell(sheet, v, k, german=german) for v, k in zip(values, kinds, strict=True)]
            )
            rows += 1
        target = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
        book.save(target)
        target.seek(0)
        return target, rows


def filename(export: Export, fmt: str) -> str:
    return f"{export.name}-{timezone.localdate().isoformat()}.{fmt}"


def task_rows() -> int:
    """More rows than this, and an XLSX is built by a task (0: never)."""
    return int(settings.EXPORT_XLSX_TASK_ROWS)


def _large(queryset: Any) -> bool:
    limit = task_rows()
    if not limit or not isinstance(queryset, QuerySet):
        return False
    return bool(list(queryset.order_by().values_list("pk", flat=True)[limit : limit + 1]))


def response(
    export: Export, queryset: QuerySet, *, fmt: str, title: str = "", request=None, api=False
):
    """The export as a download: a streamed CSV, or an XLSX file. An XLSX of more than
    `EXPORT_XLSX_TASK_ROWS` rows is built by a task (with the `request`'s user): the page
    goes to the file's page, which offers the download once it is built; the API answers
    202 with the link."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    name = filename(export, fmt)
    if fmt == XLSX and request is not None and _large(queryset):
        return _queued(export, queryset, request=request, api=api, title=title, name=name)
    if fmt == CSV:
        answer: Any = StreamingHttpResponse(
            csv_pieces(export, queryset, language=language), content_type=CONTENT_TYPES[CSV]
        )
        answer["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        answer = FileResponse(
            xlsx_file(export, queryset, language=language, title=title),
            as_attachment=True,
            filename=name,
            content_type=CONTENT_TYPES[XLSX],
        )
    answer["Cache-Control"] = "no-store"
    return answer


def requested(request) -> str | None:
    """The format a list page was asked to export (`?export=csv|xlsx`), or None."""
    fmt = request.GET.get(PARAM, "")
    return fmt if fmt in FORMATS else None


def rows_of(export: Export, records: Iterable[Any]) -> list[list[Any]]:
    """The values of records as the export writes them (for tests and previews)."""
    return [[column.value(record) for column in export.columns] for record in records]


# --- Large XLSX files, built by a task ----------------------------------------------------


def _queued(export: Export, queryset: QuerySet, *, request, api: bool, title: str, name: str):
    # kam.tasks imports this module; the models are read once the apps are loaded.
    from kam import tasks
    from kam.models import ExportFile

    job = ExportFile.objects.create(
        user=request.user,
        export=export.name,
        title=title,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        query=pickle.dumps((queryset.model._meta.label, queryset.query)),
        file_name=name,
    )

    def hand_over() -> None:
        # The broker away: the file's page says so instead of waiting for nothing.
        if not queue.send(tasks.build_export, job.pk):
            ExportFile.objects.filter(pk=job.pk).update(
                status=ExportFile.Status.FAILED, error=str(queue.QUEUE_UNAVAILABLE)
            )

    transaction.on_commit(hand_over)
    if not api:
        return redirect(reverse("export_file", args=[job.pk]))
    # The API client follows the file with its own credentials (a token), not a session.
    state = request.build_absolute_uri(reverse("api-export-file", args=[job.pk]))
    answer = JsonResponse(
        {
            "status": job.status,
            "detail": _("The file is being built; download it from the link when it is ready."),
            "url": state,
            "download": request.build_absolute_uri(
                reverse("api-export-file-download", args=[job.pk])
            ),
        },
        status=202,
    )
    answer["Location"] = state
    return answer


def build_file(job) -> None:
    """Write the XLSX of an ExportFile (its stored query, in its user's language) into
    its file field, row by row as the request would."""
    label, query = pickle.loads(bytes(job.query))  # noqa: S301 - written by this server
    queryset = apps.get_model(label)._default_manager.all()
    queryset.query = query
    if job.export not in EXPORTS:
        get_resolver().url_patterns  # noqa: B018 - loads the views, which declare the exports
    export = EXPORTS[job.export]
    target, job.rows = _xlsx(export, queryset, language=job.language, title=job.title)
    with contextlib.closing(target):
        job.file.save(job.file_name, File(target), save=False)
