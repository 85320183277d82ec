"""Demo coaching plans: idempotent, one rep not yet confirmed."""

from django.utils import timezone

from planning.coaching import demo
from planning.models import BriefingConfirmation, CoachingPlan, CoachingSession


def test_seed_creates_plans_for_vertrieb_and_is_idempotent(demo_users):
    users = demo_users
    plans = CoachingPlan.objects.all()
    created = plans.count()
    assert created >= 2
    assert all(list(p.reps.all()) == [users["vertrieb"]] for p in plans)
    assert all(p.materials.exclude(url="").count() >= 2 for p in plans)
    assert all(p.sessions.count() == 2 for p in plans)
    confirmed = BriefingConfirmation.objects.values_list("plan_id", flat=True)
    assert plans.exclude(pk__in=confirmed).count() == 1  # one rep has not confirmed yet
    assert {s.held_at.year for s in CoachingSession.objects.all()} != {timezone.now().year}
    assert demo.seed(users) == 0
    assert CoachingPlan.objects.count() == created
    assert CoachingPlan.history.filter(history_type="+").count() == created
