"""Every per-object history, read one way: `object_history(viewer, key, record)`.

Each app registers the history of its kinds of record (the rows of which models belong
to it) in kam.registry.history_kinds from its AppConfig.ready(); this module reads a
page of it with kam.history (one page size, settings.HISTORY_PAGE_SIZE, and an "older
entries" cursor), naming related records only within the viewer's scope. The account's
History tab is the kind "account": its own records, those other apps register in
kam.registry.account_history_sources, and its merges.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext as _

from accounts.access import scoped, visible_accounts
from accounts.models import (
    Account,
    Contact,
    Merge,
    ProfileSection,
    TeamMembership,
    YearlyFigures,
)
from kam import registry
from kam.history import Change, Cursor, Namer, Page, Source, label, page
from kam.http import AuthedHttpRequest
from users.models import User


def scoped_names(viewer: User) -> Namer:
    """Names for the foreign keys in a history, as `viewer` may read them: an account, or
    a record hanging off one, outside the viewer's scope is never named (nor shown by
    id) but called "a record you cannot see"; a deleted one is "(deleted)"."""

    def names(wanted: Mapping[type[models.Model], set]) -> dict[tuple[Any, Any], str]:
        found: dict[tuple[Any, Any], str] = {}
        for related, pks in wanted.items():
            records = related._default_manager.in_bulk(list(pks))
            if related is Account:
                seen = set(visible_accounts(viewer).filter(pk__in=pks).values_list("pk", flat=True))
            elif any(f.name == "account" for f in related._meta.get_fields()):
                rows = scoped(viewer, related._default_manager.filter(pk__in=pks))
                seen = set(rows.values_list("pk", flat=True))
            else:
                seen = set(records)
            for pk, record in records.items():
                found[(related, pk)] = str(record) if pk in seen else _("a record you cannot see")
        return found

    return names


def object_history(
    viewer: User, key: str, record: models.Model, *, before: str | None = None
) -> Page:
    """One page of the history of `record` (a kind registered in kam.registry.history_kinds
    under `key`), newest first, after the cursor `before` of an "older entries" link.
    The caller fetched `record` through the viewer's scope; related records outside it
    are not named. Every history list, tab and page reads its entries here."""
    kind = registry.history_kinds.get(key)
    if kind is None:
        raise LookupError(f"no history kind {key!r}")
    if not isinstance(record, kind.model):
        raise TypeError(f"history {key!r} is about {kind.model.__name__}, not {record!r}")
    cursor = Cursor.parse(before)
    limit = settings.HISTORY_PAGE_SIZE
    extra = kind.extra(record, before=cursor, limit=limit + 1) if kind.extra else []
    return page(
        kind.sources(record), limit=limit, before=cursor, names=scoped_names(viewer), extra=extra
    )


def history_context(
    request: AuthedHttpRequest, key: str, record: models.Model, *, target: str = ""
) -> dict[str, Any]:
    """The context templates/kam/history.html reads: the entries (`history`) and the
    link to older ones (`history_older`, the current address with `before=`); `target`
    is where an htmx "older entries" request swaps in (a tab panel), if anywhere."""
    shown = object_history(request.user, key, record, before=request.GET.get("before"))
    older = ""
    if shown.older is not None:
        # The page asked for, keeping its query (`?tab=history`); after a POST the page
        # or tab the kind names.
        if request.method == "GET":
            path, query = request.path, request.GET.copy()
        else:
            kind = registry.history_kinds.get(key)
            path = kind.url(record) if kind is not None else request.path
            query = QueryDict(mutable=True)
        query["before"] = str(shown.older)
        older = f"{path}?{query.urlencode()}"
    return {"history": shown.changes, "history_older": older, "history_target": target}


def account_sources(account: Account) -> list[Source]:
    """The account's own rows (and those of the accounts merged into it), its figures,
    contacts, profile and team, and the records other apps register in
    kam.registry.account_history_sources (the contact log, ...)."""
    merged = list(
        account.merges.filter(kind=Merge.Kind.ACCOUNT).values_list("merged_id", flat=True)
    )
    sources = [
        Source(
            Account,
            Account.history.filter(id__in=[account.pk, *merged]),
            lambda r: r.name,
            key="account",
        ),
        Source(
            YearlyFigures,
            YearlyFigures.history.filter(account_id=account.pk),
            lambda r: f"{YearlyFigures._meta.verbose_name} {r.year}",
            key="figures",
        ),
        Source(
            Contact,
            Contact.history.filter(account_id=account.pk),
            lambda r: f"{Contact._meta.verbose_name}: {r.first_name} {r.last_name}".strip(),
            key="contact",
        ),
        Source(
            ProfileSection,
            ProfileSection.history.filter(account_id=account.pk),
            lambda r: f"{ProfileSection._meta.verbose_name}: {ProfileSection.Kind(r.kind).label}",
            key="profile",
        ),
        Source(
            TeamMembership,
            TeamMembership.history.filter(account_id=account.pk).select_related("user"),
            lambda r: f"{TeamMembership._meta.verbose_name}: {r.user}",
            key="team",
        ),
    ]
    for entry in registry.account_history_sources:
        sources += entry.sources(account=account)
    return sources


def account_merges(account: Account, *, before: Cursor | None, limit: int) -> list[Change]:
    """The merges into the account, as history entries (one query)."""
    merges = account.merges.select_related("merged_by")
    if before is not None:
        merges = merges.filter(before.older("merge", when="merged_at", id="pk"))
    merges = merges.order_by("-merged_at", "-pk")[:limit]
    return [_merge_change(merge) for merge in merges]


def account_history(account: Account, *, viewer: User) -> list[Change]:
    """The newest page of the account's History tab."""
    return object_history(viewer, "account", account).changes


def _merge_change(merge: Merge) -> Change:
    """A merge as the history shows it: who merged what into this record, and for each
    field taken from the merged record the value before and the value kept."""
    model = Account if merge.kind == Merge.Kind.ACCOUNT else Contact
    changes = []
    for entry in merge.choices:
        if entry[0] == "figures":
            _figures, year, choice = entry
            kept = {
                "add": _("added"),
                "survivor": _("this account's kept"),
                "merged": _("the merged account's kept"),
            }.get(choice, choice)
            changes.append((f"{YearlyFigures._meta.verbose_name} {year}", "", str(kept)))
        else:
            name, old, new = entry
            changes.append((label(model, name), old, new))
    what = (
        _("Account “%(name)s” merged into this one")
        if merge.kind == Merge.Kind.ACCOUNT
        else _("Contact “%(name)s” merged into another")
    ) % {"name": merge.merged_name}
    return Change(
        when=merge.merged_at,
        who=str(merge.merged_by) if merge.merged_by else "–",
        what=what,
        kind="merge",
        changes=changes,
        position=(merge.merged_at, "merge", merge.pk),
    )
