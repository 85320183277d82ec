from datetime import date

from django import template

register = template.Library()


@register.filter
def days_until(day: date | None, today: date) -> int | None:
    """Whole days from `today` to `day` (negative when it has passed)."""
    if day is None:
        return None
    return (day - today).days
