"""Reads shared by pages, API, search and tasks. Each starts from the access scope."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import visible_accounts, visible_contacts
from accounts.models import Account, Contact, YearlyFigures
from accounts.search import search_accounts, search_contacts

MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)


def current_year() -> int:
    return timezone.localdate().year


def _year_value(field: str, year: int):
    return Subquery(
        YearlyFigures.objects.filter(account=OuterRef("pk"), year=year).values(field)[:1],
        output_field=MONEY_FIELD,
    )


def account_list(user, *, year: int | None = None) -> QuerySet[Account]:
    """Visible accounts with the owner preloaded, the parent's name where the user may see
    the parent (`visible_parent_name`), and this year's figures annotated (year_revenue,
    year_revenue_target, year_revenue_potential): one query for a whole page."""
    year = year or current_year()
    visible = visible_accounts(user)
    return visible.select_related("owner").annotate(
        visible_parent_name=Subquery(visible.filter(pk=OuterRef("parent_id")).values("name")[:1]),
        year_revenue=_year_value("revenue", year),
        year_revenue_target=_year_value("revenue_target", year),
        year_revenue_potential=_year_value("revenue_potential", year),
    )


def group_figures(account: Account) -> list[dict]:
    """Per year, the totals of the account and every subsidiary below it, summed in SQL."""
    zero = Value(Decimal("0"), output_field=MONEY_FIELD)
    rows = (
        YearlyFigures.objects.filter(account__path__startswith=account.path)
        .values("year")
        .annotate(
            revenue=Coalesce(Sum("revenue"), zero),
            contribution_margin=Coalesce(Sum("contribution_margin"), zero),
            revenue_target=Sum("revenue_target"),
            margin_target=Sum("margin_target"),
            revenue_potential=Sum("revenue_potential"),
        )
        .order_by("-year")
    )
    return list(rows)


def group_members(account: Account) -> QuerySet[Account]:
    """The account and all accounts below it, deepest last."""
    return Account.objects.filter(path__startswith=account.path).order_by("path")


def search(user, query: str, *, limit: int = 8) -> tuple[list[Account], list[Contact]]:
    """The header search: visible accounts by name, legal name, city or external ID and
    visible contacts by name or e-mail, best match first (accounts.search)."""
    accounts = search_accounts(visible_accounts(user), query)
    contacts = search_contacts(visible_contacts(user).select_related("account"), query)
    return list(accounts[:limit]), list(contacts[:limit])


def contact_list(user) -> QuerySet[Contact]:
    """Visible contacts with account, reports-to and relationship owner preloaded."""
    return visible_contacts(user).select_related("account", "reports_to", "relationship_owner")


def account_header_figures(account: Account) -> dict:
    """Open pipeline (and weighted) of the account and its subsidiaries, and its open
    customer issues: two aggregate queries for the account page header."""
    from customer_care.selectors import open_issues_for_account
    from deals.selectors import account_pipeline_totals

    group_ids = Account.objects.filter(path__startswith=account.path).values("pk")
    return {
        "pipeline": account_pipeline_totals(group_ids),
        "open_issue_count": open_issues_for_account(account).count(),
    }
