"""A reminder's words, in the language active when it is shown or mailed.

Dates in reminders are often legal dates (notice deadlines): German readers get
"31.03.2027", everyone else the unambiguous ISO form "2027-03-31", never the US
"03/31/2027" of Django's English formats. Days left are counted on the day the reminder is
read, not on the day of the scan.
"""

from datetime import date

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from reminders.models import Reminder
from reminders.registry import rules


def reminder_date(day: date | None) -> str:
    """A date in a reminder, in the active language: d.m.Y in German, ISO otherwise."""
    if day is None:
        return "–"
    if (translation.get_language() or "").startswith("de"):
        return date_format(day, "d.m.Y")
    return day.isoformat()


def days_left(day: date, *, today: date | None = None) -> str:
    """ "in 3 days", "today" or "3 days ago", from `today` (the local date) to `day`."""
    days = (day - (today or timezone.localdate())).days
    if days == 0:
        return gettext("today")
    if days > 0:
        return ngettext("in %(count)d day", "in %(count)d days", days) % {"count": days}
    return ngettext("%(count)d day ago", "%(count)d days ago", -days) % {"count": -days}


def _date(value: str) -> str:
    return reminder_date(date.fromisoformat(value)) if value else "–"


def reminder_message(reminder: Reminder, today: date | None = None) -> str:
    rule = rules.get(reminder.rule)
    if rule is None:  # a rule removed since: the subject still says what it was about
        return reminder.subject
    values = {"subject": reminder.subject, "due_on": reminder_date(reminder.due_on)}
    for name, value in reminder.params.items():
        if name.endswith("_on"):
            values[name] = _date(value)
        elif name in rule.param_labels:
            values[name] = str(rule.param_labels[name].get(value, value))
        else:
            values[name] = value
    target = reminder.params.get(rule.counts_down_to) if rule.counts_down_to else None
    values["days_left"] = days_left(date.fromisoformat(target), today=today) if target else "–"
    return str(rule.message) % values


def reminder_deadline(reminder: Reminder) -> date | None:
    """The date the reminder is about, when it differs from the day it reminds on (a
    notice deadline, a contract's end, a meeting), else None."""
    rule = rules.get(reminder.rule)
    name = rule.counts_down_to if rule else None
    value = reminder.params.get(name) if name else None
    return date.fromisoformat(value) if value else None


def rule_label(key: str) -> str:
    rule = rules.get(key)
    return str(rule.label) if rule else key
