"""The account plan's services and its stale rule: copy last year's plan, one plan per
account and year, review, status, and the access scope."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone, translation

from accounts.demo import seed_accounts
from accounts.services import team_member_set
from planning.account_plan import demo, services
from planning.account_plan.selectors import is_stale, stale_plans
from planning.models import AccountPlan
from tests.factories import make_account
from users.demo import seed_users

Status = AccountPlan.Status


@pytest.fixture(autouse=True)
def _english():
    # The checks read English messages; German is the installation's default.
    with translation.override("en"):
        yield


def make_plan(account, year=2025, actor=None, **fields) -> AccountPlan:
    return services.plan_create(actor=actor or account.owner, account=account, year=year, **fields)


def test_copy_takes_last_years_texts_and_swot_into_a_new_draft(kam, account):
    old = make_plan(
        account,
        2025,
        business_goals="Umsatz +10 %",
        strategies="Jahresgespräch im Q1",
        strengths="Service\nQualität",
        threats="Kampfpreise",
    )
    services.plan_set_status(actor=kam, plan=old, status=Status.ACTIVE)
    services.plan_mark_reviewed(actor=kam, plan=old)

    new = services.plan_copy_from_last_year(actor=kam, account=account, year=2026)

    assert (new.year, new.status) == (2026, Status.DRAFT)
    assert new.business_goals == "Umsatz +10 %"
    assert new.strategies == "Jahresgespräch im Q1"
    assert new.strengths == "Service\nQualität"
    assert new.threats == "Kampfpreise"
    # A fresh start: nobody has reviewed the new plan, and the old one is untouched.
    assert new.last_reviewed_at is None and new.created_by == kam
    old.refresh_from_db()
    assert old.status == Status.ACTIVE and old.year == 2025


def test_copy_without_last_years_plan_is_refused(kam, account):
    make_plan(account, 2024)
    with pytest.raises(ValidationError) as exc:
        services.plan_copy_from_last_year(actor=kam, account=account, year=2026)
    assert exc.value.message_dict["year"] == ["There is no plan for 2025 to start from."]
    assert not AccountPlan.objects.filter(year=2026).exists()


def test_copy_into_a_year_that_has_a_plan_is_refused(kam, account):
    make_plan(account, 2025, business_goals="alt")
    make_plan(account, 2026, business_goals="schon da")
    with pytest.raises(ValidationError) as exc:
        services.plan_copy_from_last_year(actor=kam, account=account, year=2026)
    assert "already has a plan for 2026" in exc.value.message_dict["year"][0]
    assert AccountPlan.objects.get(year=2026).business_goals == "schon da"


def test_second_plan_for_the_same_year_is_refused(kam, account):
    make_plan(account, 2026)
    with pytest.raises(ValidationError) as exc:
        make_plan(account, 2026)
    assert exc.value.message_dict == {"year": ["This account already has a plan for 2026."]}
    # Another account may have its own plan for that year.
    make_plan(make_account(owner=kam), 2026)
    assert AccountPlan.objects.filter(year=2026).count() == 2


def test_year_out_of_range_is_refused(account):
    with pytest.raises(ValidationError) as exc:
        make_plan(account, 1999)
    assert "year" in exc.value.message_dict


def test_swot_lists_are_cleaned_to_one_item_per_line(account):
    plan = make_plan(account, strengths="  - Service \r\n\r\n• Qualität\n  ", weaknesses="\n")
    assert plan.strengths == "Service\nQualität"
    assert plan.weaknesses == ""


def test_outsider_and_reader_may_not_change_plans(kam, account, outsider, sales_rep):
    plan = make_plan(account)
    team_member_set(actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False)
    for user in (outsider, sales_rep):
        with pytest.raises(PermissionDenied):
            make_plan(account, 2027, actor=user)
        with pytest.raises(PermissionDenied):
            services.plan_update(actor=user, plan=plan, business_goals="x")
        with pytest.raises(PermissionDenied):
            services.plan_mark_reviewed(actor=user, plan=plan)
        with pytest.raises(PermissionDenied):
            services.plan_set_status(actor=user, plan=plan, status=Status.ARCHIVED)
        with pytest.raises(PermissionDenied):
            services.plan_copy_from_last_year(actor=user, account=account, year=2026)
    plan.refresh_from_db()
    assert plan.business_goals == "" and plan.last_reviewed_at is None


def test_mark_reviewed_records_who_and_when(kam, head_of_sales, account):
    plan = make_plan(account)
    before = timezone.now()
    plan = services.plan_mark_reviewed(actor=head_of_sales, plan=plan)
    assert plan.last_reviewed_by == head_of_sales
    assert plan.last_reviewed_at >= before
    assert plan.history.first().last_reviewed_by_id == head_of_sales.pk


def test_archived_plan_is_not_reviewed(kam, account):
    plan = make_plan(account, status=Status.ARCHIVED)
    with pytest.raises(ValidationError):
        services.plan_mark_reviewed(actor=kam, plan=plan)


def test_activating_a_plan_archives_older_active_plans(kam, account):
    old = make_plan(account, 2025, status=Status.ACTIVE)
    older = make_plan(account, 2024, status=Status.ARCHIVED)
    new = make_plan(account, 2026)
    services.plan_set_status(actor=kam, plan=new, status=Status.ACTIVE)
    old.refresh_from_db()
    older.refresh_from_db()
    assert (old.status, older.status) == (Status.ARCHIVED, Status.ARCHIVED)
    assert old.history.first().status == Status.ARCHIVED


def test_unknown_status_is_refused(kam, account):
    plan = make_plan(account)
    with pytest.raises(ValidationError) as exc:
        services.plan_set_status(actor=kam, plan=plan, status="done")
    assert "status" in exc.value.message_dict


def _reviewed(plan, days_ago: int, actor):
    return services.plan_mark_reviewed(
        actor=actor, plan=plan, at=timezone.now() - timedelta(days=days_ago)
    )


def test_stale_rule_counts_days_since_the_last_review(kam, account, settings):
    settings.PLAN_STALE_DAYS = 90
    plan = make_plan(account, status=Status.ACTIVE)
    assert not is_stale(plan)  # never reviewed, but started today
    plan = _reviewed(plan, 91, kam)
    assert is_stale(plan)
    assert list(stale_plans(kam)) == [plan]
    plan = _reviewed(plan, 89, kam)
    assert not is_stale(plan)
    assert list(stale_plans(kam)) == []
    settings.PLAN_STALE_DAYS = 30  # configurable
    assert is_stale(plan) and list(stale_plans(kam)) == [plan]


def test_never_reviewed_plan_is_stale_once_it_is_older_than_the_limit(kam, account):
    plan = make_plan(account, status=Status.DRAFT)
    AccountPlan.objects.filter(pk=plan.pk).update(created_at=timezone.now() - timedelta(days=120))
    plan.refresh_from_db()
    assert is_stale(plan)
    assert list(stale_plans(kam)) == [plan]


def test_archived_plans_are_never_stale(kam, account):
    plan = _reviewed(make_plan(account, status=Status.ACTIVE), 400, kam)
    services.plan_set_status(actor=kam, plan=plan, status=Status.ARCHIVED)
    plan.refresh_from_db()
    assert not is_stale(plan)
    assert list(stale_plans(kam)) == []


def test_stale_plans_stay_within_the_scope(kam, other_kam, head_of_sales, account, outsider):
    mine = _reviewed(make_plan(account, status=Status.ACTIVE), 200, kam)
    other = make_account(owner=other_kam, name="Andere AG")
    theirs = _reviewed(make_plan(other, status=Status.ACTIVE), 100, other_kam)
    assert list(stale_plans(kam)) == [mine]
    assert list(stale_plans(other_kam)) == [theirs]
    assert list(stale_plans(head_of_sales)) == [mine, theirs]  # longest unreviewed first
    assert list(stale_plans(outsider)) == []


def test_stale_plans_preload_the_account(kam, account, django_assert_num_queries):
    for year in (2023, 2024, 2025):
        _reviewed(make_plan(account, year, status=Status.DRAFT), 100, kam)
    with django_assert_num_queries(2):  # the user's account paths, then the plans
        names = [plan.account.name for plan in stale_plans(kam)]
    assert names == [account.name] * 3


def test_demo_plans_have_a_stale_one_and_are_idempotent(db):
    users = seed_users()
    seed_accounts(users)
    created = demo.seed(users)
    year = timezone.localdate().year
    assert created == AccountPlan.objects.count() >= 10
    this_year = AccountPlan.objects.filter(year=year, status=Status.ACTIVE)
    last_year = AccountPlan.objects.filter(year=year - 1)
    assert this_year.count() >= 5 and last_year.count() >= 6
    assert {p.account.owner.username for p in this_year} == {"kam", "kam2"}
    stale_this_year = [p for p in stale_plans(users["leitung"]) if p.year == year]
    assert len(stale_this_year) == 1
    assert demo.seed(users) == 0
    assert AccountPlan.objects.count() == created


def test_timeline_lists_started_and_reviewed_plans_newest_first(kam, account, other_kam):
    from planning.account_plan.timeline import events

    plan = make_plan(account, 2025)
    services.plan_mark_reviewed(actor=kam, plan=plan, at=timezone.now() - timedelta(days=3))
    AccountPlan.objects.filter(pk=plan.pk).update(created_at=timezone.now() - timedelta(days=9))
    make_plan(make_account(owner=other_kam), 2025)  # another account: not listed
    found = events([account.pk], before=None, limit=10)
    assert [e.kind for e in found] == ["plan.reviewed", "plan.created"]
    assert found[0].label == "Account plan reviewed" and found[0].detail == str(kam)
    assert found[0].url == f"/planning/account-plans/{plan.pk}/"
    older = events([account.pk], before=timezone.now() - timedelta(days=5), limit=10)
    assert [e.kind for e in older] == ["plan.created"]
    assert len(events([account.pk], before=None, limit=1)) == 1


def test_creating_an_active_plan_archives_last_years(kam, account):
    old = make_plan(account, 2025, status=Status.ACTIVE)
    make_plan(account, 2026, status=Status.ACTIVE)
    old.refresh_from_db()
    assert old.status == Status.ARCHIVED


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
def test_a_years_stale_plans_are_read_in_order_from_their_index(kam, head_of_sales):
    year = timezone.localdate().year
    plans = [
        make_plan(make_account(owner=kam, name=f"Kunde {n:03d}"), year, status=Status.ACTIVE)
        for n in range(60)
    ]
    now = timezone.now()  # once: plans 30 days apart share their created_at
    for n, plan in enumerate(plans):
        AccountPlan.objects.filter(pk=plan.pk).update(created_at=now - timedelta(days=400 - n % 30))
    with connection.cursor() as cursor:
        # Statistics of the joined tables too: autovacuum may have analysed the accounts
        # while the test database held one, and a plan led by one account sorts.
        cursor.execute("ANALYZE planning_accountplan, accounts_account, users_user")
        # Whether the query's shape can use the index; on the benchmark data the planner
        # picks it by itself and stops after the page.
        cursor.execute("SET LOCAL enable_seqscan = off")
    stale = stale_plans(head_of_sales).filter(year=year)
    assert "stale_plan_order" in stale[:51].explain()
    # The oldest first, ties by the account's name.
    first = [plan.account.name for plan in stale[:3]]
    assert first == ["Kunde 000", "Kunde 030", "Kunde 001"]
