"""The demo issues and surveys: spread over three years, in every status and department,
with a plausible NPS per year and one recent detractor whose follow-up is still open."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Account
from activities.models import FollowUp
from customer_care import demo
from customer_care.models import CustomerIssue, Survey
from users.models import User


@pytest.fixture
def seeded(demo_users):
    return None


def test_issues_cover_every_status_kind_department_and_three_years(seeded):
    issues = CustomerIssue.objects.all()
    assert set(issues.values_list("status", flat=True)) == set(CustomerIssue.Status.values)
    assert set(issues.values_list("kind", flat=True)) == set(CustomerIssue.Kind.values)
    assert issues.values("department").distinct().count() == 6
    years = {opened.year for opened in issues.values_list("opened_at", flat=True)}
    assert len(years) >= 3
    per_account = issues.values_list("account_id", flat=True)
    counts = {a: list(per_account).count(a) for a in set(per_account)}
    assert len(counts) >= 10 and all(2 <= n <= 6 for n in counts.values())
    resolved = issues.filter(status__in=CustomerIssue.DONE_STATUSES)
    assert not resolved.filter(resolution="").exists()
    assert not resolved.filter(resolved_at__isnull=True).exists()


def test_surveys_on_every_key_account_with_one_open_detractor_follow_up(seeded):
    key_accounts = Account.objects.filter(
        external_id__startswith="DEMO-", status=Account.Status.KEY_ACCOUNT
    )
    for account in key_accounts:
        assert 2 <= account.surveys.count() <= 9
    assert not Survey.objects.exclude(account__in=key_accounts).exists()
    open_follow_ups = FollowUp.objects.filter(source="survey", done_at__isnull=True)
    follow_up = open_follow_ups.get()
    assert follow_up.account.external_id == demo.RECENT_DETRACTOR_ACCOUNT
    assert follow_up.owner == follow_up.account.owner
    detractors = [s for s in Survey.objects.all() if s.is_detractor]
    assert FollowUp.objects.filter(source="survey").count() == len(detractors)
    week_ago = timezone.localdate() - timedelta(days=7)
    recent = Survey.objects.filter(account=follow_up.account, surveyed_on__gte=week_ago)
    assert any(s.is_detractor for s in recent)


def test_seeding_again_creates_nothing(seeded):
    before = (CustomerIssue.objects.count(), Survey.objects.count(), FollowUp.objects.count())
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "kam", "kam2"])}
    assert demo.seed(users) == 0
    after = (CustomerIssue.objects.count(), Survey.objects.count(), FollowUp.objects.count())
    assert before == after
