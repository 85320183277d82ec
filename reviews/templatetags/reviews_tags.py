from datetime import date

from django import template
from django.utils.translation import gettext as _

from accounts.models import TeamMembership

register = template.Library()


@register.filter
def parse_iso(value: str | None) -> date | None:
    """A date kept as ISO text in a section's data, back as a date for |date."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@register.filter
def event_label(kind: str) -> str:
    labels = {
        "deal.won": _("Project won"),
        "deal.lost": _("Project lost"),
        "contract.started": _("Contract started"),
        "issue.escalated": _("Escalated issue"),
        "activity.top_level": _("Meeting with the top level"),
    }
    return labels.get(kind, kind)


@register.filter
def team_role(role: str) -> str:
    return str(dict(TeamMembership.TeamRole.choices).get(role, role))


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)
