"""The coaching timeline."""

from datetime import timedelta

from django.utils import timezone

from planning.coaching import services
from planning.coaching import timeline as coaching_timeline
from tests.planning.coaching_helpers import session_time


def test_timeline_lists_sessions_and_confirmations_newest_first(account, kam, rep, plan):
    services.session_add(actor=kam, plan=plan, held_at=session_time(10), notes="Erste")
    services.session_add(actor=kam, plan=plan, held_at=session_time(2), notes="Zweite")
    services.briefing_confirm(actor=rep, plan=plan)
    events = coaching_timeline.events([account.pk], before=None, limit=10)
    assert [e.kind for e in events] == ["coaching.briefed", "coaching.session", "coaching.session"]
    assert events[1].detail == "Zweite"
    assert events[0].detail == (rep.get_full_name() or rep.username)
    older = coaching_timeline.events(
        [account.pk], before=timezone.now() - timedelta(days=5), limit=10
    )
    assert [e.detail for e in older] == ["Erste"]
    assert coaching_timeline.events([account.pk], before=None, limit=1)[0].kind == (
        "coaching.briefed"
    )
    assert coaching_timeline.events([account.pk + 1000], before=None, limit=10) == []
