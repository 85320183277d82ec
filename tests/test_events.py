"""Domain events (kam/events.py): typed, published by services, delivered after commit."""

import weakref
from dataclasses import fields
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import signals

from accounts import services as account_services
from accounts.models import Account, this_year
from kam import events
from tests.factories import make_account
from tests.test_architecture import LAYER_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """A subscriber of this test's own to FiguresChanged (and a batch one): what they got."""
    got: dict[str, list] = {"each": [], "batches": []}

    def each(event):
        got["each"].append(event)

    def batch(published):
        got["batches"].append(list(published))

    events.subscribe(events.FiguresChanged, each)
    events.subscribe(events.FiguresChanged, batch, batch=True)
    yield got
    events.unsubscribe(events.FiguresChanged, each)
    events.unsubscribe(events.FiguresChanged, batch)


@pytest.fixture
def after_commit(settings):
    """Subscribers run after commit, as outside tests."""
    settings.EVENTS_RUN_AT_PUBLISH = False


def _figures(account, year, revenue):
    account_services.figures_put(
        actor=account.owner, account=account, year=year, revenue=Decimal(revenue)
    )


def test_subscribers_run_after_the_commit_once_per_transaction(
    kam, account, heard, after_commit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _figures(account, 2025, "100")
        _figures(account, 2026, "200")
        assert heard["each"] == []  # nothing before the commit
    expected = [
        events.FiguresChanged(account_id=account.pk, year=2025),
        events.FiguresChanged(account_id=account.pk, year=2026),
    ]
    assert heard["each"] == expected
    assert heard["batches"] == [expected]  # the batch subscriber: once, with both


def test_a_rolled_back_savepoint_delivers_none_of_its_events(
    kam, account, heard, after_commit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _figures(account, 2025, "100")
        try:
            with transaction.atomic():
                _figures(account, 2026, "200")
                raise RuntimeError("refused")
        except RuntimeError:
            pass
    assert heard["each"] == [events.FiguresChanged(account_id=account.pk, year=2025)]
    assert heard["batches"] == [heard["each"]]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_runs_nothing_and_a_committed_one_runs_its_subscribers(
    kam, heard
):
    account = make_account(owner=kam, name="Echt AG")
    year = this_year()
    with pytest.raises(RuntimeError), transaction.atomic():
        _figures(account, year, "100")
        raise RuntimeError("refused")
    assert heard["each"] == []

    _figures(account, year, "300")  # its own transaction, committed
    assert heard["each"] == [events.FiguresChanged(account_id=account.pk, year=year)]
    # The real subscribers ran as well: the revenue sort key follows the figures.
    account.refresh_from_db()
    assert (account.revenue_key, account.revenue_key_year) == (Decimal("300"), year)


def test_a_failing_subscriber_after_commit_leaves_the_others_running(
    kam, account, heard, after_commit, django_capture_on_commit_callbacks
):
    def broken(event):
        raise RuntimeError("broken subscriber")

    events.subscribe(events.FiguresChanged, broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _figures(account, 2025, "100")
    finally:
        events.unsubscribe(events.FiguresChanged, broken)
    assert len(heard["each"]) == 1


def test_in_tests_subscribers_run_at_publish(kam, account, heard):
    _figures(account, 2025, "100")
    assert heard["each"] == [events.FiguresChanged(account_id=account.pk, year=2025)]


def test_an_in_transaction_batch_subscriber_hears_the_events_of_publish_all_at_once(
    after_commit, heard, django_capture_on_commit_callbacks
):
    """What an import's batch publishes: every event in one call, inside the
    transaction; the other subscribers hear each event after the commit as always."""
    inside: list[list] = []

    def record(published):
        inside.append(list(published))

    events.subscribe(events.FiguresChanged, record, in_transaction=True, batch=True)
    try:
        published = [events.FiguresChanged(account_id=n, year=2026) for n in (1, 2, 3)]
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            events.publish_all(published)
            assert inside == [published] and heard["each"] == []
            events.publish(published[0])
            assert inside == [published, [published[0]]]
        assert heard["each"] == [*published, published[0]]
        assert heard["batches"] == [[*published, published[0]]]
    finally:
        events.unsubscribe(events.FiguresChanged, record)


def test_only_event_types_are_subscribed_and_a_handler_once_per_type(heard):
    def handler(event):
        pass

    with pytest.raises(TypeError):
        events.subscribe(Account, handler)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        events.subscribe("FiguresChanged", handler)  # type: ignore[arg-type]
    events.subscribe(events.TeamChanged, handler)
    try:
        with pytest.raises(ValueError, match="already"):
            events.subscribe(events.TeamChanged, handler)
    finally:
        events.unsubscribe(events.TeamChanged, handler)


def test_publishing_something_else_than_an_event_is_an_error():
    with pytest.raises(TypeError):
        events.publish("FiguresChanged")  # type: ignore[arg-type]


def test_events_are_frozen_and_carry_ids_not_model_instances():
    # Ids, and plain values of what happened (a deadline, a warning level).
    allowed = {"int", "int | None", "tuple[int, ...]", "frozenset[int]", "str", "date", "bool"}
    allowed |= {"date | None"}
    for event_type in events.event_types():
        assert event_type.__doc__, event_type  # says who publishes it
        for field in fields(event_type):
            assert field.type in allowed, (event_type.__name__, field.name, field.type)
    event = events.FiguresChanged(account_id=1, year=2025)
    with pytest.raises(AttributeError):
        event.year = 2026  # type: ignore[misc]


def test_manage_py_events_lists_every_event_with_its_subscribers():
    out = StringIO()
    call_command("events", stdout=out)
    text = out.getvalue()
    for event_type in events.event_types():
        assert f"\n{event_type.__name__}(" in f"\n{text}", event_type
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("FiguresChanged("))
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        block.append(line)
    figures = "\n".join(block)
    assert "accounts.revenue_key.figures_changed" in figures
    assert "planning.action_plan.forecast_store.refresh_after" in figures
    assert "kam.versioned_cache.raise('figures')" in figures


def test_every_receiver_of_the_forecast_revenue_key_cache_and_reminders_is_a_subscriber():
    names = {s.name for s in events._subscribers}
    assert "planning.action_plan.forecast_store.refresh_after" in names
    assert "accounts.revenue_key.figures_changed" in names
    assert "reminders.settled.clear_settled" in names
    assert "planning.tasks.stage_changed" in names


# users sits below kam's event layer: kam bridges its rows into UserChanged.
ALLOWED_CROSS_APP_RECEIVERS = {("kam.events", "users")}
MODEL_SIGNALS = [
    signals.pre_init, signals.post_init, signals.pre_save, signals.post_save,
    signals.pre_delete, signals.post_delete, signals.m2m_changed,
]  # fmt: skip


def test_no_model_signal_receiver_of_ours_listens_to_another_apps_model():
    """Derived data follows domain events; model signals stay inside their own app and
    never listen to every model."""
    ours = set(LAYER_OF)  # the project's apps, as tests/test_architecture.py lists them
    models = {id(model): model for model in apps.get_models(include_auto_created=True)}
    wrong = []
    for signal in MODEL_SIGNALS:
        for (_receiver_key, sender_key), receiver, _sender, _async in signal.receivers:
            function = receiver() if isinstance(receiver, weakref.ref) else receiver
            module = getattr(function, "__module__", "") or ""
            app = module.split(".")[0]
            if app not in ours:
                continue  # Django's and third parties' (simple_history) receivers
            model = models.get(sender_key)
            if model is None:
                wrong.append(f"{module}.{function.__name__} listens to every sender")
                continue
            if model._meta.app_label != app and (module, model._meta.app_label) not in (
                ALLOWED_CROSS_APP_RECEIVERS
            ):
                wrong.append(f"{module}.{function.__name__} -> {model._meta.label}")
    assert wrong == []
