"""Cells as exported by German and English spreadsheets read as the same values."""

from datetime import date
from decimal import Decimal

import pytest

from imports.values import CellError, parse_bool, parse_date, parse_decimal


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("1.234,56", True, "1234.56"),
        ("1.234,56", False, "1234.56"),
        ("1,234.56", False, "1234.56"),
        ("1,234.56", True, "1234.56"),
        ("1234,5", True, "1234.5"),
        ("1.234", True, "1234"),
        ("1.234", False, "1.234"),
        ("1,234", False, "1234"),
        ("1.234.567,89 €", True, "1234567.89"),
        ("1\u00a0234,00\u00a0€", True, "1234.00"),
        ("30 %", True, "30"),
        ("-5", False, "-5"),
    ],
)
def test_numbers(text, decimal_comma, expected):
    assert parse_decimal(text, decimal_comma=decimal_comma) == Decimal(expected)


def test_a_word_is_no_number():
    with pytest.raises(CellError):
        parse_decimal("viel", decimal_comma=True)


@pytest.mark.parametrize("text", ["31.12.2026", "2026-12-31", "2026-12-31T00:00:00"])
def test_dates(text):
    assert parse_date(text) == date(2026, 12, 31)


@pytest.mark.parametrize(("text", "expected"), [("Ja", True), ("nein", False), ("yes", True)])
def test_yes_and_no(text, expected):
    assert parse_bool(text) is expected
