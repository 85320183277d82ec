"""Likely duplicates of an account or a contact, asked before one is created.

One function per kind serves the page (a warning with links, the user may still save),
the API (409 with the candidates unless `?allow_duplicate=true`) and the import (a
warning on the row). Only records the user may see are ever candidates: the scope of
accounts.access decides, as everywhere.

What counts as likely the same:
- accounts: the same VAT ID (the surest sign: a firm has one), the same external ID; a
  similar name in the same city;
- contacts: the same external ID; the same e-mail address; a similar name in the same
  company (the account's group).

"Similar" is trigram similarity on PostgreSQL (pg_trgm, migration 0002); on SQLite the
names are compared normalised: case folded, punctuation and legal forms at the end
("GmbH", "AG", "GmbH & Co. KG", ...) dropped, whitespace collapsed.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Model, Value
from django.db.models.functions import Concat

from accounts import vat
from accounts.access import visible_accounts, visible_contacts
from accounts.models import Account, Contact
from users.models import User

# Trigram similarity (0..1) from which two names in the same city or company count as
# likely the same: "Müller Maschinenbau GmbH" and "Mueller Maschinenbau AG" reach it,
# two different firms of one trade in one town rarely do.
SIMILARITY = 0.5
LIMIT = 5
# Contacts of one company compared in Python on SQLite: a company has far fewer.
COMPANY_CONTACTS = 500

VAT_ID = "vat_id"
EXTERNAL_ID = "external_id"
EMAIL = "email"
NAME = "name"

LEGAL_FORMS = frozenset(
    (
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "kgaa",
        "ohg",
        "gbr",
        "ug",
        "haftungsbeschränkt",
        "se",
        "ev",
        "eg",
        "co",
        "&",
        "und",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "llc",
        "llp",
        "plc",
        "corp",
        "corporation",
        "company",
        "sa",
        "sas",
        "sarl",
        "bv",
        "nv",
        "spa",
        "srl",
        "ab",
        "as",
        "oy",
    )  # fmt: skip
)


def normalise_name(name: str) -> str:
    """The name as duplicates are compared on SQLite: "Müller  GmbH & Co. KG" -> "müller"."""
    words = re.sub(r"[.,;:()\"'/]", " ", name.casefold()).split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return " ".join(words)


def _person(first_name: str, last_name: str) -> str:
    return " ".join(f"{first_name} {last_name}".casefold().split())


@dataclass(frozen=True)
class Candidate:
    """A record that is likely the same, and why (VAT_ID, EXTERNAL_ID, EMAIL, NAME)."""

    record: Model
    reasons: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "account" if isinstance(self.record, Account) else "contact"


class _Found:
    def __init__(self) -> None:
        self.records: dict[int, Model] = {}
        self.reasons: dict[int, list[str]] = {}

    def add(self, record: Model, reason: str) -> None:
        self.records.setdefault(record.pk, record)
        reasons = self.reasons.setdefault(record.pk, [])
        if reason not in reasons:
            reasons.append(reason)

    def candidates(self, limit: int) -> list[Candidate]:
        return [
            Candidate(record=record, reasons=tuple(self.reasons[pk]))
            for pk, record in list(self.records.items())[:limit]
        ]


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def account_candidates(
    *,
    user: User,
    name: str,
    city: str = "",
    external_id: str | None = None,
    vat_id: str | None = None,
    exclude_ids: tuple[int, ...] = (),
    limit: int = LIMIT,
) -> list[Candidate]:
    """Accounts the user sees that are likely the one described (at most `limit`, those
    with the same VAT ID first, then the same external ID). Three queries at most."""
    scope = visible_accounts(user).select_related("owner").exclude(pk__in=exclude_ids)
    found = _Found()
    vat_id = vat.normalise(vat_id)
    if vat_id:
        for account in scope.filter(vat_id=vat_id).order_by("pk")[:limit]:
            found.add(account, VAT_ID)
    if external_id:
        for account in scope.filter(external_id=external_id)[:limit]:
            found.add(account, EXTERNAL_ID)
    normalised = normalise_name(name or "")
    city = " ".join((city or "").split())
    if normalised and city:
        same_city = scope.filter(city__iexact=city)
        if _on_postgresql():
            similar = (
                same_city.annotate(similarity=TrigramSimilarity("name", name))
                .filter(similarity__gte=SIMILARITY)
                .order_by("-similarity", "pk")[:limit]
            )
            for account in similar:
                found.add(account, NAME)
        else:
            # The first word narrows the town's accounts down; the comparison is exact.
            first_word = normalised.split()[0]
            for account in same_city.filter(name__icontains=first_word).order_by("pk")[:200]:
                if normalise_name(account.name) == normalised:
                    found.add(account, NAME)
    return found.candidates(limit)


def contact_candidates(
    *,
    user: User,
    account: Account,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    external_id: str | None = None,
    exclude_ids: tuple[int, ...] = (),
    limit: int = LIMIT,
) -> list[Candidate]:
    """Contacts the user sees that are likely the person described: anywhere with the
    same external ID or e-mail address, in the account's group with a similar name.
    Three queries at most."""
    scope = (
        visible_contacts(user)
        .filter(erased_at__isnull=True)
        .select_related("account")
        .exclude(pk__in=exclude_ids)
    )
    found = _Found()
    if external_id:
        for contact in scope.filter(external_id=external_id)[:limit]:
            found.add(contact, EXTERNAL_ID)
    email = (email or "").strip()
    if email:
        for contact in scope.filter(email__iexact=email).order_by("pk")[:limit]:
            found.add(contact, EMAIL)
    person = _person(first_name or "", last_name or "")
    if (last_name or "").strip():
        company = scope.filter(account__path__startswith=f"/{account.root_id}/")
        if _on_postgresql():
            similar = (
                company.annotate(
                    similarity=TrigramSimilarity(
                        Concat("first_name", Value(" "), "last_name"), person
                    )
                )
                .filter(similarity__gte=SIMILARITY)
                .order_by("-similarity", "pk")[:limit]
            )
            for contact in similar:
                found.add(contact, NAME)
        else:
            for contact in company.order_by("pk")[:COMPANY_CONTACTS]:
                if _person(contact.first_name, contact.last_name) == person:
                    found.add(contact, NAME)
    return found.candidates(limit)


# --- likely duplicate pairs across the portfolio (the administrators' page) ---------------

PAIRS_LIMIT = 100


def _sqlite_normalise() -> None:
    """SQLite compares names with the same normalisation as the create warning."""
    connection.ensure_connection()
    connection.connection.create_function(
        "kam_normalise_name", 1, lambda name: normalise_name(name or ""), deterministic=True
    )


def account_pairs(*, limit: int = PAIRS_LIMIT) -> list[tuple[Account, Account, str]]:
    """Pairs of accounts (lower id first) that are likely the same firm: the same VAT ID,
    or a similar name in the same city. Two SQL self-joins with a LIMIT, then one query
    for the accounts."""
    same_vat_id = """
        SELECT a.id, b.id FROM accounts_account a
        JOIN accounts_account b ON a.id < b.id AND a.vat_id = b.vat_id
        WHERE a.vat_id <> '' LIMIT %s"""
    reasons: dict[tuple[int, int], str] = {}
    with connection.cursor() as cursor:
        cursor.execute(same_vat_id, [limit])
        for a, b in cursor.fetchall():
            reasons[(a, b)] = VAT_ID
    if _on_postgresql():
        sql = """
            SELECT a.id, b.id FROM accounts_account a
            JOIN accounts_account b ON a.id < b.id AND lower(a.city) = lower(b.city)
            WHERE a.city <> '' AND similarity(a.name, b.name) >= %s
            LIMIT %s"""
        params: list[float | int] = [SIMILARITY, limit]
    else:
        _sqlite_normalise()
        sql = """
            SELECT a.id, b.id FROM accounts_account a
            JOIN accounts_account b ON a.id < b.id AND lower(a.city) = lower(b.city)
            WHERE a.city <> ''
              AND kam_normalise_name(a.name) = kam_normalise_name(b.name)
            LIMIT %s"""
        params = [limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for a, b in cursor.fetchall():
            reasons.setdefault((a, b), NAME)
    pairs = list(reasons.items())[:limit]
    accounts = Account.objects.in_bulk({pk for (a, b), _reason in pairs for pk in (a, b)})
    found = [
        (accounts[a], accounts[b], reason)
        for (a, b), reason in pairs
        if a in accounts and b in accounts
    ]
    return sorted(found, key=lambda pair: (pair[0].name.casefold(), pair[0].pk, pair[1].pk))


def contact_pairs(*, limit: int = PAIRS_LIMIT) -> list[tuple[Contact, Contact, str]]:
    """Pairs of contacts that are likely the same person: the same e-mail address, or the
    same name at the same account. Two SQL self-joins with a LIMIT, one query for the
    contacts."""
    live = "a.erased_at IS NULL AND b.erased_at IS NULL"
    queries = [
        (
            EMAIL,
            f"""SELECT a.id, b.id FROM accounts_contact a
            JOIN accounts_contact b ON a.id < b.id AND lower(a.email) = lower(b.email)
            WHERE a.email <> '' AND {live} LIMIT %s""",
        ),
        (
            NAME,
            f"""SELECT a.id, b.id FROM accounts_contact a
            JOIN accounts_contact b ON a.id < b.id AND a.account_id = b.account_id
              AND lower(a.last_name) = lower(b.last_name)
              AND lower(a.first_name) = lower(b.first_name)
            WHERE {live} LIMIT %s""",
        ),
    ]
    reasons: dict[tuple[int, int], str] = {}
    with connection.cursor() as cursor:
        for reason, sql in queries:
            cursor.execute(sql, [limit])
            for a, b in cursor.fetchall():
                reasons.setdefault((a, b), reason)
    pairs = list(reasons.items())[:limit]
    contacts = Contact.objects.select_related("account").in_bulk(
        {pk for (a, b), _reason in pairs for pk in (a, b)}
    )
    found = [
        (contacts[a], contacts[b], reason)
        for (a, b), reason in pairs
        if a in contacts and b in contacts
    ]
    return sorted(found, key=lambda pair: (pair[0].last_name.casefold(), pair[0].pk, pair[1].pk))
