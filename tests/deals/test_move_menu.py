"""The pipeline's "Move" menu: the board carries no form per card; a card's menu (the other
stages) is filled when the user opens it, and moves the deal as before."""

import re

from django.urls import reverse

from deals.models import Stage
from tests.conftest import client_for
from tests.deals.helpers import make_opportunity
from tests.deals.test_views import HTMX, PIPELINE, reader  # noqa: F401 - fixture


def menu_url(opportunity, query: str = "") -> str:
    return reverse("deals:move_menu", args=[opportunity.pk]) + (f"?{query}" if query else "")


def test_the_board_has_no_form_per_card_only_a_menu_to_open(kam_client, account):
    for n in range(4):
        make_opportunity(account=account, stage="qualified", title=f"Projekt {n}")

    html = kam_client.get(PIPELINE).content.decode()

    assert html.count('data-testid="opportunity-card"') == 4
    assert html.count('class="move-menu"') == 4
    assert "/move/menu/" in html
    # Only the filter form: no move form, no stage buttons, no CSRF token per card.
    assert not re.search(r'<form[^>]*action="[^"]*/move/', html)
    assert 'name="stage"' not in html.split('id="pipeline"')[1]


def test_an_opened_menu_offers_the_other_stages_and_moves_the_deal(kam, kam_client, account):
    deal = make_opportunity(account=account, stage="qualified", title="Sensorpaket")
    others = Stage.objects.exclude(key="qualified").order_by("order", "pk")

    menu = kam_client.get(menu_url(deal, "owner=me"), **HTMX)

    html = menu.content.decode()
    assert menu.status_code == 200
    assert re.findall(r'name="stage" value="(\d+)"', html) == [str(s.pk) for s in others]
    assert reverse("deals:move", args=[deal.pk]) + "?owner=me" in html  # the filters travel
    proposal = Stage.objects.get(key="proposal")
    moved = kam_client.post(reverse("deals:move", args=[deal.pk]), {"stage": proposal.pk}, **HTMX)
    assert moved.status_code == 200
    deal.refresh_from_db()
    assert deal.stage == proposal


def test_a_reader_gets_no_menu_and_an_outsider_a_404(reader, outsider, account):  # noqa: F811
    deal = make_opportunity(account=account, stage="qualified")

    assert client_for(reader).get(menu_url(deal), **HTMX).status_code == 403
    assert client_for(outsider).get(menu_url(deal), **HTMX).status_code == 404
