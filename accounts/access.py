"""Who may see and who may change an account: the one place that decides.

Pages, API, search, exports and tasks all ask this module. Everything a user sees hangs
off an account, so child records are scoped by `scoped()`: `account__in=visible_accounts(user)`,
or only "has an account" for users who see every account.

Rules:
- administrators and heads of sales see and change every account;
- everyone else sees the accounts they own or are on the team of, and every subsidiary
  below them (a group's owner sees the whole group);
- they may change an account they own, or whose team lists them with "may edit", and the
  subsidiaries below such an account.
"""

from operator import attrgetter

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Account, Contact


def _below_any(*user_accounts: QuerySet) -> Q:
    """The account itself or one of its ancestors is among user_accounts.

    The user's own paths are read first (one small query) and matched with
    `path LIKE '/12/%'`, which the path index serves; a correlated EXISTS compared every
    account with every row of the user's and was two orders of magnitude slower.
    """
    first, *others = (qs.order_by().values_list("path", flat=True) for qs in user_accounts)
    # One UNION of indexed lookups (owner, team) instead of an OR across a join.
    paths = sorted(set(first.union(*others).order_by() if others else first))
    roots: list[str] = []
    for path in paths:  # sorted, so an ancestor comes before its descendants
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    if not roots:
        return Q(pk__in=[])
    condition = Q()
    for root in roots:
        condition |= Q(path__startswith=root)
    return condition


def visible_account_filter(user) -> Q:
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.sees_all_accounts:
        return Q()
    return _below_any(Account.objects.filter(owner=user), Account.objects.filter(team__user=user))


def editable_account_filter(user) -> Q:
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.sees_all_accounts:
        return Q()
    return _below_any(
        Account.objects.filter(owner=user),
        Account.objects.filter(team__user=user, team__can_edit=True),
    )


def visible_accounts(user) -> QuerySet[Account]:
    return Account.objects.filter(visible_account_filter(user))


def visible_account_ids(user, *, at_most: int | None = None) -> list[int] | None:
    """The ids of the accounts the user sees, or None when they see every account (or,
    with `at_most`, more accounts than that). For queries that walk an index in order
    (the board's columns): PostgreSQL misjudges how many rows the scope's subquery keeps
    and walks the whole index, while a list of ids lets it fetch the user's rows and sort
    them."""
    if user.is_authenticated and user.is_active and user.sees_all_accounts:
        return None
    ids = visible_accounts(user).values_list("pk", flat=True)
    if at_most is None:
        return list(ids)
    first = list(ids[: at_most + 1])
    return first if len(first) <= at_most else None


def editable_accounts(user) -> QuerySet[Account]:
    return Account.objects.filter(editable_account_filter(user))


def can_edit_account(user, account: Account) -> bool:
    if user.is_authenticated and user.sees_all_accounts:
        return True
    return editable_accounts(user).filter(pk=account.pk).exists()


def require_edit(user, account: Account, *, message: str | None = None) -> None:
    """What every service checks before it changes anything of an account: PermissionDenied
    (with `message`, or "You may not change this account.") unless the user may change it.
    Views have fetched the account through the scope already, so an outsider got a 404
    before any service ran."""
    if not can_edit_account(user, account):
        raise PermissionDenied(message or _("You may not change this account."))


def get_account_for(user, pk) -> Account:
    """The account if the user may see it; a 404 for everyone else (no hint it exists)."""
    account = visible_accounts(user).select_related("owner", "parent").filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def visible_contacts(user) -> QuerySet[Contact]:
    return scoped(user, Contact.objects.all())


def get_contact_for(user, pk) -> Contact:
    contact = visible_contacts(user).select_related("account").filter(pk=pk).first()
    if contact is None:
        raise Http404
    return contact


def scoped(user, queryset: QuerySet, *, via: str = "account") -> QuerySet:
    """Records that hang off an account (the `account` foreign key, or the chain of
    non-null foreign keys `via`, e.g. "objective__account"), within the user's scope."""
    if user.is_authenticated and user.is_active and user.sees_all_accounts:
        # Every account: the first key of the chain is enough, without a semi-join with
        # the account table that PostgreSQL would hash for every count and page over all
        # records (two thirds of the count of 125,000 plan actions).
        return queryset.filter(**{f"{via.split('__')[0]}__isnull": False})
    return queryset.filter(**{f"{via}__in": visible_accounts(user)})


def get_scoped_or_404(user, queryset: QuerySet, pk):
    """One record of an account within the user's scope; 404 for everyone else."""
    record = scoped(user, queryset).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


# The accounts' own rows as get_account_for loads them, for get_editable_or_404.
EDITABLE_ACCOUNTS = Account.objects.select_related("owner", "parent")


def get_editable_or_404[M: Model](user, queryset: QuerySet[M], pk, *, via: str = "account") -> M:
    """The edit guard of pages and API: one record (an account, or a record hanging off
    one, through the foreign key `account` or the chain `via`, e.g. "objective__account")
    within the user's scope that they may change. Outsiders get a 404 (no hint it
    exists); who sees it but may not change its account gets PermissionDenied (403).

    Every page and API view that changes something fetches it here; none writes its own
    `if not can_edit_account(...): raise` (tests/test_architecture.py looks)."""
    if queryset.model is Account:
        record = queryset.filter(visible_account_filter(user)).filter(pk=pk).first()
    else:
        record = scoped(user, queryset, via=via).filter(pk=pk).first()
    if record is None:
        raise Http404
    account = record if isinstance(record, Account) else attrgetter(via.replace("__", "."))(record)
    if not can_edit_account(user, account):
        raise PermissionDenied(_("You may not change this account."))
    return record


def group_contacts(user, account: Account) -> QuerySet[Contact]:
    """The contacts a user may link to a record of `account`: contacts of the account's
    group (same top account) that the user can see.

    Every picker and every write that names contacts (activity participants, a survey's
    answerer, a contact's manager) uses this, pages and API alike, so a contact of a
    group account outside the user's scope can neither be offered nor saved.
    """
    return visible_contacts(user).filter(account__path__startswith=f"/{account.root_id}/")


def is_visible_account_id(user, account_id: int | None) -> bool:
    if account_id is None:
        return False
    return visible_accounts(user).filter(pk=account_id).exists()


def is_visible_contact_id(user, contact_id: int | None) -> bool:
    if contact_id is None:
        return False
    return visible_contacts(user).filter(pk=contact_id).exists()


def with_visible_manager(user, contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Contacts with `reports_to` preloaded only where the user may see the manager
    (one more query): for a manager outside the scope `contact.reports_to` is None while
    `reports_to_id` stays, so a page can say "a contact you cannot see" without a name."""
    return contacts.prefetch_related(Prefetch("reports_to", queryset=visible_contacts(user)))


def visible_participants(user) -> Prefetch:
    """`Prefetch` for an activity's customer participants: only those the user can see."""
    return Prefetch(
        "contacts", queryset=visible_contacts(user).order_by("last_name", "first_name", "pk")
    )
