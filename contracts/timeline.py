"""The contracts' events on an account's timeline: signed/started, ending, terminated.

One UNION query whatever the number of contracts. Events sit at local midnight of their
date. An ending within the next DEFAULT_WITHIN_DAYS days is shown on the first page
(before=None) too, so that an upcoming end is visible at the top of the timeline.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import CharField, F, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Contract
from contracts.selectors import DEFAULT_WITHIN_DAYS
from kam.timeline import TimelineEvent

KINDS = ("contract.started", "contract.ending", "contract.terminated")


def _at_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _bounds(before: datetime | None) -> tuple[date, date, bool]:
    """(last date for past events, last date for endings, whether that date is included)."""
    today = timezone.localdate()
    if before is None:
        return today, today + timedelta(days=DEFAULT_WITHIN_DAYS), True
    local = timezone.localtime(before)
    # Strictly older than `before`: an event at midnight of before's own date is older
    # only if `before` is later than that midnight.
    inclusive = local.time() != time.min
    return local.date(), local.date(), inclusive


def events(account_ids: list[int], *, before: datetime | None, limit: int) -> list[TimelineEvent]:
    if not account_ids or limit <= 0:
        return []
    past_until, ending_until, inclusive = _bounds(before)
    lookup = "lte" if inclusive else "lt"
    base = Contract.objects.filter(account_id__in=account_ids)
    columns = ("pk", "account_id", "number", "title", "when", "event_kind")

    def stream(date_field: str, kind: str, until: date, **filters):
        return (
            base.filter(**{f"{date_field}__{lookup}": until}, **filters)
            .annotate(
                when=F(date_field),
                event_kind=Value(kind, output_field=CharField()),
            )
            .order_by()
            .values_list(*columns)
        )

    started = stream("start_on", "contract.started", past_until).exclude(
        status=Contract.Status.DRAFT
    )
    ending = stream("end_on", "contract.ending", ending_until).exclude(status=Contract.Status.DRAFT)
    terminated = stream(
        "terminated_on", "contract.terminated", past_until, status=Contract.Status.TERMINATED
    )
    rows = started.union(ending, terminated, all=True).order_by("-when", "-pk")[:limit]
    labels = {
        "contract.started": _("Contract started"),
        "contract.ending": _("Contract ends"),
        "contract.terminated": _("Contract terminated"),
    }
    result = []
    for pk, account_id, number, title, when, kind in rows:
        if isinstance(when, str):  # SQLite hands back dates of a UNION as text
            when = date.fromisoformat(when)
        result.append(
            TimelineEvent(
                when=_at_midnight(when),
                kind=kind,
                label=labels[kind],
                title=f"{number} {title}",
                account_id=account_id,
                url=reverse("contracts:detail", args=[pk]),
                all_day=True,
            )
        )
    return result
