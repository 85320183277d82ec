"""The History tab: field-level changes of an account and the records that hang off it."""

from accounts.models import Account, Contact, ProfileSection, TeamMembership, YearlyFigures
from kam.history import Change, Source, changes


def account_history(account: Account) -> list[Change]:
    """The latest changes, newest first (a bounded number of history rows per model)."""
    return changes(
        [
            Source(Account, Account.history.filter(id=account.pk), lambda r: str(account)),
            Source(
                YearlyFigures,
                YearlyFigures.history.filter(account_id=account.pk),
                lambda r: f"{YearlyFigures._meta.verbose_name} {r.year}",
            ),
            Source(
                Contact,
                Contact.history.filter(account_id=account.pk),
                lambda r: f"{Contact._meta.verbose_name}: {r.first_name} {r.last_name}".strip(),
            ),
            Source(
                ProfileSection,
                ProfileSection.history.filter(account_id=account.pk),
                lambda r: (
                    f"{ProfileSection._meta.verbose_name}: {ProfileSection.Kind(r.kind).label}"
                ),
            ),
            Source(
                TeamMembership,
                TeamMembership.history.filter(account_id=account.pk).select_related("user"),
                lambda r: f"{TeamMembership._meta.verbose_name}: {r.user}",
            ),
        ]
    )
