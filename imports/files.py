"""Files the wizard hands out: a template per kind and the refused rows of an import."""

import tablib
from django.utils.translation import gettext as _

from imports.kinds import BOOL, CHOICE, DATE, DECIMAL, INTEGER, STAGE, Kind
from imports.models import ImportJob
from imports.reading import FormulaCell, read_table
from imports.values import labels_in_both_languages

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _allowed(column) -> str:
    if column.type == CHOICE:
        return "; ".join(
            f"{code} = {' / '.join(dict.fromkeys(labels_in_both_languages(label)))}"
            for code, label in column.choices
        )
    return {
        DECIMAL: _("a number, e.g. 1.234,56 or 1234.56"),
        INTEGER: _("a whole number"),
        DATE: _("a date: 31.12.2026 or 2026-12-31"),
        BOOL: _("ja/nein or yes/no"),
        STAGE: _("the name of a pipeline stage"),
        "account": _("the external ID of an account"),
        "parent": _("the external ID or the name of an account"),
        "contact": _("the external ID of a contact"),
        "user": _("a user name"),
        "competitors": _("competitor names, separated by commas"),
    }.get(column.type, _("text"))


def template_workbook(kind: Kind) -> bytes:
    """An XLSX with the kind's columns and one example row, and a second sheet that
    explains every column and its allowed values."""
    data = tablib.Dataset(title=str(kind.label)[:31])
    data.headers = [str(column.label) for column in kind.columns]
    data.append([column.example for column in kind.columns])
    explained = tablib.Dataset(title=_("Columns")[:31])
    explained.headers = [_("Column"), _("Also accepted"), _("Required"), _("Allowed values")]
    for column in kind.columns:
        others = [h for h in column.headings() if h != str(column.label)]
        explained.append(
            [
                str(column.label),
                ", ".join(dict.fromkeys(others)),
                _("yes") if column.required else _("no"),
                _allowed(column),
            ]
        )
    return tablib.Databook([data, explained]).export("xlsx")


def refused_rows_workbook(job: ImportJob) -> bytes:
    """The refused rows as they were uploaded, with an error column, to fix and upload
    again."""
    table = read_table(bytes(job.data))
    reasons: dict[int, str] = {}
    for outcome in job.report:
        if outcome["outcome"] == "refused":
            reasons[outcome["row"]] = "; ".join(
                f"{column}: {message}" if column else message
                for column, message in outcome["errors"]
            )
    data = tablib.Dataset()
    data.headers = [*table.headings, _("Error")]
    for number, cells in table.rows:
        if number in reasons:
            shown = [
                # A formula goes back as text (escaped), never as a live formula.
                "'" + cell.text if isinstance(cell, FormulaCell) else cell
                for cell in cells
            ]
            data.append([*shown, reasons[number]])
    return data.export("xlsx")
