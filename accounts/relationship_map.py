"""The buying center as an org chart drawn from reports-to lines, with what is missing."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

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


@dataclass
class RelationshipMap:
    roots: list[Node]
    gaps: list[tuple[str, str]]  # (code, message)
    departed_key_players: list[Contact]
    contact_count: int


def relationship_map(account: Account) -> RelationshipMap:
    """For an account and everything below it (one query): trees of contacts and the gaps.

    A contact whose manager is outside the map (another branch of the group) starts a tree.
    """
    contacts = list(
        Contact.objects.filter(account__path__startswith=account.path)
        .select_related("account", "relationship_owner")
        .order_by("last_name", "first_name")
    )
    nodes = {c.pk: Node(c) for c in contacts}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.contact.reports_to_id)
        if parent is not None and parent is not node:
            parent.children.append(node)
        else:
            roots.append(node)

    active_roles = {c.buying_role for c in contacts if c.is_active}
    messages = {
        "no_decision_maker": _("No decision maker known."),
        "no_champion": _("No champion on the customer side."),
        "no_executive_sponsor": _("No executive sponsor on the customer side."),
    }
    gaps = [(code, messages[code]) for role, code in REQUIRED_ROLES if role not in active_roles]
    departed = [
        c
        for c in contacts
        if not c.is_active
        and (c.influence == Contact.Influence.HIGH or c.buying_role in dict(REQUIRED_ROLES))
    ]
    if departed:
        gaps.append(("key_player_left", _("Key players have left the company.")))
    return RelationshipMap(
        roots=roots, gaps=gaps, departed_key_players=departed, contact_count=len(contacts)
    )
