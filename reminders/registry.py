"""The reminder rules. Each lower app's rules live in reminders/rules/<app>.py and are
registered in ReminderConfig.ready(); the engine (reminders.services) only iterates.

A rule's `scan(when)` runs ONE query and yields `Due` items: the same number of queries
whatever the number of accounts. The engine turns them into reminder rows in bulk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kam.registry import Registry

if TYPE_CHECKING:
    from django.utils.functional import Promise


@dataclass(frozen=True)
class When:
    """The moment of a scan: `now` (aware) and `today` in the installation's time zone."""

    now: datetime
    today: date


@dataclass(frozen=True)
class Due:
    """Something a recipient must be reminded of. (rule, object, due_on, recipient) is the
    reminder's stable key."""

    object_id: int
    due_on: date
    recipient_id: int
    subject: str
    url: str
    account_id: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """`message` is worded with the reminder's params plus `subject` and `due_on`; dates
    among the params (ISO strings whose name ends in `_on`) are shown in the reader's
    format (reminders.messages.reminder_date). `settled(instance)` says that a saved
    object no longer needs attention (a follow-up done): its unread reminders are then
    cleared at once. `after_scan(items, when)` runs in the scan's transaction with what
    the scan found (escalation)."""

    key: str
    label: str | Promise
    model: str
    message: str | Promise
    scan: Callable[[When], Iterable[Due]]
    settled: Callable[[Any], bool] | None = None
    after_scan: Callable[[list[Due], When], None] | None = None
    # Words for coded params, e.g. {"verdict": {"at_risk": _("At risk")}}.
    param_labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    # A date param (e.g. "deadline_on") that `%(days_left)s` in the message counts down
    # to, as on the day the reminder is shown or mailed (never frozen at scan time).
    counts_down_to: str | None = None
    order: int = 100


rules: Registry[Rule] = Registry("reminder rules")
