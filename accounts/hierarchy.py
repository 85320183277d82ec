"""The account hierarchy as it stood: past years are summed with the groups of their time.

An account's `path` says where it stands now. `AccountPlacement` keeps where it stood
before: every move closes the account's open row on the day of the move and opens a new
one, for the account and everything below it (their paths change with it). A year is
summed with the hierarchy as it stood at the year's end (31 December): moving a
subsidiary to another group this year moves this year's figures, never last year's.

The reads need only the *closed* rows: where no closed row covers a day, the account
stood where it stands now (its open row says the same as its path). So a hierarchy that
never changed costs one join that finds nothing.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import (
    CharField,
    DateField,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from accounts.models import Account, AccountPlacement, path_ids

PLACEMENTS = "accounts_accountplacement"


# ---------------------------------------------------------------- reads in SQL


def year_end_sql(year: str) -> str:
    """31 December of the year the SQL expression `year` gives, as a date (SQLite keeps
    dates as ISO text, which compares as dates do)."""
    if connection.vendor == "postgresql":
        return f"make_date(CAST({year} AS integer), 12, 31)"
    return f"(CAST({year} AS text) || '-12-31')"


def covers_sql(h: str, day: str) -> str:
    """The closed placement `h` held on `day`."""
    return (
        f"{h}.valid_to IS NOT NULL AND {h}.valid_to > {day}"
        f" AND ({h}.valid_from IS NULL OR {h}.valid_from <= {day})"
    )


def dated_path_join(*, account: str, year: str, h: str = "hp") -> tuple[str, str]:
    """A LEFT JOIN of the closed placement of `account` (an alias of accounts_account)
    covering the end of `year` (an SQL expression), and the path the account had then:
    (join clause, path expression). Closed rows of one account never overlap, so the
    join adds no rows."""
    join = (
        f"LEFT JOIN {PLACEMENTS} {h} ON {h}.account_id = {account}.id"
        f" AND {covers_sql(h, year_end_sql(year))}"
    )
    return join, f"COALESCE({h}.path, {account}.path)"


# ---------------------------------------------------------------- reads in the ORM


class YearEnd(Func):
    """31 December of a year expression, as a date."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        inner, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"make_date(CAST({inner} AS integer), 12, 31)", params
        return f"(CAST({inner} AS text) || '-12-31')", params


def closed_placements_at(day) -> QuerySet[AccountPlacement]:
    """Closed placements that held on `day` (a date or an expression)."""
    return AccountPlacement.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        valid_to__isnull=False,
        valid_to__gt=day,
    )


def segment(account_id) -> Concat:
    """'/<id>/', the part of a path that says "below this account or the account itself"."""
    return Concat(Value("/"), Cast(account_id, CharField()), Value("/"), output_field=CharField())


def _deeper(expression):
    """The same value seen from a subquery one level further in."""
    if isinstance(expression, OuterRef):
        return OuterRef(expression)
    if isinstance(expression, F):
        return OuterRef(expression.name)
    return expression


def figures_in_group(
    figures: QuerySet, *, group_id, group_path=None, year, members: list[int] | None = None
) -> QuerySet:
    """The yearly figures of accounts that stood in the group of `group_id` (the account
    itself and everything below it) at the end of `year`; `group_id`, `group_path` (its
    path now) and `year` are expressions of the figures query (F, OuterRef or values);
    `members` (the group's ids now) may stand for `group_path`.

    The candidates are the group's members now (along the path index) and the accounts
    that ever stood in it (closed placements); each is kept if its path at the year's end
    runs through the group."""
    once_in = AccountPlacement.objects.filter(
        valid_to__isnull=False, path__contains=segment(_deeper(group_id))
    ).values("account_id")
    held = closed_placements_at(YearEnd(_deeper(year))).filter(account_id=OuterRef("account_id"))
    then = Coalesce(
        Subquery(held.order_by("-pk").values("path")[:1]),
        F("account__path"),
        output_field=CharField(),
    )
    return (
        figures.filter(
            (
                Q(account_id__in=members)
                if members is not None
                else Q(account__path__in_subtree_of=group_path)
            )
            | Q(account_id__in=once_in)
        )
        .alias(path_then=then)
        .filter(path_then__contains=segment(group_id))
    )


# ---------------------------------------------------------------- writes


def placement_open(account: Account) -> None:
    """The first placement of a new account: where it stands, since the beginning."""
    AccountPlacement.objects.create(
        account=account, parent_id=account.parent_id, path=account.path, valid_from=None
    )


def placements_moved(*, before: dict[int, str], day: date | None = None) -> None:
    """Record a move: `before` maps every account of the moved subtree to its path before
    the move (their rows already hold the new paths). Their open rows close on `day`
    (today) and new ones open; an account without any row (loaded around the services)
    first gets its old place since the beginning. A row opened the same day is replaced,
    not closed (it never held at a day's end)."""
    day = day or timezone.localdate()
    ids = list(before)
    open_rows = AccountPlacement.objects.filter(account_id__in=ids, valid_to__isnull=True)
    open_rows.filter(valid_from=day).delete()
    open_rows.update(valid_to=day)
    known = set(
        AccountPlacement.objects.filter(account_id__in=ids).values_list("account_id", flat=True)
    )
    first = [
        AccountPlacement(
            account_id=pk, parent_id=_parent_of(path), path=path, valid_from=None, valid_to=day
        )
        for pk, path in before.items()
        if pk not in known
    ]
    now = Account.objects.filter(pk__in=ids).values_list("pk", "parent_id", "path")
    fresh = [
        AccountPlacement(account_id=pk, parent_id=parent_id, path=path, valid_from=day)
        for pk, parent_id, path in now
    ]
    AccountPlacement.objects.bulk_create([*first, *fresh])


def _parent_of(path: str) -> int | None:
    ids = path_ids(path)
    return ids[-2] if len(ids) > 1 else None
