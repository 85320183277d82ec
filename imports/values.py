"""Turning a cell into a value: numbers with German or English separators, dates as
31.12.2026 or 2026-12-31, yes/no, choices by code or label in either language.

Each parser returns the value or raises CellError with a translated reason.
"""

import functools
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

from imports.reading import Cell


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


THOUSANDS = re.compile(r"^-?\d{1,3}([.,]\d{3})+$")
TRUE_WORDS = {"1", "x", "yes", "y", "true", "ja", "j", "wahr"}
FALSE_WORDS = {"0", "no", "n", "false", "nein", "falsch"}


def as_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_decimal(cell: Cell, *, decimal_comma: bool) -> Decimal:
    """1.234,56 (German), 1,234.56 (English), 1234.56, 1234,56; money signs and spaces
    are dropped. A lone separator followed by three digits is a thousands separator in a
    German file ("1.234" = 1234) and a decimal point otherwise."""
    if isinstance(cell, bool):
        raise CellError(_("Enter a number."))
    if isinstance(cell, int | Decimal):
        return Decimal(cell)
    if isinstance(cell, float):
        return Decimal(repr(cell))
    text = as_text(cell).replace("€", "").replace("EUR", "").replace("%", "")
    text = text.replace("\u00a0", "").replace("\u202f", "")
    text = text.replace(" ", "").replace("'", "")
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
    elif "," in text:
        decimal_mark = "." if (not decimal_comma and THOUSANDS.match(text)) else ","
    elif "." in text:
        decimal_mark = "," if (decimal_comma and THOUSANDS.match(text)) else "."
    else:
        decimal_mark = "."
    thousands_mark = "." if decimal_mark == "," else ","
    normal = text.replace(thousands_mark, "").replace(decimal_mark, ".")
    try:
        value = Decimal(normal)
    except InvalidOperation as exc:
        raise CellError(_("“%(value)s” is not a number.") % {"value": as_text(cell)}) from exc
    if not value.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": as_text(cell)})
    return value


def parse_int(cell: Cell, *, decimal_comma: bool) -> int:
    value = parse_decimal(cell, decimal_comma=decimal_comma)
    if value != value.to_integral_value():
        raise CellError(_("Enter a whole number."))
    return int(value)


DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y")


def parse_date(cell: Cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = as_text(cell)
    if "T" in text or " " in text:
        text = re.split(r"[T ]", text, maxsplit=1)[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    raise CellError(
        _("“%(value)s” is not a date; write 31.12.2026 or 2026-12-31.") % {"value": text}
    )


def parse_bool(cell: Cell) -> bool:
    if isinstance(cell, bool):
        return cell
    text = as_text(cell).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_("Write “yes” or “no” (“ja” or “nein”)."))


def labels_in_both_languages(label) -> list[str]:
    """A lazy label's German and English texts."""
    texts = []
    for language in ("de", "en"):
        with translation.override(language):
            texts.append(str(label))
    return texts


@functools.lru_cache(maxsize=256)
def choice_lookup(choices: tuple[tuple[str, object], ...]) -> dict[str, str]:
    """Lower-cased code and label (German and English) -> code; kept per set of choices
    (an import asks for it once per cell). Do not change the dict returned."""
    lookup: dict[str, str] = {}
    for code, label in choices:
        lookup[str(code).lower()] = code
        for text in labels_in_both_languages(label):
            lookup.setdefault(text.lower(), code)
    return lookup


def parse_choice(cell: Cell, lookup: dict[str, str], allowed: str | Callable[[], str]) -> str:
    """The code of a choice; `allowed` (or what it returns: only built for a refused
    cell, it reads every label in both languages) lists the values in the message."""
    text = as_text(cell)
    code = lookup.get(text.lower())
    if code is None:
        raise CellError(
            _("“%(value)s” is not one of the allowed values: %(allowed)s.")
            % {"value": text, "allowed": allowed() if callable(allowed) else allowed}
        )
    return code
