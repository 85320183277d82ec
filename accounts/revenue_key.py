"""This year's revenue of each account, stored as `Account.revenue_key`.

The account list sorts by "Revenue", that is this year's row of another table. As a
subquery it is probed for every account in scope (10,000 for a head of sales) before a
page can be cut; as a column with an index per direction, a sorted page is an index walk.

Every write of figures through the services or the admin publishes FiguresChanged, and
the keys of its accounts are set after commit (a row moved to another account in the
admin sets both). Writes around the services (bulk inserts, `QuerySet.update`,
`loaddata`) leave it to `manage.py refresh_revenue_keys`; the benchmark generator calls
`refresh` itself.

At New Year every key still holds last year's revenue until the nightly task `refresh` has
moved it to the new year; until then `sort_field` sorts by the subquery, so the list is
never ordered by last year's revenue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from accounts.models import Account, this_year
from accounts.selectors import year_value
from kam.events import FiguresChanged


def refresh(account_ids: Iterable[int] | None = None, *, year: int | None = None) -> int:
    """Set the key of these accounts to their revenue of `year` (default: this year).
    Without ids, of every account whose key is of an earlier year: the nightly roll-over,
    which has work once a year."""
    year = year or this_year()
    if account_ids is None:
        accounts = Account.objects.filter(revenue_key_year__lt=year)
    else:
        accounts = Account.objects.filter(pk__in=account_ids)
    return accounts.update(revenue_key=year_value("revenue", year), revenue_key_year=year)


def sort_field(year: int | None = None) -> str:
    """The field the list sorts by for "Revenue": the stored key, or the annotated subquery
    (`year_revenue`, see selectors.account_list) while keys of an earlier year remain."""
    year = year or this_year()
    if Account.objects.filter(revenue_key_year__lt=year).exists():
        return "year_revenue"
    return "revenue_key"


def figures_changed(published: Sequence[FiguresChanged]) -> None:
    """Subscribed to FiguresChanged (AccountsConfig.ready()), once per transaction."""
    refresh({event.account_id for event in published})
