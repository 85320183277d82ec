"""NPS arithmetic against hand-computed examples, the trend, "My work" issues and the
timeline events."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from customer_care import selectors, services, timeline
from tests.customer_care.conftest import open_issue, record
from tests.factories import make_account

THIS_YEAR = timezone.localdate().year


def on(year: int, month: int = 3, day: int = 15) -> date:
    return date(year, month, day)


def scores(account, year: int, nps_scores=(), csat_scores=()) -> None:
    for nps in nps_scores:
        record(account, nps=nps, surveyed_on=on(year))
    for csat in csat_scores:
        record(account, csat=csat, surveyed_on=on(year))


def row_for(account, year: int) -> dict:
    return next(r for r in selectors.nps_by_year([account.pk]) if r["year"] == year)


@pytest.mark.parametrize(
    ("nps_scores", "expected", "promoters", "passives", "detractors"),
    [
        # 2 promoters, 2 passives, 2 detractors of 6: 33.3 % − 33.3 % = 0
        ([10, 9, 8, 7, 6, 0], 0.0, 2, 2, 2),
        # 3 promoters of 4: 75 % − 0 % = 75
        ([10, 10, 9, 8], 75.0, 3, 1, 0),
        # 1 promoter, 2 detractors of 3: 33.3 % − 66.7 % = −33.3
        ([3, 5, 10], -33.3, 1, 0, 2),
        # all detractors: −100; all promoters: +100
        ([0, 6], -100.0, 0, 0, 2),
        ([9, 10, 9], 100.0, 3, 0, 0),
        # 7 promoters, 2 passives, 1 detractor of 10: 70 % − 10 % = 60
        ([10, 10, 10, 9, 9, 9, 9, 8, 7, 4], 60.0, 7, 2, 1),
    ],
)
def test_nps_matches_hand_computed_examples(
    account, nps_scores, expected, promoters, passives, detractors
):
    scores(account, 2025, nps_scores)
    row = row_for(account, 2025)
    assert row["nps"] == expected
    assert (row["promoters"], row["passives"], row["detractors"]) == (
        promoters, passives, detractors,
    )  # fmt: skip
    assert row["responses"] == len(nps_scores)
    assert selectors.nps_score(list(nps_scores)) == expected


def test_csat_only_surveys_count_for_csat_but_not_for_nps(account):
    scores(account, 2025, [10, 4], csat_scores=[5, 4, 2])
    record(account, nps=9, csat=3, surveyed_on=on(2025))
    row = row_for(account, 2025)
    # NPS answers: 10, 4, 9 → 2 promoters, 1 detractor of 3 = 33.3
    assert row["responses"] == 3 and row["nps"] == 33.3
    assert row["surveys"] == 6
    # CSAT answers: 5, 4, 2, 3 → 3.5
    assert row["csat_average"] == 3.5 and row["csat_responses"] == 4


def test_a_year_without_nps_answers_has_no_nps(account):
    scores(account, 2025, csat_scores=[4])
    assert row_for(account, 2025)["nps"] is None


def test_nps_is_per_account_and_year(account, other_kam):
    other = make_account(owner=account.owner, name="Zweitkunde AG")
    scores(account, 2024, [10])
    scores(account, 2025, [0])
    scores(other, 2025, [9, 8])
    rows = selectors.nps_by_year([account.pk, other.pk])
    assert [(r["account_id"], r["year"], r["nps"]) for r in rows] == [
        (account.pk, 2024, 100.0), (account.pk, 2025, -100.0), (other.pk, 2025, 50.0),
    ]  # fmt: skip


def test_trend_compares_each_year_with_the_previous_one(account, settings):
    settings.NPS_MIN_ANSWERS = 1
    scores(account, THIS_YEAR - 3, [10, 9, 6, 7])  # 50 − 25 = 25
    scores(account, THIS_YEAR - 2, [10, 9, 9, 8])  # 75
    scores(account, THIS_YEAR - 1, csat_scores=[3])  # no NPS: skipped in the comparison
    scores(account, THIS_YEAR, [10, 5, 5, 8])  # 25 − 50 = −25
    years = selectors.nps_trend(account)
    assert [(y.year, y.nps, y.change, y.trend) for y in years] == [
        (THIS_YEAR, -25.0, -100.0, "down"),
        (THIS_YEAR - 1, None, None, ""),
        (THIS_YEAR - 2, 75.0, 50.0, "up"),
        (THIS_YEAR - 3, 25.0, None, ""),
    ]


def test_a_year_with_the_same_nps_is_flat(account, settings):
    settings.NPS_MIN_ANSWERS = 1
    scores(account, 2024, [10, 6])
    scores(account, 2025, [7])
    assert [y.trend for y in selectors.nps_trend(account)] == ["flat", ""]


def test_nps_is_computed_in_one_query(account, django_assert_num_queries):
    scores(account, 2024, [10, 6, 9])
    scores(account, 2025, [7, 3])
    with django_assert_num_queries(1):
        selectors.nps_trend(account)


# --- "My work" -----------------------------------------------------------------------------


def test_open_issues_owned_by_lists_only_unresolved_issues_the_user_owns(
    kam, other_kam, account, sales_rep
):
    account_services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    later = open_issue(account, title="Später", severity="low")
    sooner = open_issue(account, title="Bald", severity="critical")
    waiting = open_issue(account, title="Wartet", severity="high")
    services.issue_change_status(actor=kam, issue=waiting, status="waiting")
    done = open_issue(account, title="Erledigt")
    services.issue_change_status(actor=kam, issue=done, status="resolved", resolution="ok")
    open_issue(account, title="Kollegin", owner=sales_rep)
    theirs = make_account(owner=other_kam, name="Andere AG")
    open_issue(theirs, title="Nicht meins")

    mine = list(selectors.open_issues_owned_by(kam))
    assert [i.title for i in mine] == ["Bald", "Wartet", "Später"]
    assert [i.title for i in selectors.open_issues_owned_by(sales_rep)] == ["Kollegin"]
    assert selectors.open_issues_owned_by(other_kam).get().title == "Nicht meins"
    assert later in mine and sooner in mine


def test_open_issues_owned_by_drops_accounts_the_user_no_longer_sees(kam, account, sales_rep):
    membership, _ = account_services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    open_issue(account, owner=sales_rep)
    assert selectors.open_issues_owned_by(sales_rep).count() == 1
    account_services.team_member_remove(actor=kam, account=account, membership_id=membership.pk)
    assert selectors.open_issues_owned_by(sales_rep).count() == 0


def test_open_issues_owned_by_preloads_account_and_department(
    kam, account, django_assert_num_queries
):
    for number in range(5):
        open_issue(account, title=f"Fall {number}")
    with django_assert_num_queries(2):  # the user's accounts (scope) and the issues
        names = [(i.account.name, str(i.department)) for i in selectors.open_issues_owned_by(kam)]
    assert len(names) == 5


def test_open_issue_counts_per_account(kam, account):
    other = make_account(owner=kam, name="Zweite AG")
    open_issue(account)
    open_issue(account)
    open_issue(other)
    done = open_issue(other)
    services.issue_change_status(actor=kam, issue=done, status="closed", resolution="ok")
    assert selectors.open_issue_counts(kam) == {account.pk: 2, other.pk: 1}


# --- Timeline ----------------------------------------------------------------------------


def test_timeline_shows_openings_resolutions_and_surveys_newest_first(kam, account):
    now = timezone.now()
    issue = open_issue(account, title="Transportschaden", opened_at=now - timedelta(days=10))
    services.issue_change_status(
        actor=kam, issue=issue, status="resolved", resolution="Ersatz", at=now - timedelta(days=2)
    )
    record(account, nps=4, csat=2, surveyed_on=timezone.localdate() - timedelta(days=5))
    events = timeline.events([account.pk], before=None, limit=10)
    assert [e.kind for e in events] == ["issue.resolved", "survey.detractor", "issue.opened"]
    assert events[1].label == "Umfrage erfasst (NPS 4 / CSAT 2)"  # German is the default
    assert events[0].url == f"/care/issues/{issue.pk}/"
    assert all(e.account_id == account.pk for e in events)


def test_timeline_pages_with_before_and_limit_in_two_queries(
    kam, account, django_assert_num_queries
):
    now = timezone.now()
    for days in range(1, 7):
        open_issue(account, title=f"Fall {days}", opened_at=now - timedelta(days=days * 10))
        record(account, nps=9, surveyed_on=timezone.localdate() - timedelta(days=days * 10 + 3))
    with django_assert_num_queries(2):
        first = timeline.events([account.pk], before=None, limit=4)
    assert len(first) == 4
    assert first == sorted(first, key=lambda e: e.when, reverse=True)
    older = timeline.events([account.pk], before=first[-1].when, limit=20)
    assert len(older) == 12 - 4
    assert all(e.when < first[-1].when for e in older)
    assert timeline.events([account.pk], before=None, limit=0) == []
