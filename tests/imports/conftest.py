import io

import openpyxl
import pytest

from imports import services
from imports.kinds import KINDS, suggest_mapping
from imports.reading import read_table


def csv_bytes(lines: list[str], *, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run(kind: str, data: bytes, actor, *, dry_run: bool = False) -> services.Report:
    table = read_table(data)
    chosen = KINDS[kind]
    return services.import_table(
        kind=chosen,
        actor=actor,
        table=table,
        mapping=suggest_mapping(chosen, table.headings),
        dry_run=dry_run,
    )


def by_row(report: services.Report) -> dict[int, services.RowOutcome]:
    return {outcome.row: outcome for outcome in report.outcomes}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
