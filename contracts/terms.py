"""Contract dates: the current term end, the notice deadline and the next renewal.

The same rules twice, on purpose: plain Python for one contract (forms, services, reminders,
tests), and database functions for lists (PL/pgSQL from migrations 0002 and 0004 on
PostgreSQL, these Python functions registered on SQLite), so that filtering and sorting by
the notice deadline happen in the database and a page of any size is one query. Tests
check that both agree. The next notice deadline is also stored on each contract
(`Contract.next_notice_on`), so that the deadline lists filter along an index instead of
calling the function for every contract (next_notice(), next_notice_between()).

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
from datetime import date

from django.db import models
from django.db.models import Case, F, Func, Q, Value, When
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

FINISHED_STATUSES = ("terminated", "expired")
# A draft is not signed yet: nobody can give notice on it.
NO_NOTICE_STATUSES = ("draft", *FINISHED_STATUSES)
LIVE = ~Q(status__in=FINISHED_STATUSES) & Q(end_on__isnull=False)
NOTICEABLE = ~Q(status__in=NO_NOTICE_STATUSES) & Q(end_on__isnull=False)


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


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _sqlite_notice_deadline(term_end: str | None, months: int | None) -> str | None:
    if term_end is None or months is None:
        return None
    return _iso(notice_deadline_for(date.fromisoformat(term_end), int(months)))


def _sqlite_term_end(end_on, auto_renewal, term_months, today) -> str | None:
    if None in (end_on, auto_renewal, term_months, today):
        return None
    return _iso(
        current_term_end(
            _day(end_on),
            auto_renewal=bool(auto_renewal),
            renewal_term_months=int(term_months),
            today=date.fromisoformat(today),
        )
    )


def _sqlite_next_notice_deadline(end_on, months, auto_renewal, term_months, today):
    if None in (end_on, months, auto_renewal, term_months, today):
        return None
    return _iso(
        next_notice_deadline(
            _day(end_on),
            notice_period_months=int(months),
            auto_renewal=bool(auto_renewal),
            renewal_term_months=int(term_months),
            today=date.fromisoformat(today),
        )
    )


def _sqlite_missed_notice_deadline(end_on, months, auto_renewal, term_months, today):
    if None in (end_on, months, auto_renewal, term_months, today):
        return None
    return _iso(
        missed_notice_deadline(
            _day(end_on),
            notice_period_months=int(months),
            auto_renewal=bool(auto_renewal),
            renewal_term_months=int(term_months),
            today=date.fromisoformat(today),
        )
    )


SQLITE_FUNCTIONS = {
    "kam_notice_deadline": (2, _sqlite_notice_deadline),
    "kam_term_end": (4, _sqlite_term_end),
    "kam_next_notice_deadline": (5, _sqlite_next_notice_deadline),
    "kam_missed_notice_deadline": (5, _sqlite_missed_notice_deadline),
}


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Connect the contract date functions to each new SQLite connection
    (`connection_created`); PostgreSQL has them from migrations 0002, 0004 and 0006."""
    if connection.vendor == "sqlite":
        for name, (arity, function) in SQLITE_FUNCTIONS.items():
            connection.connection.create_function(name, arity, function, deterministic=True)


class TermEnd(Func):
    """SQL for current_term_end() (database function `kam_term_end`)."""

    function = "kam_term_end"
    output_field = models.DateField()

    def __init__(self, today: date):
        super().__init__(F("end_on"), F("auto_renewal"), F("renewal_term_months"), _date(today))


class NoticeDeadline(Func):
    """SQL for notice_deadline_for() (database function `kam_notice_deadline`)."""

    function = "kam_notice_deadline"
    output_field = models.DateField()
    arity = 2


class _ContractDates(Func):
    output_field = models.DateField()

    def __init__(self, today: date):
        super().__init__(
            F("end_on"),
            F("notice_period_months"),
            F("auto_renewal"),
            F("renewal_term_months"),
            _date(today),
        )


class NextNoticeDeadline(_ContractDates):
    """SQL for next_notice_deadline() (database function `kam_next_notice_deadline`)."""

    function = "kam_next_notice_deadline"


class MissedNoticeDeadline(_ContractDates):
    """SQL for missed_notice_deadline() (database function `kam_missed_notice_deadline`)."""

    function = "kam_missed_notice_deadline"


def _date(day: date) -> Value:
    return Value(day, output_field=models.DateField())


def computed_next_notice(today: date) -> Case:
    """next_notice_deadline() on `today`, computed by the database function for each row
    (what `Contract.next_notice_on` stores, and what the lists use where it has passed)."""
    return Case(
        When(NOTICEABLE, then=NextNoticeDeadline(today)),
        default=None,
        output_field=models.DateField(),
    )


def _stored_holds(today: date) -> bool:
    # Stored dates were computed on a day up to the current one, so they answer for today
    # and later days; for an earlier day (a review's past meeting, tests) only the function
    # is right.
    return today >= timezone.localdate()


def next_notice(today: date) -> Case:
    """The next notice deadline on `today`: the stored `next_notice_on` while it has not
    passed (a stored None stays right until the contract is saved again), else computed."""
    if not _stored_holds(today):
        return computed_next_notice(today)
    return Case(
        When(next_notice_on__lt=today, then=computed_next_notice(today)),
        default=F("next_notice_on"),
        output_field=models.DateField(),
    )


def next_notice_between(today: date, last: date) -> Q:
    """Contracts whose next notice deadline on `today` falls between today and `last`.
    Shaped for the index on `next_notice_on`: the stored dates in range, or those that have
    passed (few: the daily task refreshes them) with the computed date in range."""
    computed = computed_next_notice(today)
    # The function never answers a day before `today`.
    computed_in_range = Q(LessThanOrEqual(computed, _date(last)))
    if not _stored_holds(today):
        return computed_in_range
    return Q(next_notice_on__gte=today, next_notice_on__lte=last) | (
        Q(next_notice_on__lt=today) & computed_in_range
    )


def with_terms(queryset, *, today: date):
    """Annotate `term_end`, `notice_deadline` (of the current term), `missed_notice_deadline`,
    `next_notice_deadline` and `next_renewal_on` (None where they do not apply), computed in
    SQL so that lists filter and sort by them (filter on the next notice deadline with
    next_notice_between(), which can use the index)."""
    return (
        queryset.annotate(
            term_end=Case(
                When(LIVE, then=TermEnd(today)),
                default=None,
                output_field=models.DateField(),
            ),
        )
        .annotate(
            notice_deadline=Case(
                When(
                    NOTICEABLE,
                    then=NoticeDeadline(TermEnd(today), F("notice_period_months")),
                ),
                default=None,
                output_field=models.DateField(),
            ),
            next_renewal_on=Case(
                When(LIVE & Q(auto_renewal=True), then=F("term_end")),
                default=None,
                output_field=models.DateField(),
            ),
        )
        .annotate(
            missed_notice_deadline=Case(
                When(NOTICEABLE, then=MissedNoticeDeadline(today)),
                default=None,
                output_field=models.DateField(),
            ),
            next_notice_deadline=next_notice(today),
        )
    )
