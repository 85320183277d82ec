"""Amounts and percentages as the user reads them, for templates and for text built in
Python (timeline entries, adjustment values)."""

from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}


def money(value, decimals: int = 0) -> str:
    """An amount in the installation's currency, formatted for the active language."""
    if value is None or value == "":
        return "–"
    amount = number_format(Decimal(value), decimal_pos=int(decimals), force_grouping=True)
    return f"{amount} {SYMBOLS.get(settings.CURRENCY, settings.CURRENCY)}"


def pct(value) -> str:
    if value is None:
        return "–"
    return f"{number_format(value, decimal_pos=1)} %"
