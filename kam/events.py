"""Domain events: what a write causes, declared in one place.

A service that changes something other parts care about publishes an event inside its
transaction (`events.publish(FiguresChanged(account_id=..., year=...))`). Subscribers
register in their app's `AppConfig.ready()` (`events.subscribe(FiguresChanged, handler)`)
and run after the transaction commits, in process; a rolled-back transaction (or
savepoint) runs nothing. A subscriber whose work is heavy queues its own Celery task.

Events carry ids, never model instances, so that a subscriber reads the committed state
and an event can be queued or stored as it is (the webhook outbox). Every event is a
frozen dataclass declared here, because every app may publish and subscribe (kam is below
them all); its docstring says who publishes it. `manage.py events` lists each event with
its subscribers.

Subscribers of one event run in the order they registered; each runs in its own
transaction, and one that fails is logged without stopping the others (the nightly tasks
repair derived data). A subscriber registered with `batch=True` is called once per
committed transaction with all its events of that transaction, in order (the forecast
refreshes once for an import of a thousand rows). A subscriber registered with
`in_transaction=True` is called inside `publish`, in the publisher's transaction, and its
errors roll the change back: for writes that must commit or roll back with the change
(the webhook outbox), never for slow work; with `batch=True` as well it is called with a
list: `[event]` from `publish`, every event of the call from `publish_all` (a batch of
an import publishes its records' events together, so the outbox asks once whether any
endpoint listens). A subscriber of a base class
(`Event`, `AccountEvent`) receives every event of its subclasses.

Tests run in a transaction that never commits: with the setting `EVENTS_RUN_AT_PUBLISH`
(tests/conftest.py turns it on for every test not marked `transaction=True`) subscribers
run at once, inside `publish`, and their errors propagate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)


# --- the events -----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every domain event."""


@dataclass(frozen=True, kw_only=True)
class AccountEvent(Event):
    """Base of the events of one account's own row (created, changed, moved, deleted)."""

    account_id: int


@dataclass(frozen=True, kw_only=True)
class AccountCreated(AccountEvent):
    """accounts.services.account_create; the admin."""


@dataclass(frozen=True, kw_only=True)
class AccountChanged(AccountEvent):
    """accounts.services.account_update (and AccountMoved beside it when the parent
    changed); the admin."""


@dataclass(frozen=True, kw_only=True)
class AccountMoved(AccountEvent):
    """accounts.services.account_update when the parent changed, after the new paths are
    written; the admin."""

    old_parent_id: int | None
    new_parent_id: int | None


@dataclass(frozen=True, kw_only=True)
class AccountDeleted(AccountEvent):
    """The admin (accounts have no delete service). `ancestor_ids`: the groups above the
    account, which are gone from its path once the row is deleted."""

    ancestor_ids: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AccountsMerged(AccountEvent):
    """accounts.merge.account_merge: every record of the account `merged_id` moved to the
    survivor `account_id` (AccountDeleted for the merged one and FiguresChanged for each
    year of figures beside it)."""

    merged_id: int


@dataclass(frozen=True, kw_only=True)
class TeamChanged(Event):
    """accounts.services.team_member_set / team_member_remove; the admin: who works on
    (and so who sees) an account."""

    account_id: int


@dataclass(frozen=True, kw_only=True)
class FiguresChanged(Event):
    """accounts.services.figures_put / figures_patch / figures_target_set /
    figures_delete; the admin (a row moved to another account or year publishes both)."""

    account_id: int
    year: int


@dataclass(frozen=True, kw_only=True)
class ContactCreated(Event):
    """accounts.services.contact_create."""

    contact_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class ContactChanged(Event):
    """accounts.services.contact_update / contact_mark_left; accounts.gdpr.contact_erase."""

    contact_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class ContactsMerged(Event):
    """accounts.merge.contact_merge: every record of the contact `merged_id` moved to the
    surviving contact `contact_id`, and the merged contact was deleted."""

    contact_id: int
    merged_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class UserChanged(Event):
    """A user's row was saved (role, activity, name; not a sign-in): users sits below
    kam, so kam.apps publishes it for the users app (the one bridge from a model signal)."""

    user_id: int


@dataclass(frozen=True, kw_only=True)
class OpportunityEvent(Event):
    """Base of the events of one opportunity. `years`: the years of its expected close
    and close dates, before and after the write (the forecast reads those years)."""

    opportunity_id: int
    account_id: int
    years: frozenset[int] = frozenset()


@dataclass(frozen=True, kw_only=True)
class OpportunityCreated(OpportunityEvent):
    """deals.services.opportunity_create; the admin."""


@dataclass(frozen=True, kw_only=True)
class OpportunityChanged(OpportunityEvent):
    """deals.services.opportunity_update / opportunity_move (every save of the deal);
    the admin, which also publishes it for the account a deal left
    (`account_id` the old one) and when a deal is deleted."""


@dataclass(frozen=True, kw_only=True)
class OpportunityStageChanged(OpportunityEvent):
    """deals.services.opportunity_update / opportunity_move when the stage changed,
    beside OpportunityChanged. The whitespace cells of a deal won or lost follow it in
    the same transaction (an `in_transaction` subscriber). `closed`: the new stage is won
    or lost."""

    old_stage_id: int
    new_stage_id: int
    closed: bool = False


@dataclass(frozen=True, kw_only=True)
class StagesChanged(Event):
    """The admin saved or deleted a pipeline stage: every deal on it may count
    differently (won, lost, probability)."""

    stage_id: int


@dataclass(frozen=True, kw_only=True)
class ActivityLogged(Event):
    """activities.services.activity_log / activity_update / activity_delete: the
    account's last contact may have moved."""

    activity_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class FollowUpChanged(Event):
    """activities.services: a follow-up created, changed, completed or reopened."""

    follow_up_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class ContractCreated(Event):
    """contracts.services.contract_create."""

    contract_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class ContractChanged(Event):
    """contracts.services.contract_update."""

    contract_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class IssueCreated(Event):
    """customer_care.services.issue_create."""

    issue_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class IssueChanged(Event):
    """customer_care.services.issue_update / issue_change_status."""

    issue_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class ObjectiveChanged(Event):
    """planning.action_plan.services.objective_create / objective_update; the admin."""

    objective_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class ActionChanged(Event):
    """planning.action_plan.services: an action created, changed, completed or reopened."""

    action_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class AccountPlanChanged(Event):
    """planning.account_plan.services: a plan created, changed, reviewed, its status set
    (older ones archived publish their own) or copied from last year."""

    plan_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class ReviewChanged(Event):
    """reviews.services.review_create / review_update."""

    review_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class HealthRecorded(Event):
    """portfolio.services.health_store_week (once per run, `account_ids` empty: every
    account); the admin (one snapshot: its account)."""

    account_ids: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CompanyTotalsChanged(Event):
    """portfolio.services.company_totals_put / company_totals_delete; the admin."""

    year: int


@dataclass(frozen=True, kw_only=True)
class ClassificationChanged(Event):
    """The status rules or a decision on a suggested status: portfolio.services.
    suggestion_accept / suggestion_reject; the admin. `account_id` is None for a rule."""

    account_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class ContactErased(Event):
    """accounts.gdpr.contact_erase, beside ContactChanged: the person's data is gone (the
    row stays, redacted)."""

    contact_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class ContractNoticeApproaching(Event):
    """reminders.rules.contracts, from the reminder scan: a renewing contract's notice
    deadline `deadline_on` reached the stage of `days_before` days (REMINDER_NOTICE_DAYS:
    90, 30, 7); once per contract, deadline and stage, however often the scan runs."""

    contract_id: int
    account_id: int
    deadline_on: date
    days_before: int


@dataclass(frozen=True, kw_only=True)
class ContractNoticeMissed(Event):
    """reminders.rules.contracts, from the reminder scan: the notice deadline
    `deadline_on` passed without notice; once per contract and deadline.
    `next_deadline_on`: the next one that can still be met (None: none)."""

    contract_id: int
    account_id: int
    deadline_on: date
    next_deadline_on: date | None = None


@dataclass(frozen=True, kw_only=True)
class SurveyDetractor(Event):
    """customer_care.services.survey_record: a survey with a detractor score (NPS 0-6 or
    CSAT 1-2) was recorded."""

    survey_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class FolderVersionReady(Event):
    """reviews.rendering.render_version: a review folder version's PDF is rendered and
    can be downloaded."""

    version_id: int
    review_id: int
    account_id: int


@dataclass(frozen=True, kw_only=True)
class DependencyWarningRaised(Event):
    """portfolio.dependency.levels_update, after figures or company totals changed (on the
    worker, portfolio.tasks.rank_dependency_levels, a few seconds after the commit): a unit
    (a group with its subsidiaries, or a single account; `account_id` is its top account)
    crossed a dependency warning level of `year` upwards ("amber": 25 %, "red": 50 % of
    revenue or margin, or the thresholds of the classification rules); once per crossing
    (falling below and crossing again announces it again)."""

    account_id: int
    year: int
    level: str
    revenue_share: str  # exact decimal, as text
    margin_share: str


def user_saved(sender: type, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """UserChanged for a saved or deleted user (kam.apps connects it to users.User): a
    sign-in, which saves only `last_login`, changes nothing anyone derives."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    publish(UserChanged(user_id=instance.pk))


# --- subscribing and publishing ---------------------------------------------------------

type Handler = Callable[[Any], object]


@dataclass(frozen=True, slots=True)
class Subscriber:
    event_type: type[Event]
    handler: Handler
    batch: bool
    in_transaction: bool = False

    @property
    def name(self) -> str:
        qualname = getattr(self.handler, "__qualname__", None)
        if qualname is None:  # a callable object names itself by its repr
            return repr(self.handler)
        return f"{self.handler.__module__}.{qualname}"


_subscribers: list[Subscriber] = []


def subscribe(
    event_type: type[Event], handler: Handler, *, batch: bool = False, in_transaction: bool = False
) -> None:
    """Run `handler(event)` after the commit of every transaction that published an
    `event_type` (or a subclass); with `batch`, `handler(events)` once per transaction;
    with `in_transaction`, `handler(event)` at once, inside the publisher's transaction
    (with both, `handler(events)` once per `publish` or `publish_all`). Called from
    AppConfig.ready(); the same handler twice for one type is an error."""
    if not (
        isinstance(event_type, type)
        and issubclass(event_type, Event)
        and event_type.__module__ == __name__
    ):
        raise TypeError(f"{event_type!r} is not an event type of kam.events")
    if not callable(handler):
        raise TypeError(f"{handler!r} is not callable")
    for existing in _subscribers:
        if existing.event_type is event_type and existing.handler == handler:
            raise ValueError(f"{existing.name} subscribes to {event_type.__name__} already")
    _subscribers.append(Subscriber(event_type, handler, batch, in_transaction))
    _reached.clear()


def unsubscribe(event_type: type[Event], handler: Handler) -> None:
    """For tests that subscribe a handler of their own."""
    for existing in list(_subscribers):
        if existing.event_type is event_type and existing.handler == handler:
            _subscribers.remove(existing)
            _reached.clear()
            return
    raise ValueError(f"{handler!r} does not subscribe to {event_type.__name__}")


# The subscribers each event type reaches, found once (subscribing clears it).
_reached: dict[type[Event], list[Subscriber]] = {}


def subscribers(event_type: type[Event]) -> list[Subscriber]:
    """The subscribers `event_type` reaches, in the order they registered."""
    reached = _reached.get(event_type)
    if reached is None:
        reached = [s for s in _subscribers if issubclass(event_type, s.event_type)]
        _reached[event_type] = reached
    return list(reached)


def event_types() -> list[type[Event]]:
    """Every concrete event declared here (the bases Event, AccountEvent and
    OpportunityEvent only group), in declaration order."""
    found: list[type[Event]] = []

    def walk(cls: type[Event]) -> None:
        for sub in cls.__subclasses__():
            if sub not in found:
                found.append(sub)
            walk(sub)

    walk(Event)
    bases = {Event, AccountEvent, OpportunityEvent}
    return [cls for cls in found if cls not in bases and cls.__module__ == __name__]


def field_names(event_type: type[Event]) -> list[str]:
    return [f.name for f in fields(event_type)]


class _Published:
    """One event's on_commit entry, registered where it was published: a savepoint rolled
    back drops it (as Django drops every callback registered inside), so its event is not
    delivered. Called on commit, it only marks the event committed."""

    __slots__ = ("committed", "event")

    def __init__(self, event: Event) -> None:
        self.event = event
        self.committed = False

    def __call__(self) -> None:
        self.committed = True


class Batch:
    """The events of one transaction, delivered once on its commit: kept as the last
    on_commit entry, after the markers of its events, so it delivers those that
    committed."""

    def __init__(self) -> None:
        self.published: list[_Published] = []
        self.delivered = False

    def __call__(self) -> None:
        self.delivered = True
        deliver([p.event for p in self.published if p.committed], robust=True)


def publish(event: Event) -> None:
    """Deliver `event` to its subscribers once the current transaction commits (at once
    outside a transaction). Called by the service that made the change."""
    publish_all([event])


def publish_all(published: Sequence[Event]) -> None:
    """`publish` for each of these events, in order; an in-transaction subscriber
    registered with `batch=True` hears all of them in one call (the events of a batch of
    imported rows)."""
    for event in published:
        if not isinstance(event, Event):
            raise TypeError(f"{event!r} is not a kam.events event")
    if not published:
        return
    called: set[int] = set()
    for event in published:
        for subscriber in subscribers(type(event)):
            if not subscriber.in_transaction:
                continue
            if not subscriber.batch:
                subscriber.handler(event)
            elif id(subscriber.handler) not in called:
                called.add(id(subscriber.handler))
                types = tuple(
                    s.event_type
                    for s in _subscribers
                    if s.in_transaction and s.batch and s.handler is subscriber.handler
                )
                subscriber.handler([e for e in published if isinstance(e, types)])
    for event in published:
        _after_commit(event)


def _after_commit(event: Event) -> None:
    reached = subscribers(type(event))
    if all(subscriber.in_transaction for subscriber in reached):
        return
    if settings.EVENTS_RUN_AT_PUBLISH:
        deliver([event], robust=False)
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        deliver([event], robust=True)
        return
    marker = _Published(event)
    transaction.on_commit(marker)
    entries = connection.run_on_commit
    batch: Batch | None = getattr(connection, "kam_events_batch", None)
    # The transaction's batch moves behind the new marker; not found, the transaction it
    # belonged to is over and this one starts its own.
    # A subscriber that publishes starts a batch of its own (its transaction is new; the
    # delivered batch may still be listed where the callbacks are captured, in tests).
    position = None
    if batch is not None and not batch.delivered:
        position = next(
            (i for i in range(len(entries) - 2, -1, -1) if entries[i][1] is batch), None
        )
    if batch is None or position is None:
        batch = connection.kam_events_batch = Batch()
    else:
        del entries[position]
    batch.published.append(marker)
    # No savepoint ids: only the whole transaction's rollback drops the batch.
    entries.append((set(), batch, True))


def deliver(published: Sequence[Event], *, robust: bool) -> None:
    """Run every subscriber of these events: a batch handler once with all of its events
    (whichever of its types they are), the others once per event. `robust`: each call in
    its own transaction, a failure logged and skipped. Subscribers that ran inside the
    transaction are not called again."""
    subscribed = [s for s in _subscribers if not s.in_transaction]
    batched: set[int] = set()
    for subscriber in subscribed:
        if subscriber.batch:
            if id(subscriber.handler) in batched:
                continue
            batched.add(id(subscriber.handler))
            types = tuple(
                s.event_type for s in subscribed if s.batch and s.handler is subscriber.handler
            )
            mine = [event for event in published if isinstance(event, types)]
            if mine:
                _call(subscriber, mine, robust=robust)
        else:
            for event in published:
                if isinstance(event, subscriber.event_type):
                    _call(subscriber, event, robust=robust)


def _call(subscriber: Subscriber, argument: object, *, robust: bool) -> None:
    if not robust:
        subscriber.handler(argument)
        return
    try:
        with transaction.atomic():
            subscriber.handler(argument)
    except Exception:
        log.exception("event subscriber %s failed", subscriber.name)
