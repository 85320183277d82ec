"""Demo coaching plans (idempotent, one rep not yet confirmed) and the coaching timeline."""

from datetime import timedelta

from django.utils import timezone

from accounts.demo import seed_accounts
from planning.coaching import demo, services
from planning.coaching import timeline as coaching_timeline
from planning.models import BriefingConfirmation, CoachingPlan, CoachingSession
from tests.planning.coaching_helpers import session_time
from users.demo import seed_users


def test_seed_creates_plans_for_vertrieb_and_is_idempotent(db):
    users = seed_users()
    seed_accounts(users)
    created = demo.seed(users)
    plans = CoachingPlan.objects.all()
    assert created == plans.count() >= 2
    assert all(list(p.reps.all()) == [users["vertrieb"]] for p in plans)
    assert all(p.materials.exclude(url="").count() >= 2 for p in plans)
    assert all(p.sessions.count() == 2 for p in plans)
    confirmed = BriefingConfirmation.objects.values_list("plan_id", flat=True)
    assert plans.exclude(pk__in=confirmed).count() == 1  # one rep has not confirmed yet
    assert {s.held_at.year for s in CoachingSession.objects.all()} != {timezone.now().year}
    assert demo.seed(users) == 0
    assert CoachingPlan.objects.count() == created
    assert CoachingPlan.history.filter(history_type="+").count() == created


def test_timeline_lists_sessions_and_confirmations_newest_first(account, kam, rep, plan):
    services.session_add(actor=kam, plan=plan, held_at=session_time(10), notes="Erste")
    services.session_add(actor=kam, plan=plan, held_at=session_time(2), notes="Zweite")
    services.briefing_confirm(actor=rep, plan=plan)
    events = coaching_timeline.events([account.pk], before=None, limit=10)
    assert [e.kind for e in events] == ["coaching.briefed", "coaching.session", "coaching.session"]
    assert events[1].detail == "Zweite"
    older = coaching_timeline.events(
        [account.pk], before=timezone.now() - timedelta(days=5), limit=10
    )
    assert [e.detail for e in older] == ["Erste"]
    assert coaching_timeline.events([account.pk], before=None, limit=1)[0].kind == (
        "coaching.briefed"
    )
    assert coaching_timeline.events([account.pk + 1000], before=None, limit=10) == []
