from datetime import date
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import TeamMembership
from kam.formats import money, pct
from reviews import notes

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
def note(entry) -> str:
    """A stored note (reviews.notes) in the reader's language."""
    return notes.render(entry)


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


@register.filter
def figure_heading(column: str) -> str:
    """The heading of a key-figures column in the folder."""
    headings = {
        "revenue": _("Revenue"),
        "margin": _("Contribution margin"),
        "revenue_target": _("Target"),
        "attainment": _("Attainment"),
        "share_of_wallet": _("Share of wallet"),
        "nps": "NPS",
        "csat": "CSAT",
        "issues": _("Issues (in time)"),
        "contract_value": _("Contract value"),
    }
    return str(headings.get(column, column))


@register.filter
def figure_cell(row: dict, column: str) -> str:
    """One cell of the key-figures table, formatted for the folder's language."""
    if column in ("revenue", "margin", "revenue_target", "contract_value"):
        return money(row.get(column))
    if column in ("attainment", "share_of_wallet"):
        value = row.get(column)
        return pct(None if value in (None, "") else Decimal(str(value)))
    if column == "csat":
        value = row.get("csat")
        return "–" if value in (None, "") else number_format(Decimal(str(value)), decimal_pos=2)
    if column == "issues":
        return f"{row.get('issues_opened', 0)} ({row.get('issues_solved_in_time', 0)})"
    value = row.get(column)
    return "–" if value is None else str(value)
