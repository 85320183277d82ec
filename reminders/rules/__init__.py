"""Reminder rules by the app whose records they scan; each module lists its RULES."""

from collections.abc import Callable

from django.urls import reverse

_MARK = 987654321


def link(url_name: str) -> Callable[[int], str]:
    """`url_name`'s path for a primary key, reversed once: a scan may yield 100,000 items."""
    template = reverse(url_name, args=[_MARK]).replace(str(_MARK), "{}")
    return template.format
