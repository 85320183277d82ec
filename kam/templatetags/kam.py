from django import template

from kam import formats

register = template.Library()

register.filter("money", formats.money)
register.filter("pct", formats.pct)


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
