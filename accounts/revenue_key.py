"""This year's revenue of each account, stored as `Account.revenue_key`.

The account list sorts by "Revenue", that is this year's row of another table. As a
subquery it is probed for every account in scope (10,000 for a head of sales) before a
page can be cut; as a column with an index per direction, a sorted page is an index walk.

Every save or delete of figures through the ORM sets the account's key by signal (pages,
API, admin; a row moved to another account sets both). Writes around the signals (bulk
inserts, `QuerySet.update`, `loaddata`) leave it to `manage.py refresh_revenue_keys`;
the benchmark generator calls `refresh` itself.

At New Year every key still holds last year's revenue until the nightly task `refresh` has
moved it to the new year; until then `sort_field` sorts by the subquery, so the list is
never ordered by last year's revenue.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save, pre_save

from accounts.models import Account, YearlyFigures, this_year
from accounts.selectors import year_value


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


def _before_save(sender, instance: YearlyFigures, raw: bool = False, **kwargs) -> None:
    """Note the account a stored row belonged to: the admin can move a row to another
    account, whose key changes as well as the old one's."""
    if not raw and instance.pk:
        instance._revenue_key_was = (  # type: ignore[attr-defined]
            YearlyFigures.objects.filter(pk=instance.pk)
            .values_list("account_id", flat=True)
            .first()
        )


def _saved(sender, instance: YearlyFigures, raw: bool = False, **kwargs) -> None:
    if not raw:
        ids: set[int] = {instance.account_id}
        was = getattr(instance, "_revenue_key_was", None)
        if was is not None:
            ids.add(was)
        refresh(ids)


def _deleted(sender, instance: YearlyFigures, origin=None, **kwargs) -> None:
    # Deleted with its account (or a queryset of accounts): nothing left to keep.
    if isinstance(origin, Account) or getattr(origin, "model", None) is Account:
        return
    refresh([instance.account_id])


def connect() -> None:
    """Called from AccountsConfig.ready()."""
    pre_save.connect(_before_save, sender=YearlyFigures, dispatch_uid="accounts-revenue-key-was")
    post_save.connect(_saved, sender=YearlyFigures, dispatch_uid="accounts-revenue-key")
    post_delete.connect(_deleted, sender=YearlyFigures, dispatch_uid="accounts-revenue-key-delete")
