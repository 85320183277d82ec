"""Opportunity pages: pipeline, list, detail with competitors, form and the account tab."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.models import ProductLine
from deals import services
from deals.models import Competitor, Opportunity
from tests.conftest import client_for
from tests.deals.helpers import make_opportunity
from tests.factories import make_account

HTMX = {"HTTP_HX_REQUEST": "true"}
PIPELINE = reverse("deals:pipeline")
LIST = reverse("deals:list")


@pytest.fixture
def reader(account, sales_rep):
    account_services.team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    return sales_rep


@pytest.fixture
def deal(account) -> Opportunity:
    return make_opportunity(
        account=account, stage="negotiation", title="Sensorpaket", value=Decimal("40000")
    )


def move_url(opportunity: Opportunity, query: str = "") -> str:
    return reverse("deals:move", args=[opportunity.pk]) + (f"?{query}" if query else "")


# --- Pipeline -----------------------------------------------------------------------------


def test_pipeline_shows_stages_with_totals_weighted_totals_and_cards(kam, kam_client, account):
    nordtec = services.competitor_create(actor=kam, name="Nordtec AG")
    deal = make_opportunity(
        account=account, stage="proposal", title="Retrofit", value=Decimal("100000")
    )
    services.opportunity_competitor_set(actor=kam, opportunity=deal, competitor=nordtec)
    make_opportunity(account=account, stage="proposal", value=Decimal("20000"), probability=20)

    response = kam_client.get(PIPELINE)

    html = response.content.decode()
    assert response.status_code == 200
    proposal = html[html.index('id="stage-proposal"') : html.index('id="stage-negotiation"')]
    assert "Retrofit" in proposal and "Nordtec AG" in proposal and account.name in proposal
    assert "120.000 €" in proposal  # total
    assert "54.000 €" in proposal  # weighted: 100000 × 50 % + 20000 × 20 %
    assert 'class="move-menu"' in proposal  # the move control


def test_pipeline_filters_keep_their_state_in_the_url(kam, kam_client, account, head_of_sales):
    line = ProductLine.objects.create(name="Sensorik")
    other = make_account(owner=kam, name="Nordlicht Logistik")
    make_opportunity(
        account=account,
        title="Mit Linie",
        product_lines=[line],
        expected_close_date=date(2027, 1, 5),
    )
    make_opportunity(account=other, title="Andere Firma", expected_close_date=date(2027, 6, 1))
    make_opportunity(account=other, title="Von Leitung", owner=head_of_sales)

    def titles(**query):
        html = kam_client.get(PIPELINE, query, **HTMX).content.decode()
        return {t for t in ("Mit Linie", "Andere Firma", "Von Leitung") if t in html}

    assert titles(product_line=line.pk) == {"Mit Linie"}
    assert titles(account=other.pk) == {"Andere Firma", "Von Leitung"}
    assert titles(owner=head_of_sales.pk) == {"Von Leitung"}
    assert titles(close_from="2027-02-01", close_to="2027-12-31") == {"Andere Firma"}
    assert titles(q="nordlicht") == {"Andere Firma", "Von Leitung"}
    # The move controls post back with the filters, so the pipeline returns as it was.
    html = kam_client.get(PIPELINE, {"account": other.pk}).content.decode()
    assert f"move/?account={other.pk}" in html
    assert "Nordlicht Logistik" in html  # the account chip


def test_htmx_filter_gets_only_the_pipeline_partial(kam_client, deal):
    response = kam_client.get(PIPELINE, {"status": "open"}, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="pipeline"')
    assert "<html" not in html


@pytest.mark.parametrize("rows", [3, 15])
def test_pipeline_query_count_does_not_grow_with_rows(
    kam, kam_client, rows, django_assert_num_queries
):
    line = ProductLine.objects.create(name="Sensorik")
    competitor = services.competitor_create(actor=kam, name="Nordtec AG")
    stages = ["identified", "qualified", "proposal", "negotiation", "won", "lost"]
    for n in range(rows):
        opportunity = make_opportunity(
            account=make_account(owner=kam), stage=stages[n % 6], product_lines=[line]
        )
        services.opportunity_competitor_set(
            actor=kam, opportunity=opportunity, competitor=competitor
        )

    # 12, and 2 for the list of visible account ids (its scope paths and the ids); the
    # cards load their competitors, not their product lines
    with django_assert_num_queries(14) as captured:
        response = kam_client.get(PIPELINE)

    assert response.content.decode().count('data-testid="opportunity-card"') == rows
    # The cards of each column come from a LIMIT per stage, not from ranking every deal.
    assert not [q for q in captured.captured_queries if " OVER " in q["sql"].upper()]


def test_board_shows_20_cards_per_column_and_more_on_demand(kam_client, account, stages):
    for n in range(23):
        make_opportunity(
            account=account,
            stage="proposal",
            title=f"Projekt {n:02d}",
            expected_close_date=date(2027, 1, 1 + n % 28),
        )
    make_opportunity(account=account, stage="qualified", title="Anderes")

    html = kam_client.get(PIPELINE).content.decode()
    proposal = html[html.index('id="stage-proposal"') : html.index('id="stage-negotiation"')]
    assert proposal.count('data-testid="opportunity-card"') == 20
    assert 'data-testid="show-more"' in proposal
    assert "Anderes" in html

    url = reverse("deals:stage_cards", args=[stages["proposal"].pk])
    more = kam_client.get(url, {"offset": 20}, **HTMX).content.decode()
    assert more.count('data-testid="opportunity-card"') == 3
    assert 'data-testid="show-more"' not in more
    shown = {f"Projekt {n:02d}" for n in range(23) if f"Projekt {n:02d}<" in proposal + more}
    assert len(shown) == 23


@pytest.mark.parametrize("rows", [3, 15])
def test_list_query_count_does_not_grow_with_rows(kam, kam_client, rows, django_assert_num_queries):
    line = ProductLine.objects.create(name="Sensorik")
    competitor = services.competitor_create(actor=kam, name="Nordtec AG")
    for _ in range(rows):
        opportunity = make_opportunity(account=make_account(owner=kam), product_lines=[line])
        services.opportunity_competitor_set(
            actor=kam, opportunity=opportunity, competitor=competitor
        )

    with django_assert_num_queries(9):
        response = kam_client.get(LIST)

    assert response.content.decode().count('data-testid="opportunity-row"') == rows


def test_list_sorts_filters_and_pages(kam_client, account):
    for n in range(30):
        make_opportunity(account=account, title=f"Projekt {n:02d}", value=Decimal(1000 + n))

    html = kam_client.get(LIST, {"ordering": "-value"}).content.decode()
    assert html.index("Projekt 29") < html.index("Projekt 28")
    assert "Projekt 04" not in html  # page 2
    page2 = kam_client.get(LIST, {"ordering": "-value", "page": 2}).content.decode()
    assert "Projekt 04" in page2 and "Projekt 29" not in page2
    assert "ordering=-value" in page2  # the paging links keep the sort
    only = kam_client.get(LIST, {"q": "Projekt 07"}).content.decode()
    assert only.count('data-testid="opportunity-row"') == 1


# --- Move ---------------------------------------------------------------------------------


def test_move_updates_the_pipeline_in_place(kam_client, deal, stages):
    response = kam_client.post(
        move_url(deal, "status=open"), {"stage": stages["proposal"].pk}, **HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="pipeline"')
    proposal = html[html.index('id="stage-proposal"') : html.index('id="stage-negotiation"')]
    assert "Sensorpaket" in proposal
    deal.refresh_from_db()
    assert deal.stage == stages["proposal"] and deal.probability == 50
    assert "kam:toasts" in response["HX-Trigger"]


def test_won_without_reason_asks_for_it_in_place_with_422(kam_client, deal, stages):
    response = kam_client.post(move_url(deal), {"stage": stages["won"].pk}, **HTMX)

    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#opportunity-card-{deal.pk}"
    html = response.content.decode()
    assert 'name="reason"' in html and "field-error" in html
    deal.refresh_from_db()
    assert deal.stage == stages["negotiation"]

    response = kam_client.post(
        move_url(deal), {"stage": stages["won"].pk, "reason": "Bester Service"}, **HTMX
    )
    assert response.status_code == 200
    deal.refresh_from_db()
    assert deal.stage == stages["won"] and deal.close_reason == "Bester Service"


def test_move_without_htmx_redirects_back_to_the_filtered_pipeline(kam_client, deal, stages):
    response = kam_client.post(move_url(deal, "status=open"), {"stage": stages["lost"].pk})
    assert response.status_code == 422
    response = kam_client.post(
        move_url(deal, "status=open"), {"stage": stages["lost"].pk, "reason": "Preis"}
    )
    assert response.status_code == 302 and response["Location"] == f"{PIPELINE}?status=open"


def test_move_from_the_detail_page(kam_client, deal, stages):
    url = move_url(deal)
    response = kam_client.post(url, {"stage": stages["lost"].pk, "from": "detail"})
    assert response.status_code == 422
    assert "field-error" in response.content.decode()
    response = kam_client.post(url, {"stage": stages["lost"].pk, "reason": "x", "from": "detail"})
    assert response["Location"] == reverse("deals:detail", args=[deal.pk])


# --- Detail, competitors, history ---------------------------------------------------------


def test_detail_shows_facts_competitors_and_history(kam, kam_client, deal, stages):
    services.opportunity_competitor_set(
        actor=kam, opportunity=deal, competitor_name="Vexa Industrial", position="preferred"
    )
    services.opportunity_move(actor=kam, opportunity=deal, stage=stages["proposal"])

    html = kam_client.get(reverse("deals:detail", args=[deal.pk])).content.decode()

    assert "Sensorpaket" in html and "Vexa Industrial" in html
    assert "40.000 €" in html
    history = html[html.index('id="history-heading"') :]
    assert "75" in history and "50" in history  # probability 75 → 50


def test_add_a_new_competitor_inline(kam_client, deal):
    url = reverse("deals:competitor_add", args=[deal.pk])
    response = kam_client.post(
        url, {"competitor_name": "Kessler Antriebe GmbH", "position": "incumbent"}, **HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="competitors"')
    assert "Kessler Antriebe GmbH" in html
    assert Competitor.objects.get().name == "Kessler Antriebe GmbH"
    assert deal.competitor_links.get().position == "incumbent"


def test_competitor_form_without_a_competitor_is_422_in_place(kam_client, deal):
    url = reverse("deals:competitor_add", args=[deal.pk])
    response = kam_client.post(url, {"position": "incumbent"}, **HTMX)
    assert response.status_code == 422
    assert "field-error" in response.content.decode()
    assert not deal.competitor_links.exists()


def test_remove_a_competitor(kam, kam_client, deal):
    link, _ = services.opportunity_competitor_set(
        actor=kam, opportunity=deal, competitor_name="Nordtec AG"
    )
    url = reverse("deals:competitor_remove", args=[deal.pk, link.competitor_id])
    response = kam_client.post(url, **HTMX)
    assert response.status_code == 200
    assert 'data-testid="competitor-row"' not in response.content.decode()
    assert not deal.competitor_links.exists()


# --- Form ---------------------------------------------------------------------------------


def test_form_preselects_account_and_product_line(kam_client, account):
    line = ProductLine.objects.create(name="Sensorik")
    url = reverse("deals:create") + f"?account={account.pk}&product_line={line.pk}"
    html = kam_client.get(url).content.decode()
    assert f'<option value="{account.pk}" selected>' in html
    assert f'value="{line.pk}"' in html and "checked" in html


def test_create_an_opportunity_through_the_form(kam, kam_client, account, stages):
    response = kam_client.post(
        reverse("deals:create"),
        {
            "account": account.pk,
            "title": "Wartungsvertrag",
            "stage": stages["qualified"].pk,
            "value": "80000",
            "owner": kam.pk,
        },
    )
    opportunity = Opportunity.objects.get()
    assert response["Location"] == reverse("deals:detail", args=[opportunity.pk])
    assert opportunity.probability == 25


@pytest.mark.parametrize(
    ("fields", "message_field"),
    [({"probability": "150"}, "probability"), ({"stage": "won"}, "close_reason")],
)
def test_form_errors_are_422_and_nothing_saved(kam_client, account, stages, fields, message_field):
    data = {"account": account.pk, "title": "X", "value": "100"} | fields
    if data.get("stage") == "won":
        data["stage"] = stages["won"].pk
    response = kam_client.post(reverse("deals:create"), data)
    assert response.status_code == 422
    assert "field-error" in response.content.decode()
    assert not Opportunity.objects.exists()


def test_edit_changing_the_stage_takes_its_default_probability(kam_client, deal, stages):
    url = reverse("deals:edit", args=[deal.pk])
    data = {
        "account": deal.account_id,
        "title": deal.title,
        "stage": stages["qualified"].pk,
        "probability": "75",  # unchanged from the form's initial value
        "value": "40000",
        "owner": deal.owner_id,
    }
    response = kam_client.post(url, data)
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.probability == 25


# --- Account panel ------------------------------------------------------------------------


def test_account_panel_shows_open_and_weighted_pipeline(kam_client, account):
    make_opportunity(account=account, stage="proposal", value=Decimal("100000"), title="Offen")
    make_opportunity(account=account, stage="won", value=Decimal("999999"), title="Gewonnen")
    url = reverse("deals:account_panel", args=[account.pk])

    html = kam_client.get(url, **HTMX).content.decode()

    assert "100.000 €" in html and "50.000 €" in html
    assert "Offen" in html and "Gewonnen" in html
    assert f"/deals/new/?account={account.pk}" in html


def test_account_panel_without_htmx_redirects_to_the_tab(kam_client, account):
    response = kam_client.get(reverse("deals:account_panel", args=[account.pk]))
    assert response["Location"] == f"/accounts/{account.pk}/?tab=deals"


def test_account_page_offers_the_deals_tab(kam_client, account):
    html = kam_client.get(f"/accounts/{account.pk}/?tab=deals").content.decode()
    assert reverse("deals:account_panel", args=[account.pk]) in html


# --- Scope --------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True])
def test_outsider_gets_404_on_every_page_of_a_deal(outsider_client, deal, stages, htmx):
    headers = HTMX if htmx else {}
    for url in (
        reverse("deals:detail", args=[deal.pk]),
        reverse("deals:edit", args=[deal.pk]),
        reverse("deals:account_panel", args=[deal.account_id]),
    ):
        assert outsider_client.get(url, **headers).status_code == 404
    for url, data in (
        (move_url(deal), {"stage": stages["won"].pk, "reason": "x"}),
        (reverse("deals:competitor_add", args=[deal.pk]), {"competitor_name": "X"}),
    ):
        assert outsider_client.post(url, data, **headers).status_code == 404
    assert "Sensorpaket" not in outsider_client.get(PIPELINE).content.decode()
    assert "Sensorpaket" not in outsider_client.get(LIST).content.decode()
    deal.refresh_from_db()
    assert deal.stage == stages["negotiation"] and not Competitor.objects.exists()


def test_reader_sees_the_deal_without_controls_and_gets_403_on_changes(reader, deal, stages):
    client = client_for(reader)
    html = client.get(reverse("deals:detail", args=[deal.pk])).content.decode()
    assert "Sensorpaket" in html and 'id="competitor-form"' not in html
    assert 'id="move-stage-' not in client.get(PIPELINE).content.decode()
    assert client.get(reverse("deals:edit", args=[deal.pk])).status_code == 403
    response = client.post(move_url(deal), {"stage": stages["won"].pk, "reason": "x"})
    assert response.status_code == 403
    deal.refresh_from_db()
    assert deal.stage == stages["negotiation"]


@pytest.mark.parametrize("rows", [3, 12])
def test_detail_query_count_does_not_grow_with_competitors_or_history(
    kam, kam_client, deal, stages, rows, django_assert_num_queries
):
    for n in range(rows):
        services.opportunity_competitor_set(
            actor=kam, opportunity=deal, competitor_name=f"Wettbewerber {n}"
        )
        services.opportunity_move(
            actor=kam, opportunity=deal, stage=stages["proposal" if n % 2 else "qualified"]
        )

    with django_assert_num_queries(15):
        response = kam_client.get(reverse("deals:detail", args=[deal.pk]))

    assert response.content.decode().count('data-testid="competitor-row"') == rows
