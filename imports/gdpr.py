"""Import jobs keep the uploaded file (for the download of refused rows) and the report
of every row (old and new values): at an erasure (accounts.gdpr) both are redacted, so
the person's name stays in neither. Nothing to export: an import is how records came in,
and the records themselves are exported by the other sources."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.core.exceptions import ValidationError
from openpyxl import Workbook

from accounts.gdpr import redacted_json
from accounts.models import Contact
from imports.models import ImportJob
from imports.reading import FormulaCell, RowCell, read_table


def collect(*, contact: Contact, user) -> None:
    return None


def redact(*, contact: Contact, redact) -> int:
    changed = 0
    for job in ImportJob.objects.only("pk", "data", "report").iterator(chunk_size=20):
        report = redacted_json(job.report, redact)
        data = _redacted_file(bytes(job.data), redact)
        if report != job.report or data is not None:
            updates: dict = {"report": report}
            if data is not None:
                updates["data"] = data
            ImportJob.objects.filter(pk=job.pk).update(**updates)
            changed += 1
    return changed


def _redacted_file(data: bytes, redact) -> bytes | None:
    """The uploaded table written again as a workbook with every text cell redacted, each
    row at its row number (the report refers to them); None when nothing named the person
    (or the file was never readable)."""
    if not data:
        return None
    try:
        table = read_table(data)
    except ValidationError:
        return None
    rows = [(number, [_cell(cell, redact) for cell in cells]) for number, cells in table.rows]
    headings = [redact(heading) for heading in table.headings]
    same = headings == table.headings and all(
        new == [_plain(cell) for cell in old]
        for (_n, new), (_m, old) in zip(rows, table.rows, strict=True)
    )
    if same:
        return None
    book = Workbook()
    sheet = book.active
    sheet.append(headings)
    for number, cells in rows:
        for column, value in enumerate(cells, start=1):
            sheet.cell(row=number, column=column, value=value)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _plain(cell: RowCell):
    if isinstance(cell, FormulaCell):
        return cell.text
    return cell


def _cell(cell: RowCell, redact) -> str | Decimal | int | float | date | datetime | bool | None:
    value = _plain(cell)
    return redact(value) if isinstance(value, str) else value
