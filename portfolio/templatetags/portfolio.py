from django import template

from accounts.models import Account

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """The translated label of an account status value."""
    try:
        return str(Account.Status(value).label)
    except ValueError:
        return value
