"""Contract dates: the current term end, the notice deadline and the next renewal.

The rules exist once, here, in plain Python. Each contract stores its dates as they stand on
a day (`Contract.dates_as_of`) together with the first later day on which one of them can
change (`Contract.dates_change_on`: the day after the next term end or deadline). Lists,
reminders and the health score read the stored dates, so that they filter and sort in the
database along an index; before they read, `refresh_stale()` recomputes the few contracts
whose dates do not hold on the day asked for (normally none: the daily task rolls them
forward just after midnight, see `tasks.roll_dates_forward`).

Month arithmetic follows the calendar: adding a month to 31 January gives 28 (or 29)
February, the last day of the shorter month, as contracts and PostgreSQL count. A renewal
is counted from the original end date, and a contract that ends on the last day of a month
renews to the last day of a month (§ 188 (2) BGB): end 30 September renewing by 3 months
ends 31 December, end 28 February 2026 renewing yearly ends 29 February 2028. A date that
would fall outside the years 1-9999 has no value (None in Python, NULL in SQL), so no stored
date, however odd, can make a list fail.

Rules:
- a contract without an end date (open-ended) has no term end, deadline or renewal;
- the term end is the end date; for an automatically renewing contract whose end date has
  passed, it rolls forward by whole renewal terms to the end of the current term;
- the notice deadline is the last day on which notice can reach the other side so that the
  notice period has run by the term end, counted by §§ 187 (1), 188 (2) and (3) BGB: notice
  received on day D runs to the day with D's number N months later (or that month's last
  day). So the deadline is the term end moved back N calendar months, and when the term
  ends on the last day of a month, the last day of that earlier month (term end 30 June,
  6 months: 31 December; 28 February, 6 months: 31 August);
- a notice deadline is *missed* when it has passed while its term still runs (the latest
  such deadline: with a notice period longer than the renewal term, that can be the
  deadline of a later term than the current one); the *next notice deadline* is the first
  one that can still be met (today counts): for an automatically renewing contract the
  deadline of a later term, for any other none;
- the next renewal is the current term end of an automatically renewing contract (unless
  notice is given by the deadline, the contract then runs for another term);
- drafts have no notice deadline yet; terminated and expired contracts have none of these.
"""

import calendar
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import F, Q
from django.utils import timezone

FINISHED_STATUSES = ("terminated", "expired")
# A draft is not signed yet: nobody can give notice on it.
NO_NOTICE_STATUSES = ("draft", *FINISHED_STATUSES)


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` calendar months, clamped to the last day of the month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _shift(day: date, months: int) -> date | None:
    """add_months(), or None when the result lies outside the years 1-9999."""
    index = day.year * 12 + (day.month - 1) + months
    if not date.min.year * 12 <= index < (date.max.year + 1) * 12:
        return None
    return add_months(day, months)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def renewed_end(end_on: date, months: int) -> date | None:
    """The end of a term `months` after the original end `end_on`: anchored on the original
    date, and on the last day of the month when `end_on` is a month's last day (§ 188 (2)
    BGB), so that 30 September + 3 months is 31 December, not 30 December."""
    moved = _shift(end_on, months)
    if moved is not None and end_on == _month_end(end_on):
        return _month_end(moved)
    return moved


def notice_deadline_for(term_end: date, notice_period_months: int) -> date | None:
    """The last day notice may be received for a term ending on `term_end` (§§ 187, 188
    BGB): the term end moved back by the notice period in calendar months, and the last
    day of that month when the term ends on a month's last day."""
    deadline = _shift(term_end, -notice_period_months)
    if deadline is not None and term_end == _month_end(term_end):
        return _month_end(deadline)
    return deadline


def _month_index(day: date) -> int:
    return day.year * 12 + day.month


def current_term_end(
    end_on: date | None, *, auto_renewal: bool, renewal_term_months: int, today: date
) -> date | None:
    if end_on is None:
        return None
    if not auto_renewal or end_on >= today or renewal_term_months < 1:
        return end_on
    # Count the terms from the original end date (not term by term), so that a 31st that
    # once fell on a 30th does not stay shortened for every later term.
    months_since = _month_index(today) - _month_index(end_on)
    terms = -(-months_since // renewal_term_months)  # ceiling
    term_end = renewed_end(end_on, terms * renewal_term_months)
    if term_end is not None and term_end < today:
        term_end = renewed_end(end_on, (terms + 1) * renewal_term_months)
    return term_end


def notice_deadline(
    end_on: date | None,
    *,
    notice_period_months: int,
    auto_renewal: bool,
    renewal_term_months: int,
    today: date,
) -> date | None:
    """The notice deadline of the current term, whether or not it has passed."""
    term_end = current_term_end(
        end_on, auto_renewal=auto_renewal, renewal_term_months=renewal_term_months, today=today
    )
    if term_end is None:
        return None
    return notice_deadline_for(term_end, notice_period_months)


def missed_notice_deadline(
    end_on: date | None,
    *,
    notice_period_months: int,
    auto_renewal: bool,
    renewal_term_months: int,
    today: date,
) -> date | None:
    """The latest notice deadline that has passed while its term still runs (notice can no
    longer end that term), else None. With a notice period longer than the renewal term
    this is the deadline of a later term than the current one: every deadline is missed
    from the day after it."""
    if end_on is None:
        return None
    if not auto_renewal or renewal_term_months < 1:
        deadline = notice_deadline_for(end_on, notice_period_months)
        return deadline if deadline is not None and deadline < today <= end_on else None
    terms = _next_deadline_terms(
        end_on,
        notice_period_months=notice_period_months,
        renewal_term_months=renewal_term_months,
        today=today,
    )
    if terms is None or terms == 0:
        return None
    # The term before the one with the next deadline: its deadline lies before today.
    term_end = renewed_end(end_on, (terms - 1) * renewal_term_months)
    if term_end is None or term_end < today:
        return None
    return notice_deadline_for(term_end, notice_period_months)


def _next_deadline_terms(
    end_on: date, *, notice_period_months: int, renewal_term_months: int, today: date
) -> int | None:
    """How many renewal terms after `end_on` the term ends whose notice deadline is the
    first on or after `today` (None when no such date exists)."""
    # Terms before the one ending in the month `notice_period_months` after this one cannot
    # have a deadline today or later; that term or the next one has.
    months_needed = _month_index(today) + notice_period_months - _month_index(end_on)
    first = max(0, -(-months_needed // renewal_term_months))
    for terms in (first, first + 1):
        term_end = renewed_end(end_on, terms * renewal_term_months)
        deadline = None if term_end is None else notice_deadline_for(term_end, notice_period_months)
        if deadline is not None and deadline >= today:
            return terms
    return None


def next_notice_deadline(
    end_on: date | None,
    *,
    notice_period_months: int,
    auto_renewal: bool,
    renewal_term_months: int,
    today: date,
) -> date | None:
    """The first notice deadline on or after `today`: the current term's, or, for an
    automatically renewing contract whose deadline has passed, that of the first later
    term that notice can still end. None when no deadline can be met any more."""
    if end_on is None:
        return None
    if not auto_renewal or renewal_term_months < 1:
        deadline = notice_deadline_for(end_on, notice_period_months)
        return deadline if deadline is not None and deadline >= today else None
    terms = _next_deadline_terms(
        end_on,
        notice_period_months=notice_period_months,
        renewal_term_months=renewal_term_months,
        today=today,
    )
    if terms is None:
        return None
    term_end = renewed_end(end_on, terms * renewal_term_months)
    return None if term_end is None else notice_deadline_for(term_end, notice_period_months)


def next_renewal(
    end_on: date | None, *, auto_renewal: bool, renewal_term_months: int, today: date
) -> date | None:
    if not auto_renewal:
        return None
    return current_term_end(
        end_on, auto_renewal=True, renewal_term_months=renewal_term_months, today=today
    )


@dataclass(frozen=True)
class ContractDates:
    """A contract's dates on one day (None where they do not apply)."""

    term_end: date | None = None
    notice_deadline: date | None = None
    missed_notice_deadline: date | None = None
    next_notice_deadline: date | None = None
    next_renewal_on: date | None = None

    def change_on(self, today: date) -> date | None:
        """The first day after `today` on which any of these dates can differ: the day after
        the next term end or deadline still to come (None: they stay as they are)."""
        ahead = [
            day
            for day in (self.term_end, self.notice_deadline, self.next_notice_deadline)
            if day is not None and day >= today
        ]
        if not ahead or min(ahead) == date.max:
            return None
        return min(ahead) + timedelta(days=1)


def dates_on(
    *,
    status: str,
    end_on: date | None,
    notice_period_months: int,
    auto_renewal: bool,
    renewal_term_months: int,
    today: date,
) -> ContractDates:
    """The dates of a contract with these terms on `today` (the rules of the module's
    docstring: drafts have no notice deadline yet, finished contracts no dates at all)."""
    if status in FINISHED_STATUSES or end_on is None:
        return ContractDates()
    term_end = current_term_end(
        end_on, auto_renewal=auto_renewal, renewal_term_months=renewal_term_months, today=today
    )
    next_renewal_on = term_end if auto_renewal else None
    if status in NO_NOTICE_STATUSES:
        return ContractDates(term_end=term_end, next_renewal_on=next_renewal_on)

    def on(rule: Callable[..., date | None]) -> date | None:
        return rule(
            end_on,
            notice_period_months=notice_period_months,
            auto_renewal=auto_renewal,
            renewal_term_months=renewal_term_months,
            today=today,
        )

    return ContractDates(
        term_end=term_end,
        notice_deadline=on(notice_deadline),
        missed_notice_deadline=on(missed_notice_deadline),
        next_notice_deadline=on(next_notice_deadline),
        next_renewal_on=next_renewal_on,
    )


# The stored column of each date, read by lists under the names of ContractDates' fields.
STORED = {
    "term_end": "term_end_on",
    "notice_deadline": "notice_deadline_on",
    "missed_notice_deadline": "missed_notice_on",
    "next_notice_deadline": "next_notice_on",
    "next_renewal_on": "renews_on",
}
STORED_FIELDS = (*STORED.values(), "dates_as_of", "dates_change_on")


def stored_values(dates: ContractDates, today: date) -> dict[str, date | None]:
    """What a contract stores for `dates` computed on `today`."""
    values: dict[str, date | None] = {
        column: getattr(dates, name) for name, column in STORED.items()
    }
    values["dates_as_of"] = today
    values["dates_change_on"] = dates.change_on(today)
    return values


def not_holding_on(today: date) -> Q:
    """Contracts whose stored dates were computed for another day and may differ on
    `today`: a term end or deadline has passed since, or they were computed for a later
    day (a scan or a test for an earlier date). Both sides use an index."""
    return Q(dates_change_on__lte=today) | Q(dates_as_of__gt=today) | Q(dates_as_of__isnull=True)


def holding_on(queryset, *, today: date):
    """`queryset` with the dates on `today` annotated under the names of ContractDates
    (`term_end`, `notice_deadline`, ...), read from the stored columns after the contracts
    whose stored dates do not hold on that day were brought up to it (see bring_up_to)."""
    bring_up_to(queryset.model, today=today)
    return queryset.annotate(**{name: F(column) for name, column in STORED.items()})


# The day for which every contract's stored dates hold, as the last refresh left them: the
# lists skip the refresh query while it is today (saves store today's dates anyway).
HOLDING_KEY = "contracts:dates-hold-on"


def bring_up_to(model, *, today: date) -> int:
    """Make the stored dates of every contract hold on `today` (see refresh_stale). For
    the current day once per day for all processes sharing the cache: later calls that day
    cost a cache read, no query. For another day (a scan or a list for a given date) every
    time, and the current day's mark goes, as the rows now hold on that other day."""
    current = today == timezone.localdate()
    if current:
        try:
            if cache.get(HOLDING_KEY) == today.isoformat():
                return 0
        except Exception:  # noqa: BLE001 - no cache: refresh every time, still exact
            pass
    count = refresh_stale(model.objects.all(), today=today)
    if current:
        mark_holding(today)
    return count


def mark_holding(today: date) -> None:
    # Saves store the dates of the current day, so only that day can be marked.
    if today != timezone.localdate():
        return
    with contextlib.suppress(Exception):  # no cache: the next list refreshes itself
        cache.set(HOLDING_KEY, today.isoformat(), timeout=24 * 3600)


def _forget_holding() -> None:
    with contextlib.suppress(Exception):
        cache.delete(HOLDING_KEY)


REFRESH_BATCH = 1000


def refresh_stale(queryset, *, today: date) -> int:
    """Recompute and store the dates on `today` of the contracts in `queryset` whose stored
    dates do not hold on it (one indexed query when there are none); returns how many."""
    return refresh(queryset.filter(not_holding_on(today)), today=today)


def refresh(queryset, *, today: date) -> int:
    """Recompute and store the dates on `today` of every contract in `queryset`, in
    batches (bulk loads, the daily task, migrations)."""
    model = queryset.model
    fields = ("pk", "status", "end_on", "notice_period_months", "auto_renewal",
              "renewal_term_months")  # fmt: skip
    count = 0
    batch = []
    for row in queryset.order_by("pk").values(*fields).iterator(chunk_size=REFRESH_BATCH):
        pk = row.pop("pk")
        values = stored_values(dates_on(today=today, **row), today)
        batch.append(model(pk=pk, **values))
        if len(batch) == REFRESH_BATCH:
            count += _write(model, batch)
            batch = []
    count += _write(model, batch)
    if count and today != timezone.localdate():
        _forget_holding()
    return count


def _write(model, batch) -> int:
    if batch:
        model.objects.bulk_update(batch, STORED_FIELDS, batch_size=REFRESH_BATCH)
    return len(batch)


def next_notice_between(today: date, last: date) -> Q:
    """Contracts whose next notice deadline falls between `today` and `last` (stored, read
    by its index; use on a queryset from holding_on() or after refresh_stale())."""
    return Q(next_notice_on__gte=today, next_notice_on__lte=last)
