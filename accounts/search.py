"""Text search over accounts and contacts: one function per model, used by the header
search, the list filters (`?q=` on the pages) and the API.

On PostgreSQL every condition has the shape a trigram GIN index serves (migration 0005):
`column ILIKE '%query%'` (a substring anywhere, any case) or `column %> query` (a near
miss such as "Mülller", word similarity above pg_trgm's threshold), one query per
condition and indexed column, joined by UNION ALL, so the plan is a set of index scans
instead of a sequential scan. Results are ranked by the best word similarity. SQLite
matches substrings only.

The header search shows only the best few (`best_accounts`, `best_contact_ids`): on
PostgreSQL each column's best rows are read from its GiST trigram index in the order of
the word distance (`<<->`, migration 0015), so the scan stops after them instead of
ranking every match.
"""

from django.conf import settings
from django.contrib.postgres.search import TrigramWordDistance, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Lookup, Q, QuerySet
from django.db.models.functions import Greatest

from accounts.models import Account, Contact

ACCOUNT_COLUMNS = ("name", "legal_name", "city")
CONTACT_COLUMNS = ("last_name", "first_name", "email")
MIN_LENGTH = 2
# A scope of up to this many accounts has few enough contacts (about ten each) to match
# them one by one rather than search the whole table's indexes (search_contacts).
FEW_ACCOUNTS = 200


class ILike(Lookup):
    """`lhs ILIKE rhs`. Django's `icontains` compares `UPPER(col::text)`, which no trigram
    index on the column can serve."""

    lookup_name = "ilike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


def _text_match(
    model, query: str, columns: tuple[str, ...], *also: QuerySet, few_rows: bool = False
) -> Q:
    """The rows of `model` whose `columns` match the query, or that are in `also` (querysets
    of ids). On PostgreSQL a UNION ALL of one query per condition: each part is a scan
    of its own trigram (or b-tree) index. OR-ed in one WHERE, the same conditions made the
    planner read the whole table and compute the word similarity for every row (60 ms
    instead of 3 ms over 10,000 accounts). With `few_rows` (the caller has narrowed the
    rows to a few hundred by an index, e.g. a key account manager's contacts) the
    conditions are OR-ed and checked on those rows only: the index scans would find every
    match of the whole table first (1,211 Müllers of 100,000 contacts for 3 of the
    manager's)."""
    pattern = f"%{connection.ops.prep_for_like_query(query)}%"
    if not settings.IS_POSTGRES or few_rows:
        if settings.IS_POSTGRES:
            conditions = [
                *(Q(ILike(F(column), pattern)) for column in columns),
                *(Q(**{f"{column}__trigram_word_similar": query}) for column in columns),
            ]
        else:
            conditions = [Q(**{f"{column}__icontains": query}) for column in columns]
        return _or([*conditions, *(Q(pk__in=ids) for ids in also)])
    rows = model._default_manager.order_by()
    parts = [
        *(rows.filter(ILike(F(column), pattern)).values("pk") for column in columns),
        *(
            rows.filter(**{f"{column}__trigram_word_similar": query}).values("pk")
            for column in columns
        ),
        *also,
    ]
    return Q(pk__in=parts[0].union(*parts[1:], all=True))


def _or(conditions) -> Q:
    result = Q()
    for condition in conditions:
        result |= condition
    return result


def _ranked(queryset: QuerySet, query: str, columns: tuple[str, ...], *tie_breakers: str):
    if not settings.IS_POSTGRES:
        return queryset.order_by(*tie_breakers, "pk")
    rank = Greatest(*(TrigramWordSimilarity(query, column) for column in columns))
    return queryset.annotate(search_rank=rank).order_by("-search_rank", *tie_breakers, "pk")


def _best(
    scope: QuerySet,
    query: str,
    columns: tuple[str, ...],
    *also: QuerySet,
    limit: int,
    tie_breakers: tuple[str, ...],
) -> QuerySet:
    """The best `limit` matches of `scope` on PostgreSQL, ranked as `_ranked` does, without
    ranking every match. For each column, the first `limit` rows that contain the query
    and the first `limit` that nearly match it, both in the order of that column's word
    distance: each an index scan of the column's GiST trigram index that stops after
    `limit` rows. A row among the best has its best column's similarity; fewer than
    `limit` rows are more similar on that column, so it is among that column's first
    rows. Only these (at most 2 * `limit` per column, and `also`) are ranked. Rows that
    match by a substring only rank below every near match; among them, one whose best
    column is not the one it contains the query in may be passed over for rows of that
    column when more than `limit` of them match."""
    pattern = f"%{connection.ops.prep_for_like_query(query)}%"
    rows = scope.order_by()
    parts = [
        rows.filter(condition).order_by(TrigramWordDistance(query, column)).values("pk")[:limit]
        for column in columns
        for condition in (
            Q(ILike(F(column), pattern)),
            Q(**{f"{column}__trigram_word_similar": query}),
        )
    ]
    candidates = parts[0].union(*parts[1:], *also, all=True)
    return _ranked(scope.filter(pk__in=candidates), query, columns, *tie_breakers)[:limit]


def best_accounts(accounts: QuerySet[Account], query: str, *, limit: int) -> list[Account]:
    """The header search's accounts: the first `limit` of `search_accounts`."""
    query = query.strip()
    if not settings.IS_POSTGRES or len(query) < MIN_LENGTH:
        return list(search_accounts(accounts, query)[:limit])
    by_id = accounts.filter(external_id__in={query, query.upper()}).values("pk")
    return list(_best(accounts, query, ACCOUNT_COLUMNS, by_id, limit=limit, tie_breakers=("name",)))


def best_contact_ids(contacts: QuerySet[Contact], query: str, *, limit: int) -> list[int]:
    """The ids of the header search's contacts: the first `limit` of `search_contacts`,
    for a scope of many accounts (a few accounts' contacts are matched one by one)."""
    query = query.strip()
    if not settings.IS_POSTGRES or len(query) < MIN_LENGTH:
        return list(search_contacts(contacts, query).values_list("pk", flat=True)[:limit])
    best = _best(
        contacts, query, CONTACT_COLUMNS, limit=limit, tie_breakers=("last_name", "first_name")
    )
    return list(best.values_list("pk", flat=True))


def search_accounts(accounts: QuerySet[Account], query: str) -> QuerySet[Account]:
    """Accounts whose name, legal name or city contains the query (or nearly matches it on
    PostgreSQL), or whose external ID is the query; best match first."""
    query = query.strip()
    if len(query) < MIN_LENGTH:
        return accounts.none()
    # The external ID has a unique (b-tree) index: an exact match, as typed or upper-case.
    by_id = Account.objects.filter(external_id__in={query, query.upper()}).values("pk")
    matches = accounts.filter(_text_match(Account, query, ACCOUNT_COLUMNS, by_id))
    return _ranked(matches, query, ACCOUNT_COLUMNS, "name")


def search_contacts(
    contacts: QuerySet[Contact],
    query: str,
    *,
    account_name: bool = False,
    within_accounts: list[int] | None = None,
) -> QuerySet[Contact]:
    """Contacts whose last name, first name or e-mail contains the query (or nearly matches
    it on PostgreSQL); with `account_name` also the contacts of accounts whose name does
    (read first as a list of ids, one more query, so the condition stays on this table's
    indexes). `within_accounts`: the ids of the few accounts `contacts` is scoped to
    (accounts.access.visible_account_ids); up to FEW_ACCOUNTS of them, their contacts are
    read by the account index and matched one by one. Best match first."""
    query = query.strip()
    if len(query) < MIN_LENGTH:
        return contacts.none()
    also: list[QuerySet] = []
    if account_name:
        named = Account.objects.filter(_text_match(Account, query, ("name",))).values_list(
            "pk", flat=True
        )
        also.append(Contact.objects.filter(account_id__in=list(named)).values("pk"))
    few = within_accounts is not None and len(within_accounts) <= FEW_ACCOUNTS
    if few:
        contacts = contacts.filter(account_id__in=within_accounts or [])
    matches = contacts.filter(_text_match(Contact, query, CONTACT_COLUMNS, *also, few_rows=few))
    return _ranked(matches, query, CONTACT_COLUMNS, "last_name", "first_name")
