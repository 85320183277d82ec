"""The demo contact log: real-looking, spread over three years, and idempotent."""

from datetime import timedelta

from django.db.models import Count, Max, Min
from django.utils import timezone

from accounts.models import Account
from activities import demo
from activities.models import Activity, FollowUp


def test_demo_seed_is_spread_over_three_years_and_idempotent(demo_users):
    users = demo_users
    activities, follow_ups = Activity.objects.count(), FollowUp.objects.count()
    assert activities and follow_ups
    assert demo.seed(users) == 0  # a second run creates nothing
    assert (Activity.objects.count(), FollowUp.objects.count()) == (activities, follow_ups)

    per_key_account = (
        Account.objects.filter(external_id__startswith="DEMO-", status="key_account")
        .annotate(n=Count("activities"))
        .values_list("n", flat=True)
    )
    assert per_key_account and all(8 <= n <= 20 for n in per_key_account)
    span = Activity.objects.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    assert span["last"] - span["first"] > timedelta(days=2 * 365)
    assert span["last"] <= timezone.now()
    assert Activity.objects.filter(contacts__isnull=False).exists()

    today = timezone.localdate()
    for name in ("kam", "kam2", "vertrieb"):
        mine = FollowUp.objects.filter(owner=users[name])
        assert mine.filter(done_at__isnull=True).exists(), name
        assert mine.filter(done_at__isnull=False).exists(), name
        assert mine.filter(done_at__isnull=True, due_on__lt=today).exists(), name
    # done ones keep who closed them, and never in the future
    assert not FollowUp.objects.filter(done_at__isnull=False, done_by__isnull=True).exists()
    assert not FollowUp.objects.filter(done_at__gt=timezone.now()).exists()
