"""The buying center as an org chart drawn from reports-to lines, with what is missing."""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Account, Contact

# Roles whose absence weakens our position at the customer.
REQUIRED_ROLES = [
    (Contact.BuyingRole.DECISION_MAKER, "no_decision_maker"),
    (Contact.BuyingRole.CHAMPION, "no_champion"),
    (Contact.BuyingRole.EXECUTIVE_SPONSOR, "no_executive_sponsor"),
]


@dataclass
class Node:
    contact: Contact
    children: list["Node"] = field(default_factory=list)
    # The manager at another account of the group, for a chart's top person.
    manager_elsewhere: Contact | None = None

    @property
    def stacks_children(self) -> bool:
        """Three or more reports with no reports of their own are drawn as a column under
        their manager, so a wide team does not make the chart wider than a page."""
        return len(self.children) > 2 and not any(child.children for child in self.children)


@dataclass
class ChartRow:
    """One person of a chart, in drawing order: the template draws a chart in one loop over
    its rows, opening a list under a person with reports and closing `closes` lists after
    the last person of a branch (an include per person, recursively, took about half the
    time of a group's map of 250 people). The labels are looked up once per map."""

    node: Node
    role: str
    attitude: str
    influence: str
    closes: int = 0

    @property
    def closed_lists(self) -> range:
        return range(self.closes)


@dataclass
class Chart:
    account: Account
    rows: list[ChartRow]


@dataclass
class RelationshipMap:
    roots: list[Node]
    gaps: list[tuple[str, str]]  # (code, message)
    departed_key_players: list[Contact]
    contact_count: int

    @cached_property
    def charts(self) -> list[Chart]:
        """Drawn only where a page shows the charts (the coaching briefing needs the gaps)."""
        return _charts(self.roots)


def _charts(roots: list[Node]) -> list[Chart]:
    """The roots (sorted by account) as one chart per account, each flattened to rows."""
    roles = {code: str(label) for code, label in Contact.BuyingRole.choices}
    attitudes = {code: str(label) for code, label in Contact.Attitude.choices}
    influences = {code: str(label) for code, label in Contact.Influence.choices}
    charts: list[Chart] = []

    def walk(node: Node, rows: list[ChartRow]) -> None:
        contact = node.contact
        rows.append(
            ChartRow(
                node,
                role=roles.get(contact.buying_role, ""),
                attitude=attitudes.get(contact.attitude, ""),
                influence=influences.get(contact.influence, ""),
            )
        )
        for child in node.children:
            walk(child, rows)
        if node.children:
            rows[-1].closes += 1

    for root in roots:
        if not charts or charts[-1].account.pk != root.contact.account_id:
            charts.append(Chart(account=root.contact.account, rows=[]))
        walk(root, charts[-1].rows)
    return charts


# A decision maker we have not spoken to for longer than this is flagged.
DECISION_MAKER_CONTACT_DAYS = 90


def _role_gaps(accounts: list[Account], contacts: list[Contact]) -> list[tuple[str, str]]:
    """Each account on its own: a decision maker at a subsidiary abroad does not cover the
    holding."""
    roles: dict[int, set[str]] = {a.pk: set() for a in accounts}
    for contact in contacts:
        if contact.is_active:
            roles.setdefault(contact.account_id, set()).add(contact.buying_role)
    messages = {
        "no_decision_maker": _("No decision maker known at %(account)s."),
        "no_champion": _("No champion on the customer side at %(account)s."),
        "no_executive_sponsor": _("No executive sponsor on the customer side at %(account)s."),
    }
    return [
        (code, messages[code] % {"account": account.name})
        for account in accounts
        for role, code in REQUIRED_ROLES
        if role not in roles[account.pk]
    ]


def _is_key_player(contact: Contact) -> bool:
    return contact.influence == Contact.Influence.HIGH or contact.buying_role in dict(
        REQUIRED_ROLES
    )


def _contradictions(contacts: list[Contact]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    since = timezone.now() - timedelta(days=DECISION_MAKER_CONTACT_DAYS)
    for contact in contacts:
        if not contact.is_active:
            continue
        name = {"name": contact.name, "account": contact.account.name}
        decides = contact.buying_role == Contact.BuyingRole.DECISION_MAKER
        if (
            contact.buying_role == Contact.BuyingRole.CHAMPION
            and contact.attitude == Contact.Attitude.CRITIC
        ):
            found.append(
                (
                    "critical_champion",
                    _("%(name)s (%(account)s) is recorded as champion but is critical of us.")
                    % name,
                )
            )
        if (
            decides
            and contact.influence == Contact.Influence.HIGH
            and contact.relationship_strength is not None
            and contact.relationship_strength <= 2
        ):
            found.append(
                (
                    "weak_decision_maker",
                    _(
                        "%(name)s (%(account)s) decides with high influence, but our "
                        "relationship is weak (%(strength)s of 5)."
                    )
                    % (name | {"strength": contact.relationship_strength}),
                )
            )
        if _is_key_player(contact) and contact.relationship_owner_id is None:
            found.append(
                (
                    "unowned_key_player",
                    _("Nobody on our side owns the relationship with %(name)s (%(account)s).")
                    % name,
                )
            )
        if decides and (contact.last_contacted_at is None or contact.last_contacted_at < since):
            found.append(
                (
                    "decision_maker_not_contacted",
                    ngettext(
                        "No contact logged with decision maker %(name)s (%(account)s) for"
                        " more than %(days)s day.",
                        "No contact logged with decision maker %(name)s (%(account)s) for"
                        " more than %(days)s days.",
                        DECISION_MAKER_CONTACT_DAYS,
                    )
                    % (name | {"days": DECISION_MAKER_CONTACT_DAYS}),
                )
            )
    return found


def relationship_map(account: Account) -> RelationshipMap:
    """For an account and everything below it (two queries): trees of contacts, the roles
    missing at each account, and contradictions in the buying center.

    A contact whose manager is outside the map (another branch of the group) starts a tree;
    so does one whose manager works at another account of the map (`manager_elsewhere`).
    """
    accounts = list(Account.objects.filter(path__startswith=account.path).order_by("path"))
    contacts = list(
        Contact.objects.filter(account__path__startswith=account.path)
        .select_related("account", "relationship_owner")
        .order_by("last_name", "first_name")
    )
    nodes: dict[int | None, Node] = {c.pk: Node(c) for c in contacts}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.contact.reports_to_id)
        if parent is None or parent is node:
            roots.append(node)
        elif parent.contact.account_id != node.contact.account_id:
            # Each account of the group gets its own chart; the line to the manager at
            # another account is named instead of drawn across one very wide chart.
            node.manager_elsewhere = parent.contact
            roots.append(node)
        else:
            parent.children.append(node)

    # One chart per account of the group (the template regroups by account), each in
    # the contacts' name order: a group's charts one below the other, not one wide row.
    roots.sort(key=lambda node: node.contact.account.path)

    gaps = _role_gaps(accounts, contacts) + _contradictions(contacts)
    departed = [c for c in contacts if not c.is_active and _is_key_player(c)]
    if departed:
        gaps.append(("key_player_left", _("Key players have left the company.")))
    return RelationshipMap(
        roots=roots,
        gaps=gaps,
        departed_key_players=departed,
        contact_count=len(contacts),
    )
