"""The History tab: field-level changes of an account and the records that hang off it."""

from dataclasses import dataclass
from datetime import datetime

from accounts.models import Account, Contact, ProfileSection, TeamMembership, YearlyFigures

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


def _describe(record, previous, model) -> list[tuple[str, str, str]]:
    if previous is None:
        return []
    delta = record.diff_against(previous)
    return [
        (_label(model, change.field), _text(change.old), _text(change.new))
        for change in delta.changes
    ]


def _text(value) -> str:
    return "–" if value in (None, "") else str(value)


def account_history(account: Account) -> list[Change]:
    """The latest changes, newest first (a bounded number of history rows per model)."""
    sources = [
        (Account, Account.history.filter(id=account.pk), lambda r: str(account)),
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
    return [
        Change(
            when=record.history_date,
            who=str(record.history_user) if record.history_user else "–",
            what=label,
            kind=record.history_type,
            changes=_describe(record, before, model),
        )
        for model, record, label, before in records[:HISTORY_LIMIT]
    ]
