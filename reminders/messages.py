"""A reminder's words, in the language active when it is shown or mailed."""

from datetime import date

from django.utils.formats import date_format

from reminders.models import Reminder
from reminders.registry import rules


def _date(value: str) -> str:
    return date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT") if value else "–"


def reminder_message(reminder: Reminder) -> str:
    rule = rules.get(reminder.rule)
    if rule is None:  # a rule removed since: the subject still says what it was about
        return reminder.subject
    values = {
        "subject": reminder.subject,
        "due_on": date_format(reminder.due_on, "SHORT_DATE_FORMAT"),
    }
    for name, value in reminder.params.items():
        if name.endswith("_on"):
            values[name] = _date(value)
        elif name in rule.param_labels:
            values[name] = str(rule.param_labels[name].get(value, value))
        else:
            values[name] = value
    return str(rule.message) % values


def rule_label(key: str) -> str:
    rule = rules.get(key)
    return str(rule.label) if rule else key
