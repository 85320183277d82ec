"""The opportunities, competitors and stages API, as an integration and a KAM's script use it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import ProductLine
from deals import services
from deals.models import Competitor, Opportunity, OpportunityCompetitor
from tests.deals.helpers import make_opportunity
from tests.factories import make_account
from users.services import api_token_create

OPPORTUNITIES = reverse("api-opportunity-list")
COMPETITORS = reverse("api-competitor-list")
STAGES = reverse("api-stage-list")


def detail_url(opportunity: Opportunity) -> str:
    return reverse("api-opportunity-detail", args=[opportunity.pk])


def competitors_url(opportunity: Opportunity) -> str:
    return reverse("api-opportunity-competitors", args=[opportunity.pk])


def competitor_url(opportunity: Opportunity, competitor: Competitor) -> str:
    return reverse("api-opportunity-competitor", args=[opportunity.pk, competitor.pk])


def api_as(user) -> APIClient:
    _token, key = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def kam_api(kam) -> APIClient:
    return api_as(kam)


@pytest.fixture
def outsider_api(outsider) -> APIClient:
    return api_as(outsider)


@pytest.fixture
def reader(account, sales_rep):
    account_services.team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    return sales_rep


@pytest.fixture
def deal(account) -> Opportunity:
    return make_opportunity(account=account, stage="qualified", title="Sensorpaket")


# --- Lists and filters --------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 15])
def test_opportunity_list_query_count_does_not_grow_with_rows(
    kam_api, kam, rows, django_assert_num_queries
):
    line = ProductLine.objects.create(name="Sensorik")
    nordtec = services.competitor_create(actor=kam, name="Nordtec AG")
    vexa = services.competitor_create(actor=kam, name="Vexa Industrial")
    for n in range(rows):
        opportunity = make_opportunity(
            account=make_account(owner=kam), stage="proposal", product_lines=[line]
        )
        for competitor in (nordtec, vexa) if n % 2 else (nordtec,):
            services.opportunity_competitor_set(
                actor=kam, opportunity=opportunity, competitor=competitor
            )

    # auth, scope, count, page, competitors, product lines
    with django_assert_num_queries(7):
        response = kam_api.get(OPPORTUNITIES)

    assert response.status_code == 200
    rows_out = response.json()["results"]
    assert len(rows_out) == rows
    assert all(row["competitors"] and row["product_lines"] == [line.pk] for row in rows_out)


def test_list_filters_by_account_stage_owner_and_status(
    kam_api, kam, account, stages, head_of_sales
):
    other = make_account(owner=kam)
    qualified = make_opportunity(account=account, stage="qualified")
    won = make_opportunity(account=other, stage="won")
    by_head = make_opportunity(account=other, owner=head_of_sales)

    assert ids(kam_api.get(OPPORTUNITIES, {"account": account.pk})) == [qualified.pk]
    assert ids(kam_api.get(OPPORTUNITIES, {"stage": stages["won"].pk})) == [won.pk]
    assert ids(kam_api.get(OPPORTUNITIES, {"owner": head_of_sales.pk})) == [by_head.pk]
    assert set(ids(kam_api.get(OPPORTUNITIES, {"status": "open"}))) == {qualified.pk, by_head.pk}
    assert ids(kam_api.get(OPPORTUNITIES, {"status": "closed"})) == [won.pk]
    assert kam_api.get(OPPORTUNITIES, {"status": "maybe"}).status_code == 400


def test_list_shows_weighted_value_and_nested_competitors(kam_api, kam, deal):
    services.opportunity_competitor_set(
        actor=kam,
        opportunity=deal,
        competitor_name="Kessler Antriebe GmbH",
        position=OpportunityCompetitor.Position.INCUMBENT,
        notes="Seit 2019 Lieferant",
    )
    row = kam_api.get(OPPORTUNITIES).json()["results"][0]
    assert row["stage_key"] == "qualified"
    assert Decimal(row["weighted_value"]) == Decimal("2500.00")
    assert row["competitors"] == [
        {
            "competitor": Competitor.objects.get().pk,
            "name": "Kessler Antriebe GmbH",
            "position": "incumbent",
            "notes": "Seit 2019 Lieferant",
        }
    ]


# --- Create and change --------------------------------------------------------------------


def test_kam_creates_an_opportunity_with_the_stage_default(kam_api, kam, account, stages):
    line = ProductLine.objects.create(name="Sensorik")
    response = kam_api.post(
        OPPORTUNITIES,
        {
            "account": account.pk,
            "title": "Retrofit Werk Ingolstadt",
            "value": "250000.00",
            "stage": stages["proposal"].pk,
            "product_lines": [line.pk],
            "expected_close_date": "2027-03-31",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["probability"] == 50
    assert Decimal(body["weighted_value"]) == Decimal("125000.00")
    assert body["owner"] == kam.pk and body["competitors"] == []
    assert Opportunity.objects.get().product_lines.get() == line


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"probability": 101}, "probability"),
        ({"probability": -1}, "probability"),
        ({"value": "-1"}, "value"),
        ({"stage": "won"}, "stage"),
        ({"next_follow_up_action": "Nachfassen"}, "next_follow_up_on"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_nothing_saved(kam_api, account, body, field):
    data = {"account": account.pk, "title": "Projekt", "value": "1000"} | body
    response = kam_api.post(OPPORTUNITIES, data, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Opportunity.objects.exists()


def test_won_without_reason_is_a_400(kam_api, account, stages):
    data = {"account": account.pk, "title": "Projekt", "stage": stages["won"].pk}
    response = kam_api.post(OPPORTUNITIES, data, format="json")

    assert response.status_code == 400
    assert "close_reason" in response.json()["errors"]


def test_account_outside_the_scope_reads_as_not_found(kam_api, other_kam):
    foreign = make_account(owner=other_kam)
    response = kam_api.post(OPPORTUNITIES, {"account": foreign.pk, "title": "X"}, format="json")

    assert response.status_code == 400
    assert "account" in response.json()["errors"]


def test_patch_stage_resets_probability_and_won_needs_a_reason(kam_api, deal, stages):
    deal_url = detail_url(deal)
    response = kam_api.patch(deal_url, {"probability": 40}, format="json")
    assert response.json()["probability"] == 40
    response = kam_api.patch(deal_url, {"title": "Sensorpaket Linie 2"}, format="json")
    assert response.json()["probability"] == 40

    response = kam_api.patch(deal_url, {"stage": stages["negotiation"].pk}, format="json")
    assert response.json()["probability"] == 75

    response = kam_api.patch(deal_url, {"stage": stages["won"].pk}, format="json")
    assert response.status_code == 400
    assert "close_reason" in response.json()["errors"]

    response = kam_api.patch(
        deal_url, {"stage": stages["won"].pk, "close_reason": "Bester Preis"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["probability"] == 100
    assert response.json()["closed_on"] == timezone.localdate().isoformat()


def test_detail_shows_one_opportunity(kam_api, deal, django_assert_num_queries):
    with django_assert_num_queries(6):
        response = kam_api.get(detail_url(deal))
    assert response.status_code == 200
    assert response.json()["title"] == "Sensorpaket"


# --- Competitors on a deal ----------------------------------------------------------------


def test_competitors_are_added_changed_and_removed(kam_api, kam, deal):
    nordtec = services.competitor_create(actor=kam, name="Nordtec AG")
    url = competitors_url(deal)

    response = kam_api.post(url, {"competitor": nordtec.pk, "position": "incumbent"}, format="json")
    assert response.status_code == 201
    response = kam_api.post(
        url, {"competitor": nordtec.pk, "position": "challenger", "notes": "5 %"}, format="json"
    )
    assert response.status_code == 200 and response.json()["position"] == "challenger"
    response = kam_api.post(url, {"competitor_name": "Vexa Industrial"}, format="json")
    assert response.status_code == 201 and response.json()["name"] == "Vexa Industrial"

    listing = kam_api.get(url).json()
    assert [row["name"] for row in listing] == ["Nordtec AG", "Vexa Industrial"]

    assert kam_api.delete(competitor_url(deal, nordtec)).status_code == 204
    assert kam_api.delete(competitor_url(deal, nordtec)).status_code == 404
    assert [row["name"] for row in kam_api.get(url).json()] == ["Vexa Industrial"]


def test_competitor_without_id_or_name_or_with_a_bad_position_is_a_400(kam_api, deal):
    response = kam_api.post(competitors_url(deal), {"position": "incumbent"}, format="json")
    assert response.status_code == 400 and "competitor" in response.json()["errors"]
    response = kam_api.post(
        competitors_url(deal), {"competitor_name": "X", "position": "boss"}, format="json"
    )
    assert response.status_code == 400 and "position" in response.json()["errors"]
    assert not Competitor.objects.exists()


# --- Register and stages ------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 15])
def test_competitor_register_lists_and_creates(kam_api, kam, rows, django_assert_num_queries):
    for n in range(rows):
        services.competitor_create(actor=kam, name=f"Wettbewerber {n:02d}")
    # auth (token, last used), count, page
    with django_assert_num_queries(4):
        response = kam_api.get(COMPETITORS)
    assert response.json()["count"] == rows

    response = kam_api.post(
        COMPETITORS, {"name": "Orbis Components Ltd.", "website": "https://orbis.example"}
    )
    assert response.status_code == 201
    duplicate = kam_api.post(COMPETITORS, {"name": "orbis components ltd."})
    assert duplicate.status_code == 400
    assert kam_api.post(COMPETITORS, {"name": "Y", "website": "kein-link"}).status_code == 400
    assert kam_api.get(COMPETITORS, {"q": "orbis"}).json()["count"] == 1


def test_stages_are_listed_in_order_read_only(kam_api):
    response = kam_api.get(STAGES)
    assert [row["key"] for row in response.json()] == [
        "identified", "qualified", "proposal", "negotiation", "won", "lost",
    ]  # fmt: skip
    assert response.json()[1]["default_probability"] == 25
    assert kam_api.post(STAGES, {"key": "x", "name": "X"}).status_code == 405


# --- Scope --------------------------------------------------------------------------------


def test_outsider_gets_404_on_everything_of_a_deal(outsider_api, kam, deal):
    nordtec = services.competitor_create(actor=kam, name="Nordtec AG")
    services.opportunity_competitor_set(actor=kam, opportunity=deal, competitor=nordtec)

    assert outsider_api.get(OPPORTUNITIES).json()["count"] == 0
    assert outsider_api.get(detail_url(deal)).status_code == 404
    assert outsider_api.patch(detail_url(deal), {"title": "X"}, format="json").status_code == 404
    assert outsider_api.get(competitors_url(deal)).status_code == 404
    response = outsider_api.post(competitors_url(deal), {"competitor_name": "Z"}, format="json")
    assert response.status_code == 404
    assert outsider_api.delete(competitor_url(deal, nordtec)).status_code == 404
    deal.refresh_from_db()
    assert deal.title == "Sensorpaket" and deal.competitor_links.count() == 1


def test_reader_sees_the_deal_but_gets_403_on_changes(reader, deal):
    client = api_as(reader)
    assert client.get(detail_url(deal)).status_code == 200
    assert client.patch(detail_url(deal), {"title": "X"}, format="json").status_code == 403
    response = client.post(competitors_url(deal), {"competitor_name": "Z"}, format="json")
    assert response.status_code == 403
    response = client.post(
        OPPORTUNITIES, {"account": deal.account_id, "title": "Neu"}, format="json"
    )
    assert response.status_code == 403
    assert Opportunity.objects.count() == 1


def test_anonymous_gets_no_data(deal):
    client = APIClient()
    for url in (OPPORTUNITIES, detail_url(deal), COMPETITORS, STAGES):
        assert client.get(url).status_code in (401, 403)
