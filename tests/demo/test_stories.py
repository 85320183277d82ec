"""The demo data tells the stories of the numbers: a deal won but not yet invoiced in the
target forecast, a missed notice deadline, and a deal follow-up on My work."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from contracts.selectors import contract_list
from deals import demo as deals_demo
from planning.action_plan.selectors import decorate, objective_list
from planning.models import Objective
from tests.conftest import client_for
from users.models import User


def test_demo_shows_won_not_invoiced_missed_deadline_and_deal_follow_up(demo_users):
    kam = User.objects.get(username="kam")

    objectives = objective_list(kam).filter(
        account__external_id=deals_demo.SHOWCASE_ACCOUNT,
        kind=Objective.Kind.REVENUE,
        year=timezone.localdate().year,
    )
    forecast = decorate(objectives)[0].forecast
    assert forecast.won_not_invoiced >= Decimal("168000")

    missed = [c for c in contract_list(kam) if c.missed_notice_deadline and c.auto_renewal]
    assert missed
    assert all(c.next_notice_deadline > c.missed_notice_deadline for c in missed)

    html = client_for(kam).get(reverse("activities:my_work")).text
    section = html.split('data-testid="deal-follow-ups"')[1].split("</section>")[0]
    assert "Angebot nachfassen" in section
    assert "überfällig" in section
