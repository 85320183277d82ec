"""Registries through which upper apps show themselves in lower ones.

Apps import downward only (users <- kam <- accounts <- activities, deals, contracts,
customer_care <- planning <- reviews <- portfolio, reminders). When a lower app must show
what an upper app has (an account tab, a timeline source, a header fact or button, a
section on "My work", a block on the home page, the history of its records, a search
provider, a demo-data step, a link in the navigation), the upper app registers an entry
here in its `AppConfig.ready()`; the lower app only iterates.

An entry is registered once per key: a second registration with the same key is an
error, so a typo or a double import fails loudly instead of showing a tab twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from django.utils.functional import Promise


class _Entry(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def order(self) -> int: ...


class Registry[T: _Entry]:
    """An ordered set of entries, keyed by `entry.key`, iterated by `entry.order`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, T] = {}

    def register(self, entry: T) -> T:
        if entry.key in self._entries:
            raise ValueError(f"{self.name}: {entry.key!r} is registered already")
        self._entries[entry.key] = entry
        return entry

    def unregister(self, key: str) -> None:
        del self._entries[key]

    def get(self, key: str) -> T | None:
        return self._entries.get(key)

    def __iter__(self) -> Iterator[T]:
        return iter(sorted(self._entries.values(), key=lambda entry: (entry.order, entry.key)))

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries


@dataclass(frozen=True)
class AccountTab:
    """A tab on the account page; its panel is loaded on demand from `url_name`, which
    takes the account's id as its only argument."""

    key: str
    label: str | Promise
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class TimelineSource:
    """`events(account_ids, *, before, limit)` returns at most `limit` TimelineEvents
    older than `before` (None: from now), newest first, in a constant number of queries."""

    key: str
    events: Callable[..., list[Any]]
    order: int = 100


@dataclass(frozen=True)
class HeaderFact:
    """A fact in the account page header. `compute(*, account, group_ids, user)` (group_ids:
    the ids of the account and all accounts below it) returns
    the template context of `template` (a partial rendered inside the header), or None
    to show nothing; it runs a constant number of queries."""

    key: str
    compute: Callable[..., dict[str, Any] | None]
    template: str
    order: int = 100


@dataclass(frozen=True)
class AccountHistorySource:
    """Records of another app on the account's History tab: `sources(*, account)` returns
    kam.history.Sources (each with its own `key`) of the account's records."""

    key: str
    sources: Callable[..., list[Any]]
    order: int = 100


@dataclass(frozen=True)
class HistoryKind:
    """The history of one kind of record (key "contract", "opportunity", ...), shown by
    accounts.history.object_history, the one reader of every per-object history.
    `sources(record)` returns its kam.history.Sources; `extra(record, *, before, limit)`
    returns entries that are not history rows (a merge), each with its position;
    `url(record)` is the address (GET) of the page or tab that shows the history, where
    "older entries" lead after a POST. The record is one the viewer sees (the view
    fetched it through the scope)."""

    key: str
    model: type
    sources: Callable[[Any], list[Any]]
    url: Callable[[Any], str]
    extra: Callable[..., list[Any]] | None = None
    order: int = 100


@dataclass(frozen=True)
class AccountAction:
    """A button in the account page header (e.g. "Log contact"): `template` is rendered
    with the page's context (`account`, `can_edit`)."""

    key: str
    template: str
    order: int = 100


@dataclass(frozen=True)
class MyWorkSection:
    """A block on "My work". `fetch(*, user)` returns the context of `template`, or None
    when the user has nothing there; it runs a constant number of queries."""

    key: str
    fetch: Callable[..., dict[str, Any] | None]
    template: str
    order: int = 100


@dataclass(frozen=True)
class HomeBlock:
    """A block on the home page (`/`) of the users whose role is in `roles`; it loads by
    itself from `/home/<key>/`. `fetch(*, user)` returns the context of `template`, or
    None when the user has nothing there; it runs a constant number of queries.
    `url_name` (no arguments) is the full list the block's heading links to."""

    key: str
    label: str | Promise
    fetch: Callable[..., dict[str, Any] | None]
    template: str
    roles: frozenset[str]
    url_name: str = ""
    order: int = 100


@dataclass(frozen=True)
class NavLink:
    """A link in the header navigation; `nav` is the value views put in their context
    to mark the link as the current page."""

    key: str
    label: str | Promise
    url_name: str
    order: int = 100
    nav: str = ""


@dataclass(frozen=True)
class SearchProvider:
    """`search(*, user, query, limit)` returns up to `limit` results within the user's
    scope, each with `title`, `detail` and `url`; `label` heads its group of results."""

    key: str
    label: str | Promise
    search: Callable[..., list[Any]]
    order: int = 100


@dataclass(frozen=True)
class DemoStep:
    """`seed(users)` adds an app's demo data (idempotent) and returns how many records it
    created. Steps run in `order`; an app that refers to another's records seeds later."""

    key: str
    seed: Callable[[dict[str, Any]], int]
    order: int = 100


@dataclass(frozen=True)
class PersonalDataSource:
    """What an app stores about a contact (a person), for data requests under the GDPR.
    `collect(*, contact, user)` returns the section of the person's data export (records
    within the user's scope); `redact(*, contact, redact)` passes the free texts of the
    records linked to the person, and of their history, through `redact(text) -> text`
    (which blanks the person's names, e-mail and phone numbers) and returns how many
    records changed. Records, figures and scores stay: only identifying text goes."""

    key: str
    collect: Callable[..., Any]
    redact: Callable[..., int]
    order: int = 100


account_tabs: Registry[AccountTab] = Registry("account tabs")
timeline_sources: Registry[TimelineSource] = Registry("timeline sources")
header_facts: Registry[HeaderFact] = Registry("account header facts")
account_actions: Registry[AccountAction] = Registry("account header actions")
account_history_sources: Registry[AccountHistorySource] = Registry("account history sources")
history_kinds: Registry[HistoryKind] = Registry("history kinds")
my_work_sections: Registry[MyWorkSection] = Registry("My work sections")
home_blocks: Registry[HomeBlock] = Registry("home page blocks")
nav_links: Registry[NavLink] = Registry("navigation links")
search_providers: Registry[SearchProvider] = Registry("search providers")
demo_steps: Registry[DemoStep] = Registry("demo data steps")
personal_data_sources: Registry[PersonalDataSource] = Registry("personal data sources")
