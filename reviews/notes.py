"""Texts the product writes and keeps (a version's change list, what a section's refresh
changed) are stored as a message id and its parameters, not as finished text: each
reader sees them in their own language, whoever caused them.

A note is `{"msgid": "Section edited: %(section)s", "params": {"section": {"section":
"outlook"}}}`. A parameter is plain (a title the user typed, a year: shown as it is) or
one of: `{"section": kind}` (the section's name), `{"figure": key}` (a key figure's
name), `{"number": "1500000.00"}` (a number in the reader's format) or a note itself.
Lists stored before notes existed hold finished strings: those are shown as they are.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from reviews.models import Section

Note = dict[str, Any]

FIGURE_LABELS = {
    "revenue": _("Revenue"),
    "margin": _("Contribution margin"),
    "revenue_target": _("Revenue target"),
    "margin_target": _("Contribution margin target"),
    "attainment": _("Target attainment"),
    "share_of_wallet": _("Share of wallet"),
    "nps": _("NPS"),
    "csat": _("CSAT"),
    "issues_opened": _("Issues opened"),
    "issues_solved_in_time": _("Issues solved in time"),
    "contract_value": _("Contract value"),
}

# The message ids notes use (gettext_noop: found by makemessages, translated on reading).
FIRST_VERSION = gettext_noop("First version")
NO_CHANGES = gettext_noop("No changes since the last version")
SECTION_EDITED = gettext_noop("Section edited: %(section)s")
SHOWN = gettext_noop("Shown to the customer: %(item)s")
HIDDEN = gettext_noop("Hidden from the customer: %(item)s")
CASE_CHANGED = gettext_noop("Business case changed: %(title)s")
FIGURES_ADDED = gettext_noop("Figures of %(year)s added")
FIGURES_REMOVED = gettext_noop("Figures of %(year)s removed")
FIGURE_CHANGED = gettext_noop("%(figure)s %(year)s: %(old)s → %(new)s")
ITEM_ADDED = gettext_noop("%(what)s added: %(title)s")
ITEM_REMOVED = gettext_noop("%(what)s removed: %(title)s")
TOPICS_PROPOSED = gettext_noop("%(count)s renegotiation topics proposed")
KEY_FIGURES_OF = gettext_noop("Key figures %(year)s")
KEY_EVENT = gettext_noop("Key event")
TEAM_MEMBER = gettext_noop("Team member")
ACTION = gettext_noop("Action")
PROJECT = gettext_noop("Project")
SOLVED_ISSUE = gettext_noop("Solved issue")


def note(msgid: str, **params: Any) -> Note:
    return {"msgid": msgid, "params": params}


def figure_label(key: str) -> str:
    return str(FIGURE_LABELS.get(key, key))


def _param(value: Any) -> Any:
    if isinstance(value, dict):
        if "msgid" in value:
            return render(value)
        if "section" in value:
            labels = dict(Section.Kind.choices)
            return str(labels.get(value["section"], value["section"]))
        if "figure" in value:
            return figure_label(value["figure"])
        if "number" in value:
            return _number(value["number"])
    return "–" if value is None else value


def _number(value: Any) -> str:
    if value in (None, ""):
        return "–"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    exponent = number.normalize().as_tuple().exponent
    places = max(-exponent, 0) if isinstance(exponent, int) else 0
    return number_format(number, decimal_pos=places, force_grouping=True)


def render(entry: Note | str) -> str:
    """The note in the active language; a finished string (stored before) as it is."""
    if isinstance(entry, str):
        return entry
    params = {name: _param(value) for name, value in (entry.get("params") or {}).items()}
    text = gettext(entry.get("msgid", ""))
    return text % params if params else text


def render_all(entries: list[Note | str] | None) -> list[str]:
    return [render(entry) for entry in entries or []]
