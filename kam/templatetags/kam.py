from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.formats import number_format

register = template.Library()

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF"}


@register.filter
def money(value, decimals: int = 0) -> str:
    """An amount in the installation's currency, formatted for the active language."""
    if value is None or value == "":
        return "–"
    amount = number_format(Decimal(value), decimal_pos=int(decimals), force_grouping=True)
    return f"{amount} {SYMBOLS.get(settings.CURRENCY, settings.CURRENCY)}"


@register.filter
def pct(value) -> str:
    if value is None:
        return "–"
    return f"{number_format(value, decimal_pos=1)} %"


@register.simple_tag(takes_context=True)
def url_with(context, **changes) -> str:
    """The current query string with some parameters replaced (sorting, paging links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    if "page" not in changes:
        query.pop("page", None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def strength_dots(value) -> str:
    value = int(value or 0)
    return "●" * value + "○" * (5 - value)
