"""Reading an uploaded CSV or XLSX file into headings and rows of cells.

The file's kind is decided by its content, never its name: an XLSX workbook is a zip with
`xl/workbook.xml` (read by openpyxl), anything else must be text (read by tablib's CSV
format). CSV text is UTF-8 (with or without BOM) or, when it is not valid UTF-8,
Windows-1252, whose letters above 0xA0 are Latin-1's: German umlauts come out right either
way, and a byte that is neither is refused naming the encoding. The delimiter is the one
of `;`, `,` and tab that the heading line holds most of: German Excel writes `;`.
"""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
DELIMITERS = (";", ",", "\t")
# Characters that start a formula in a spreadsheet. A cell that an export escaped with a
# leading apostrophe ("'=x") is text and comes back without it.
FORMULA_START = "="
ESCAPABLE = ("=", "+", "-", "@", "\t", "\r")

Cell = str | Decimal | int | float | date | datetime | bool | None


class FormulaCell:
    """A cell that holds a formula: refused row by row (its value is not what was meant
    to be imported, and it may be an attack on whoever opens the error report)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


RowCell = Cell | FormulaCell


@dataclass
class Table:
    headings: list[str]
    # (row number in the file, the cells in the order of the headings)
    rows: list[tuple[int, list[RowCell]]]
    file_format: str  # "csv" or "xlsx"
    encoding: str = ""  # for CSV: "utf-8" or "windows-1252"
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def decimal_comma(self) -> bool:
        """German CSV: `;` between cells, `,` before the decimals."""
        return self.delimiter == ";"


def max_import_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024))


def check_size(size: int) -> None:
    limit = max_import_bytes()
    if size > limit:
        megabytes = limit / (1024 * 1024)
        shown = number_format(megabytes, decimal_pos=0 if megabytes == int(megabytes) else 1)
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": shown}, code="file_too_large"
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty_file")


def read_table(data: bytes) -> Table:
    """The file's headings and rows; ValidationError for a file that is neither CSV nor
    XLSX, too big, or a text in an encoding we cannot read safely."""
    check_size(len(data))
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data)
    if data.startswith(OLE_MAGIC):
        raise ValidationError(
            _("This is an old Excel file (.xls). Save it as .xlsx or CSV and upload it again."),
            code="file_content",
        )
    text, encoding = _decode(data)
    return _read_csv(text, encoding)


def _not_csv_or_xlsx() -> ValidationError:
    return ValidationError(
        _("This file is neither a CSV file nor an XLSX workbook."), code="file_content"
    )


def _decode(data: bytes) -> tuple[str, str]:
    if b"\x00" in data[:65536]:
        # UTF-16 or a binary file (PDF, image, ...): not the text of a CSV file.
        raise _not_csv_or_xlsx()
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                _(
                    "The file is neither UTF-8 nor Windows-1252 (Latin-1) text. Save it as"
                    " “CSV UTF-8” and upload it again."
                ),
                code="encoding",
            ) from exc
        encoding = "windows-1252"
    if any(ch < " " and ch not in "\t\r\n" for ch in text[:65536]):
        raise _not_csv_or_xlsx()
    return text, encoding


def _delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(text: str, encoding: str) -> Table:
    first_line = text.split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    dataset = tablib.Dataset()
    try:
        dataset.load(text, format="csv", delimiter=delimiter)
    except (tablib.InvalidDimensions, ValueError, Exception) as exc:  # noqa: BLE001
        # tablib raises InvalidDimensions for a row longer than the headings and csv.Error
        # for broken quoting: either way the text is not a table we can read.
        raise ValidationError(
            _("The file cannot be read as a table: %(reason)s") % {"reason": exc},
            code="file_content",
        ) from exc
    headings = [str(h or "").strip() for h in dataset.headers or []]
    if not any(headings):
        raise _not_csv_or_xlsx()
    rows: list[tuple[int, list[RowCell]]] = []
    for number, values in enumerate(dataset, start=2):
        if all(not str(value or "").strip() for value in values):
            continue  # a line of empty cells (";;;"), as spreadsheets leave at the end
        rows.append((number, [_text_cell(value) for value in values]))
    notes = []
    if encoding != "utf-8":
        notes.append(_("Read as Windows-1252 (Latin-1) text."))
    return Table(headings, rows, "csv", encoding=encoding, delimiter=delimiter, notes=notes)


def _text_cell(value: object) -> RowCell:
    text = "" if value is None else str(value)
    if text.startswith("'") and text[1:2] in ESCAPABLE and text[1:2]:
        return text[1:]
    if text.startswith(FORMULA_START) and len(text) > 1:
        return FormulaCell(text)
    return text


def _read_xlsx(data: bytes) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise _not_csv_or_xlsx()
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise _not_csv_or_xlsx() from exc
    try:
        sheet = workbook.worksheets[0]
        rows_iter = sheet.iter_rows()
        headings: list[str] = []
        rows: list[tuple[int, list[RowCell]]] = []
        for index, cells in enumerate(rows_iter, start=1):
            values = [_xlsx_cell(cell) for cell in cells]
            if index == 1:
                headings = [str(v or "").strip() for v in values]
                continue
            if all(v is None or v == "" for v in values):
                continue
            rows.append((index, values))
    finally:
        workbook.close()
    while headings and not headings[-1]:
        headings.pop()
    if not headings:
        raise _not_csv_or_xlsx()
    rows = [
        (n, values[: len(headings)] + [None] * (len(headings) - len(values))) for n, values in rows
    ]
    return Table(headings, rows, "xlsx")


def _xlsx_cell(cell) -> RowCell:
    value = cell.value
    if getattr(cell, "data_type", None) == "f" or (
        isinstance(value, str) and value.startswith(FORMULA_START) and len(value) > 1
    ):
        return FormulaCell(str(value))
    if isinstance(value, str):
        return _text_cell(value)
    return value
