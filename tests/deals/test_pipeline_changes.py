"""What changed in the pipeline: the weekly snapshot, the waterfall's numbers on a
constructed period, the deals behind each bar, the scope, the page and the API."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deals import changes, services, snapshots
from deals.models import Opportunity, OpportunitySnapshot, Stage
from deals.tasks import take_snapshots
from tests.conftest import client_for
from tests.deals.helpers import make_opportunity
from tests.factories import make_account

PAGE = reverse("deals:changes")
API = reverse("api-pipeline-changes")


def backdate(deal: Opportunity, day) -> None:
    """The deal as if created and last changed on `day` (before the period)."""
    when = timezone.make_aware(datetime.combine(day, time(9, 0)))
    Opportunity.objects.filter(pk=deal.pk).update(created_at=when)
    Opportunity.objects.filter(pk=deal.pk, closed_on__isnull=False).update(
        closed_on=day, closed_at=when
    )
    Opportunity.history.filter(id=deal.pk).update(history_date=when)


def stage(key: str) -> Stage:
    return Stage.objects.get(key=key)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def start(today):
    return changes.period_start("week", today)


def build_period(kam, account, start, *, snapshot: bool) -> dict[str, Opportunity]:
    """Before the period: seven open deals (380,000 €) and one lost. In it: one won, one
    lost, one moved forward, one moved back, one raised by 5,000 €, one pushed out by a
    month, and two new deals (70,000 € open, 10,000 € won at once)."""
    before = start - timedelta(days=20)
    close = start + timedelta(days=40)
    plan = {
        "won": ("proposal", "100000"),
        "lost": ("qualified", "50000"),
        "forward": ("identified", "30000"),
        "back": ("negotiation", "40000"),
        "raised": ("proposal", "20000"),
        "pushed": ("proposal", "60000"),
        "kept": ("qualified", "80000"),
        "old_loss": ("lost", "90000"),
    }
    deals = {}
    for name, (key, value) in plan.items():
        deals[name] = make_opportunity(
            account=account,
            stage=key,
            title=f"Deal {name}",
            value=Decimal(value),
            expected_close_date=close,
        )
        backdate(deals[name], before)
    if snapshot:
        snapshots.snapshot_take(on=start)
    move = services.opportunity_move
    move(actor=kam, opportunity=deals["won"], stage=stage("won"), reason="Bester Preis")
    move(actor=kam, opportunity=deals["lost"], stage=stage("lost"), reason="Zu teuer")
    move(actor=kam, opportunity=deals["forward"], stage=stage("proposal"))
    move(actor=kam, opportunity=deals["back"], stage=stage("qualified"))
    update = services.opportunity_update
    update(actor=kam, opportunity=deals["raised"], value=Decimal("25000"))
    update(actor=kam, opportunity=deals["pushed"], expected_close_date=close + timedelta(days=30))
    deals["new"] = make_opportunity(
        account=account, stage="identified", title="Deal new", value=Decimal("70000")
    )
    deals["new_won"] = make_opportunity(
        account=account, stage="won", title="Deal new won", value=Decimal("10000")
    )
    return deals


def bar(result, key):
    return next(b for b in result.bars if b.key == key)


def titles(result, key) -> set[str]:
    return {deal.title for deal in bar(result, key).deals}


# --- The snapshot ---------------------------------------------------------------------


def test_snapshot_records_every_open_deal_once_a_week(kam, account, today):
    open_deal = make_opportunity(account=account, stage="proposal", value=Decimal("1234.50"))
    make_opportunity(account=account, stage="won")

    assert snapshots.snapshot_take(on=today) == 1
    assert snapshots.snapshot_take(on=today) == 0  # the same week: nothing doubled
    services.opportunity_update(actor=kam, opportunity=open_deal, value=Decimal("9999"))
    assert snapshots.snapshot_take(on=snapshots.week_start(today) + timedelta(days=6)) == 0

    row = OpportunitySnapshot.objects.get()
    assert row.week == snapshots.week_start(today)
    assert (row.opportunity_id, row.account_id, row.owner_id) == (
        open_deal.pk,
        account.pk,
        account.owner_id,
    )
    assert row.stage.key == "proposal" and row.value == Decimal("1234.50")
    assert row.probability == open_deal.probability
    assert snapshots.snapshot_take(on=today + timedelta(days=7)) == 1


def test_snapshot_is_one_statement_for_any_number_of_deals(account, today):
    for _ in range(5):
        make_opportunity(account=account, stage="qualified")
    with CaptureQueriesContext(connection) as queries:
        snapshots.snapshot_take(on=today)
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert OpportunitySnapshot.objects.count() == 5


def test_task_takes_this_weeks_snapshot_and_forgets_those_past_two_years(account, today):
    deal = make_opportunity(account=account, stage="qualified")
    snapshots.snapshot_take(on=today - timedelta(days=800))
    snapshots.snapshot_take(on=today - timedelta(days=700))

    result = take_snapshots.delay().get()

    assert result == {"taken": 1, "deleted": 1}
    weeks = set(OpportunitySnapshot.objects.filter(opportunity=deal).values_list("week", flat=True))
    assert weeks == {
        snapshots.week_start(today - timedelta(days=700)),
        snapshots.week_start(today),
    }


def test_the_weekly_snapshot_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["deals-weekly-snapshot"]
    assert entry["task"] == "deals.tasks.take_snapshots"


# --- The waterfall on a constructed period ---------------------------------------------


@pytest.mark.parametrize("snapshot", [True, False], ids=["snapshot", "history"])
def test_waterfall_numbers_of_a_constructed_week(kam, account, start, today, snapshot):
    build_period(kam, account, start, snapshot=snapshot)

    result = changes.pipeline_changes(kam, period="week", today=today)

    assert result.base == ("snapshot" if snapshot else "history")
    assert result.start == start
    assert (result.opening, result.opening_count) == (Decimal("380000"), 7)
    assert (result.closing, result.closing_count) == (Decimal("305000"), 6)
    amounts = {b.key: (b.count, b.amount) for b in result.bars}
    assert amounts == {
        "new": (2, Decimal("80000")),
        "won": (2, Decimal("-110000")),
        "lost": (1, Decimal("-50000")),
        "value": (1, Decimal("5000")),
        "forward": (1, Decimal("30000")),
        "back": (1, Decimal("40000")),
        "pushed": (1, Decimal("60000")),
    }
    flows = sum((b.amount for b in result.flows), Decimal("0"))
    assert result.opening + flows == result.closing
    assert titles(result, "won") == {"Deal won", "Deal new won"}
    assert titles(result, "new") == {"Deal new", "Deal new won"}
    assert titles(result, "lost") == {"Deal lost"}
    assert titles(result, "forward") == {"Deal forward"}
    assert titles(result, "back") == {"Deal back"}
    assert titles(result, "value") == {"Deal raised"}
    assert titles(result, "pushed") == {"Deal pushed"}
    raised = bar(result, "value").deals[0]
    assert (raised.open_value, raised.value) == (Decimal("20000"), Decimal("25000"))
    assert bar(result, "back").deals[0].open_stage.key == "negotiation"


def test_quarter_compares_with_the_history_at_the_quarters_first_day(kam, account, today):
    start = changes.period_start("quarter", today)
    first_day = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    assert start.weekday() == 0 and start <= first_day < start + timedelta(days=7)
    build_period(kam, account, start, snapshot=False)

    result = changes.pipeline_changes(kam, period="quarter", today=today)

    assert result.start == start
    assert (result.opening, result.closing) == (Decimal("380000"), Decimal("305000"))


def test_pushed_deal_counts_every_slip_across_snapshots(kam, account, start, today):
    deals = build_period(kam, account, start, snapshot=True)
    pushed = deals["pushed"]
    row = OpportunitySnapshot.objects.get(opportunity=pushed, week=start)
    # Two weeks earlier the deal was to close 20 days sooner: slipped once before.
    OpportunitySnapshot.objects.create(
        week=start - timedelta(days=14),
        taken_at=row.taken_at,
        opportunity=pushed,
        account=account,
        stage=row.stage,
        value=row.value,
        probability=row.probability,
        expected_close_date=row.expected_close_date - timedelta(days=20),
    )

    result = changes.pipeline_changes(kam, period="week", today=today)

    assert bar(result, "pushed").deals[0].slips == 2


# --- Scope, page and API ----------------------------------------------------------------


@pytest.fixture
def foreign_deal(other_kam, start):
    account = make_account(owner=other_kam, name="Fremdkunde AG")
    deal = make_opportunity(
        account=account, stage="proposal", title="Fremdes Projekt", value=Decimal("777000")
    )
    backdate(deal, start - timedelta(days=3))
    return deal


def lose(deal: Opportunity) -> None:
    services.opportunity_move(
        actor=deal.owner, opportunity=deal, stage=stage("lost"), reason="Zu spät"
    )


def test_kam_sees_only_their_scope_head_of_sales_sees_all(
    kam, head_of_sales, account, start, today, foreign_deal
):
    build_period(kam, account, start, snapshot=True)
    lose(foreign_deal)

    mine = changes.pipeline_changes(kam, period="week", today=today)
    everything = changes.pipeline_changes(head_of_sales, period="week", today=today)

    assert mine.opening == Decimal("380000")
    assert titles(mine, "lost") == {"Deal lost"}
    assert everything.opening == Decimal("380000") + Decimal("777000")
    assert titles(everything, "lost") == {"Deal lost", "Fremdes Projekt"}


def test_page_shows_waterfall_and_deals_in_scope_only(kam, account, start, foreign_deal):
    build_period(kam, account, start, snapshot=True)
    lose(foreign_deal)

    html = client_for(kam).get(PAGE).content.decode()

    assert "<svg" in html and 'href="#changes-won"' in html
    won = html[html.index('id="changes-won"') : html.index('id="changes-lost"')]
    assert "Deal won" in won and "Deal new won" in won
    assert reverse("deals:detail", args=[deal_id(account, "Deal won")]) in won
    assert "Fremdes Projekt" not in html and "Fremdkunde" not in html
    assert "777" not in html
    assert "380.000 €" in html and "305.000 €" in html


def deal_id(account, title):
    return Opportunity.objects.get(account=account, title=title).pk


def test_page_says_when_no_snapshot_exists(kam, account, start):
    build_period(kam, account, start, snapshot=False)

    html = client_for(kam).get(PAGE + "?period=week").content.decode()

    day = start.strftime("%d.%m.%Y")
    assert f"Für den {day} gibt es keinen Pipeline-Snapshot" in html


def test_page_in_german_and_english(kam, account, start):
    build_period(kam, account, start, snapshot=True)

    german = client_for(kam).get(PAGE).content.decode()
    kam.language = "en"
    kam.save(update_fields=["language"])
    english = client_for(kam).get(PAGE).content.decode()

    assert "Pipeline-Veränderungen" in german and "Schlusstermin verschoben" in german
    assert "Wert geändert" in german and "Seit letzter Woche" in german
    assert "Pipeline changes" in english and "Close date pushed out" in english
    assert "Value changed" in english and "Since last week" in english


def test_pipeline_page_links_to_the_changes(kam):
    html = client_for(kam).get(reverse("deals:pipeline")).content.decode()
    assert f'href="{PAGE}"' in html


def test_api_returns_the_same_figures_in_scope(kam, account, start, foreign_deal):
    build_period(kam, account, start, snapshot=True)
    lose(foreign_deal)

    data = client_for(kam).get(API + "?period=week").json()

    assert data["base"] == "snapshot"
    assert Decimal(data["opening"]) == Decimal("380000")
    assert Decimal(data["closing"]) == Decimal("305000")
    bars = {b["key"]: b for b in data["bars"]}
    assert Decimal(bars["won"]["amount"]) == Decimal("-110000")
    assert {d["title"] for d in bars["lost"]["deals"]} == {"Deal lost"}
    assert "Fremdes Projekt" not in str(data)


def test_api_needs_a_known_period(kam):
    response = client_for(kam).get(API + "?period=year")
    assert response.status_code == 400


def test_page_and_api_take_the_same_queries_for_more_deals(
    kam, account, start, django_assert_max_num_queries
):
    build_period(kam, account, start, snapshot=True)
    client = client_for(kam)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for index in range(6):
        deal = make_opportunity(account=account, stage="proposal", title=f"Mehr {index}")
        services.opportunity_update(
            actor=kam, opportunity=deal, expected_close_date=start + timedelta(days=90)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PAGE)
    client.get(API)
    with CaptureQueriesContext(connection) as api:
        client.get(API)
    with django_assert_max_num_queries(len(api.captured_queries)):
        client.get(API)
