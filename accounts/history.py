"""The History tab: field-level changes of an account and the records that hang off it."""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils.translation import gettext as _

from accounts.access import visible_accounts, visible_contacts
from accounts.models import (
    Account,
    Contact,
    Merge,
    ProfileSection,
    TeamMembership,
    YearlyFigures,
)
from kam import registry
from kam.history import display, model_field
from users.models import User

HISTORY_LIMIT = 100


@dataclass
class Change:
    when: datetime
    who: str
    what: str  # the record, e.g. "Figures 2025"
    kind: str  # "+", "~", "-"
    changes: list[tuple[str, str, str]]  # (field label, old, new)


def _label(model, field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:  # noqa: BLE001 - a removed field keeps its raw name
        return field_name


def _describe(record, previous, model, names) -> list[tuple[str, str, str]]:
    if previous is None:
        return []
    delta = record.diff_against(previous)
    return [
        (
            _label(model, change.field),
            names(model, change.field, change.old),
            names(model, change.field, change.new),
        )
        for change in delta.changes
    ]


class _Names:
    """Links in history rows (parent, reports-to, owner) as names: an account or contact
    the viewer may not see is never named or shown by id."""

    def __init__(self, viewer: User, records) -> None:
        wanted: dict[type, set] = {Account: set(), Contact: set(), User: set()}
        self.fields: dict[tuple[type, str], type | None] = {}
        for model, record, _label_text, before in records:
            if before is None:
                continue
            for change in record.diff_against(before).changes:
                related = self._related(model, change.field)
                if related is not None:
                    wanted[related].update(v for v in (change.old, change.new) if v is not None)
        self.known = {
            Account: dict(
                visible_accounts(viewer).filter(pk__in=wanted[Account]).values_list("pk", "name")
            ),
            Contact: {
                c.pk: str(c) for c in visible_contacts(viewer).filter(pk__in=wanted[Contact])
            },
            User: {u.pk: str(u) for u in User.objects.filter(pk__in=wanted[User])},
        }

    def _related(self, model, field_name: str):
        key = (model, field_name)
        if key not in self.fields:
            try:
                field = model._meta.get_field(field_name)
            except Exception:  # noqa: BLE001 - a removed field keeps its raw name
                field = None
            related = field.related_model if isinstance(field, models.ForeignKey) else None
            self.fields[key] = related if related in (Account, Contact, User) else None
        return self.fields[key]

    def __call__(self, model, field_name: str, value) -> str:
        related = self._related(model, field_name)
        if value in (None, ""):
            return _text(value)
        if related is None:
            field = model_field(model, field_name)
            if field is None or field.is_relation:
                return _text(value)
            return display(model, field_name, value, {})  # choice labels, dates, yes/no
        return self.known[related].get(value) or _("a record you cannot see")


def _text(value) -> str:
    return "–" if value in (None, "") else str(value)


def account_history(account: Account, *, viewer: User) -> list[Change]:
    """The latest changes, newest first (a bounded number of history rows per model)."""
    merges = list(account.merges.select_related("merged_by").order_by("-merged_at")[:HISTORY_LIMIT])
    merged_accounts = [m.merged_id for m in merges if m.kind == Merge.Kind.ACCOUNT]
    sources = [
        # The account's own rows, and those of the accounts merged into it.
        (
            Account,
            Account.history.filter(id__in=[account.pk, *merged_accounts]),
            lambda r: r.name,
        ),
        (
            YearlyFigures,
            YearlyFigures.history.filter(account_id=account.pk),
            lambda r: f"{YearlyFigures._meta.verbose_name} {r.year}",
        ),
        (
            Contact,
            Contact.history.filter(account_id=account.pk),
            lambda r: f"{Contact._meta.verbose_name}: {r.first_name} {r.last_name}".strip(),
        ),
        (
            ProfileSection,
            ProfileSection.history.filter(account_id=account.pk),
            lambda r: f"{ProfileSection._meta.verbose_name}: {ProfileSection.Kind(r.kind).label}",
        ),
        (
            TeamMembership,
            TeamMembership.history.filter(account_id=account.pk).select_related("user"),
            lambda r: f"{TeamMembership._meta.verbose_name}: {r.user}",
        ),
    ]
    # Records of other apps (the contact log, ...), registered in kam.registry.
    for entry in registry.account_history_sources:
        sources += entry.sources(account=account)
    records = []
    for model, queryset, name in sources:
        rows = list(
            queryset.select_related("history_user").order_by("-history_date")[: HISTORY_LIMIT * 2]
        )
        # Diff each row against the previous row of the same object, from what is loaded:
        # prev_record would cost one query per row.
        previous: dict[int, object] = {}
        for row in sorted(rows, key=lambda r: r.history_date):
            records.append((model, row, name(row), previous.get(row.id)))
            previous[row.id] = row
    records.sort(key=lambda item: item[1].history_date, reverse=True)
    records = records[:HISTORY_LIMIT]
    names = _Names(viewer, records)
    merged = [_merge_change(merge) for merge in merges]
    return sorted(
        merged
        + [
            Change(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "–",
                what=label,
                kind=record.history_type,
                changes=_describe(record, before, model, names),
            )
            for model, record, label, before in records
        ],
        key=lambda change: change.when,
        reverse=True,
    )[:HISTORY_LIMIT]


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
            changes.append((_label(model, name), old, new))
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
    )
