"""Reads shared by pages, API, search and tasks. Each starts from the access scope."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from accounts import hierarchy
from accounts.access import (
    visible_account_ids,
    visible_accounts,
    visible_contacts,
    with_visible_manager,
)
from accounts.models import (
    Account,
    Contact,
    YearlyFigures,
    percent,
    share_of_wallet,
    this_year,
)
from accounts.search import (
    FEW_ACCOUNTS,
    best_accounts,
    best_contact_ids,
    search_contacts,
)

MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)


# This year in the site's time zone (the default of the stored revenue key, too).
current_year = this_year


def year_value(field: str, year: int) -> Subquery:
    """The account's figure `field` of `year` (None without a figures row): a subquery."""
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
        year_revenue=year_value("revenue", year),
        year_revenue_target=year_value("revenue_target", year),
        year_revenue_potential=year_value("revenue_potential", year),
    )


def group_figures(account: Account) -> list[dict[str, Any]]:
    """Per year, the totals of the account and every subsidiary below it, summed in SQL
    (three queries: the members' ids, the sums, the names of members without potential).

    A potential compares with the revenue of the same accounts: `share_of_wallet` is given
    only when every member with revenue has a potential; otherwise
    `accounts_without_potential` counts (and `missing_potential` names) the members whose
    potential is missing, and `share_of_wallet_covered` compares the potential with the
    revenue of the members that have one."""
    zero = Value(Decimal("0"), output_field=MONEY_FIELD)
    # The members' ids as a list: with the path condition joined in, PostgreSQL expected
    # four times the 26 accounts of a group and read all 50,000 figure rows.
    members = list(group_members(account).order_by().values_list("pk", flat=True))
    # Each year with the members of its end (accounts.hierarchy): those who stood in the
    # group then, including those that moved away since.
    in_group = hierarchy.figures_in_group(
        YearlyFigures.objects.all(),
        group_id=Value(account.pk),
        members=members,
        year=F("year"),
    )
    without_potential = Q(revenue_potential__isnull=True, revenue__gt=0)
    rows = list(
        in_group.values("year")
        .annotate(
            # Before `revenue` is renamed to its sum below.
            covered_revenue=Coalesce(
                Sum("revenue", filter=Q(revenue_potential__isnull=False)), zero
            ),
            accounts_without_potential=Count("pk", filter=without_potential),
            revenue=Coalesce(Sum("revenue"), zero),
            contribution_margin=Coalesce(Sum("contribution_margin"), zero),
            revenue_target=Sum("revenue_target"),
            margin_target=Sum("margin_target"),
            revenue_potential=Sum("revenue_potential"),
        )
        .order_by("-year")
    )
    missing: dict[int, list[str]] = {}
    for year, name in (
        in_group.filter(without_potential)
        .order_by("year", "account__name")
        .values_list("year", "account__name")
    ):
        missing.setdefault(year, []).append(name)
    # The rows get keys of their own below: plain dicts, not the values() row type.
    table = cast(list[dict[str, Any]], rows)
    for row in table:
        covered = share_of_wallet(row.pop("covered_revenue"), row["revenue_potential"])
        complete = not row["accounts_without_potential"]
        row["share_of_wallet"] = covered if complete else None
        row["share_of_wallet_covered"] = covered
        row["missing_potential"] = missing.get(row["year"], [])
    return table


def group_members(account: Account) -> QuerySet[Account]:
    """The account and all accounts below it, deepest last."""
    return Account.objects.filter(path__startswith=account.path).order_by("path")


def search(user, query: str, *, limit: int = 8) -> tuple[list[Account], list[Contact]]:
    """The header search: visible accounts by name, legal name, city or external ID and
    visible contacts by name or e-mail, best match first (accounts.search)."""
    accounts = best_accounts(visible_accounts(user), query, limit=limit)
    # The best contacts' ids first, then those rows with their account: ranked with the
    # account joined, every match (1,211 Müllers among 100,000 contacts) was joined first.
    few = visible_account_ids(user, at_most=FEW_ACCOUNTS)
    if few is None:
        ids = best_contact_ids(visible_contacts(user), query, limit=limit)
    else:
        matches = search_contacts(visible_contacts(user), query, within_accounts=few)
        ids = list(matches.values_list("pk", flat=True)[:limit])
    contacts = Contact.objects.select_related("account").in_bulk(ids)
    return accounts, [contacts[pk] for pk in ids]


def contact_list(user) -> QuerySet[Contact]:
    """Visible contacts with account and relationship owner preloaded, and reports-to
    prefetched where the user may see the manager."""
    return with_visible_manager(
        user, visible_contacts(user).select_related("account", "relationship_owner")
    )


@dataclass
class GroupNode:
    account: Account
    children: list["GroupNode"] = field(default_factory=list)

    @property
    def margin_percent(self) -> Decimal | None:
        return percent(self.account.year_margin, self.account.year_revenue)  # type: ignore[attr-defined]


def group_tree(user, account: Account, *, year: int | None = None) -> list[GroupNode]:
    """The account's whole group (from its top account down) as a tree, within the user's
    scope: each visible member with this year's `year_revenue` and `year_margin` annotated,
    hung under its nearest visible ancestor. Members the user cannot see are left out, so
    they are not named. One query for the members and their figures, plus the scope's."""
    year = year or current_year()
    members = list(
        visible_accounts(user)
        .filter(path__startswith=f"/{account.root_id}/")
        .annotate(
            year_revenue=year_value("revenue", year),
            year_margin=year_value("contribution_margin", year),
        )
        .order_by("path")
    )
    nodes = {member.pk: GroupNode(member) for member in members}
    roots: list[GroupNode] = []
    for node in nodes.values():
        parent = next(
            (nodes[pk] for pk in reversed(node.account.ancestor_ids()) if pk in nodes), None
        )
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda child: child.account.name.lower())
    return roots
