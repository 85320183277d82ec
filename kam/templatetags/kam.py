import difflib
import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from kam import formats
from kam.forms import user_label
from kam.history import EMPTY

register = template.Library()

register.filter("money", formats.money)
register.filter("pct", formats.pct)
register.filter("user_label", user_label)


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


@register.simple_tag
def value_change(old: str, new: str) -> str:
    """A changed value as `old → new`. Long texts (more than a line) are shown in full
    as one text with the removed words struck through and the added ones marked, so that
    a change deep inside a long text is visible instead of two identical beginnings."""
    short = max(len(old), len(new)) <= LONG_TEXT and "\n" not in old + new
    if short or EMPTY in (old, new):
        return format_html("<del>{}</del> → <ins>{}</ins>", old, new)
    return format_html('<span class="text-diff">{}</span>', word_diff(old, new))


LONG_TEXT = 80


def word_diff(old: str, new: str) -> str:
    before, after = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(conditional_escape("".join(before[a1:a2])))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", "".join(before[a1:a2])))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", "".join(after[b1:b2])))
    return mark_safe("".join(parts))


@register.filter
def conflict_for(form, name: str):
    """The clash on field `name` of a VersionedForm (kam.concurrency), if any."""
    finder = getattr(form, "conflict_for", None)
    return finder(name) if finder else None
