"""Contract dates: the current term end, the notice deadline and the next renewal.

The same rules twice, on purpose: plain Python for one contract (forms, services, tests),
and SQL expressions for lists, so that filtering and sorting by the notice deadline happen
in the database and a page of any size is one query. Tests check that both agree.

Month arithmetic follows the calendar: adding a month to 31 January gives 28 (or 29)
February, the last day of the shorter month, as contracts and PostgreSQL count.

Rules:
- a contract without an end date (open-ended) has no term end, deadline or renewal;
- the term end is the end date; for an automatically renewing contract whose end date has
  passed, it rolls forward by whole renewal terms to the end of the current term;
- the notice deadline is the term end minus the notice period;
- the next renewal is the current term end of an automatically renewing contract (unless
  notice is given by the deadline, the contract then runs for another term);
- terminated and expired contracts have none of these.
"""

import calendar
from datetime import date

from django.db import models
from django.db.models import Case, F, Func, Q, Value, When
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.db.models.lookups import LessThan

from kam.validators import DATE_MAX, DATE_MIN, is_sane_date

FINISHED_STATUSES = ("terminated", "expired")
# The model refuses values outside these; rows stored before (or by hand) are computed as
# having no term end, so no date arithmetic can leave the calendar and fail a list.
MAX_NOTICE_MONTHS = 60
MAX_RENEWAL_MONTHS = 120


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` calendar months, clamped to the last day of the month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def current_term_end(
    end_on: date | None, *, auto_renewal: bool, renewal_term_months: int, today: date
) -> date | None:
    if not is_sane_date(end_on) or not is_sane_date(today):
        return None
    if not auto_renewal or end_on >= today or not 1 <= renewal_term_months <= MAX_RENEWAL_MONTHS:
        return end_on
    # Count the terms from the original end date (not term by term), so that a 31st that
    # once fell on a 30th does not stay shortened for every later term.
    months_since = (today.year - end_on.year) * 12 + today.month - end_on.month
    terms = -(-months_since // renewal_term_months)  # ceiling
    term_end = add_months(end_on, terms * renewal_term_months)
    if term_end < today:
        term_end = add_months(end_on, (terms + 1) * renewal_term_months)
    return term_end


def notice_deadline(
    end_on: date | None,
    *,
    notice_period_months: int,
    auto_renewal: bool,
    renewal_term_months: int,
    today: date,
) -> date | None:
    term_end = current_term_end(
        end_on, auto_renewal=auto_renewal, renewal_term_months=renewal_term_months, today=today
    )
    if term_end is None or not 0 <= notice_period_months <= MAX_NOTICE_MONTHS:
        return None
    return add_months(term_end, -notice_period_months)


def next_renewal(
    end_on: date | None, *, auto_renewal: bool, renewal_term_months: int, today: date
) -> date | None:
    if not auto_renewal:
        return None
    return current_term_end(
        end_on, auto_renewal=True, renewal_term_months=renewal_term_months, today=today
    )


class AddMonths(Func):
    """SQL: a date moved by a number of months, clamped to the month's last day."""

    output_field = models.DateField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        day_sql, day_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "postgresql":
            # PostgreSQL's interval arithmetic already clamps (31 Jan + 1 month = 28/29 Feb).
            sql = f"(({day_sql}) + make_interval(months => ({months_sql})::integer))::date"
            return sql, (*day_params, *months_params)
        if connection.vendor == "sqlite":
            # SQLite's "+N months" overflows into the next month (31 Jan + 1 month = 3 Mar):
            # take the first of the target month, add the day of the month, and cap the
            # result at the target month's last day.
            first = f"date({day_sql}, 'start of month', printf('%%+d months', {months_sql}))"
            day_of_month = f"CAST(strftime('%%d', {day_sql}) AS INTEGER)"
            shifted = f"date({first}, printf('%%+d days', {day_of_month} - 1))"
            last = (
                f"date({day_sql}, 'start of month', printf('%%+d months', ({months_sql}) + 1),"
                " '-1 day')"
            )
            params = (*day_params, *months_params, *day_params, *day_params, *months_params)
            return f"min({shifted}, {last})", params
        raise NotImplementedError(f"AddMonths is not written for {connection.vendor}")


def term_end_expression(today: date):
    """SQL for current_term_end() of a contract that has an end date."""
    today_index = today.year * 12 + today.month
    term = F("renewal_term_months")
    # EXTRACT gives numeric on PostgreSQL: cast, so that the division below is an integer
    # division (rounding down the non-negative numbers that reach it), as on SQLite.
    months_since = Cast(
        Value(today_index) - (ExtractYear("end_on") * 12 + ExtractMonth("end_on")),
        models.IntegerField(),
    )
    terms = Cast((months_since + term - 1) / term, models.IntegerField())
    first_try = AddMonths(F("end_on"), terms * term)
    rolled = Case(
        When(LessThan(first_try, Value(today)), then=AddMonths(F("end_on"), (terms + 1) * term)),
        default=first_try,
    )
    return Case(
        When(
            Q(
                end_on__lt=today,
                auto_renewal=True,
                renewal_term_months__gte=1,
                renewal_term_months__lte=MAX_RENEWAL_MONTHS,
            ),
            then=rolled,
        ),
        default=F("end_on"),
        output_field=models.DateField(),
    )


def with_terms(queryset, *, today: date):
    """Annotate `term_end`, `notice_deadline` and `next_renewal_on` (None for finished and
    open-ended contracts), computed in SQL so that lists filter and sort by them."""
    live = ~Q(status__in=FINISHED_STATUSES) & Q(end_on__range=(DATE_MIN, DATE_MAX))
    return queryset.annotate(
        term_end=Case(
            When(live, then=term_end_expression(today)),
            default=None,
            output_field=models.DateField(),
        ),
    ).annotate(
        notice_deadline=Case(
            When(
                live & Q(notice_period_months__range=(0, MAX_NOTICE_MONTHS)),
                then=AddMonths(F("term_end"), -F("notice_period_months")),
            ),
            default=None,
            output_field=models.DateField(),
        ),
        next_renewal_on=Case(
            When(live & Q(auto_renewal=True), then=F("term_end")),
            default=None,
            output_field=models.DateField(),
        ),
    )
