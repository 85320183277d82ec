"""A deal's next follow-up reaches "My work" of the deal's owner."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deals import services
from deals.models import Stage
from tests.deals.helpers import make_opportunity


def test_overdue_deal_follow_up_is_on_my_work(kam, kam_client, account, stages):
    make_opportunity(
        account=account,
        title="Rahmenvertrag Antriebe",
        next_follow_up_on=timezone.localdate() - timedelta(days=7),
        next_follow_up_action="Angebot nachfassen",
    )
    html = kam_client.get(reverse("activities:my_work")).text
    section = html.split('data-testid="deal-follow-ups"')[1].split("</section>")[0]
    assert "Angebot nachfassen" in section
    assert "Rahmenvertrag Antriebe" in section
    assert "überfällig" in section


def test_closed_deals_and_other_owners_stay_off(kam, other_kam, kam_client, account, stages):
    deal = make_opportunity(
        account=account,
        title="Gewonnen",
        next_follow_up_on=date(2026, 1, 5),
        next_follow_up_action="Nachfassen",
    )
    services.opportunity_move(
        actor=kam, opportunity=deal, stage=Stage.objects.get(key="won"), reason="Preis"
    )
    make_opportunity(
        account=account,
        title="Fremder Deal",
        owner=other_kam,
        next_follow_up_on=date(2026, 1, 5),
        next_follow_up_action="Nachfassen",
    )
    html = kam_client.get(reverse("activities:my_work")).text
    assert "Gewonnen" not in html
    assert "Fremder Deal" not in html


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("activities:my_work"))
    return len(captured)


def test_my_work_query_count_does_not_grow_with_deals(
    kam, kam_client, account, stages, django_assert_num_queries
):
    make_opportunity(account=account, next_follow_up_on=date(2026, 1, 5), next_follow_up_action="A")
    one = queries_for(kam_client)
    for n in range(4):
        make_opportunity(
            account=account, next_follow_up_on=date(2026, 1, 6 + n), next_follow_up_action="B"
        )
    with django_assert_num_queries(one):
        html = kam_client.get(reverse("activities:my_work")).text
    assert html.count('data-deal-follow-up="') == 5
