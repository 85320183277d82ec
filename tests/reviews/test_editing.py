"""Everything of a review is edited on its page, in place (htmx), through the same services
as the API: section texts (also market data and agenda), market rows, agenda items, topics,
projects and agreements; bad input comes back in place with translated errors and changes
nothing; readers and outsiders change nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import team_member_set
from activities.models import FollowUp
from reviews import services
from reviews.models import AgendaItem, Agreement, MarketFigure, Section
from tests.conftest import client_for

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def reader(sales_rep, account):
    team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    return sales_rep


def edit_url(review, area, item):
    return reverse("reviews:item_edit", args=[review.pk, area, item.pk])


@pytest.mark.parametrize(
    ("kind", "area"), [("market", "review-market"), ("agenda", "review-agenda")]
)
def test_market_and_agenda_texts_are_edited_in_their_area(kam_client, review, kind, area):
    url = reverse("reviews:section_save", args=[review.pk, kind])
    page = kam_client.get(reverse("reviews:detail", args=[review.pk])).text
    assert f'action="{url}"' in page  # the page offers the form
    response = kam_client.post(url, {f"{kind}-text": "Quelle: eigene Erhebung"}, **HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<section id="{area}"')
    assert "Quelle: eigene Erhebung" in response.text
    assert review.sections.get(kind=kind).text == "Quelle: eigene Erhebung"


def test_every_section_text_is_editable_on_the_page(kam_client, review):
    page = kam_client.get(reverse("reviews:detail", args=[review.pk])).text
    for kind in Section.Kind.values:
        assert reverse("reviews:section_save", args=[review.pk, kind]) in page, kind


def test_market_row_is_edited_in_place(kam, kam_client, review):
    row = services.market_figure_save(actor=kam, review=review, topic="Marktvolumen", figure="4")
    response = kam_client.get(edit_url(review, "market", row), **HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="review-market"')
    assert 'data-testid="market-row-editing"' in response.text
    assert 'value="Marktvolumen"' in response.text

    bad = kam_client.post(
        edit_url(review, "market", row),
        {
            f"market-{row.pk}-topic": "",
            f"market-{row.pk}-figure": "5",
            f"market-{row.pk}-year": 1200,
        },
        **HTMX,
    )
    assert bad.status_code == 422
    assert "Dieses Feld ist zwingend erforderlich." in bad.text
    assert 'data-testid="market-row-editing"' in bad.text  # the form stays open
    row.refresh_from_db()
    assert (row.topic, row.figure, row.year) == ("Marktvolumen", "4", None)

    good = kam_client.post(
        edit_url(review, "market", row),
        {
            f"market-{row.pk}-topic": "Marktvolumen DACH",
            f"market-{row.pk}-figure": "4,2 Mrd. €",
            f"market-{row.pk}-source": "VDMA",
            f"market-{row.pk}-year": review.year - 1,
        },
        **HTMX,
    )
    assert good.status_code == 200
    assert "Marktvolumen DACH" in good.text and "market-row-editing" not in good.text
    row.refresh_from_db()
    assert (row.topic, row.figure, row.source, row.year) == (
        "Marktvolumen DACH", "4,2 Mrd. €", "VDMA", review.year - 1,
    )  # fmt: skip


def test_market_row_is_added_and_removed(kam_client, review):
    response = kam_client.post(
        reverse("reviews:item_add", args=[review.pk, "market"]),
        {"market-topic": "Wachstum", "market-figure": "+3 %"},
        **HTMX,
    )
    assert response.status_code == 200 and "Wachstum" in response.text
    row = MarketFigure.objects.get()
    response = kam_client.post(
        reverse("reviews:item_delete", args=[review.pk, "market", row.pk]), **HTMX
    )
    assert "Wachstum" not in response.text
    assert not MarketFigure.objects.exists()


def test_agenda_item_is_edited_and_moved(kam, kam_client, review):
    first = services.agenda_item_save(actor=kam, review=review, title="Begrüßung")
    second = services.agenda_item_save(actor=kam, review=review, title="Preise")
    bad = kam_client.post(
        edit_url(review, "agenda", second),
        {f"agenda-{second.pk}-title": "Preise", f"agenda-{second.pk}-duration_minutes": 0},
        **HTMX,
    )
    assert bad.status_code == 422
    assert "Mindestens eine Minute." in bad.text
    response = kam_client.post(
        edit_url(review, "agenda", second),
        {
            f"agenda-{second.pk}-title": "Preise und Leistungen",
            f"agenda-{second.pk}-duration_minutes": 30,
            f"agenda-{second.pk}-presenter": "Vertriebsleitung",
        },
        **HTMX,
    )
    assert response.status_code == 200
    second.refresh_from_db()
    assert (second.title, second.duration_minutes, second.presenter) == (
        "Preise und Leistungen", 30, "Vertriebsleitung",
    )  # fmt: skip
    kam_client.post(
        reverse("reviews:agenda_move", args=[review.pk, second.pk]), {"up": "1"}, **HTMX
    )
    assert list(review.agenda.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_topic_owner_outside_the_scope_is_refused_in_place(kam, kam_client, review, outsider):
    topic = review.topics.get()  # the proposed renegotiation of RV-7, the manager's
    url = edit_url(review, "topics", topic)
    data = {f"topics-{topic.pk}-title": "Preise RV-7", f"topics-{topic.pk}-owner": outsider.pk}
    bad = kam_client.post(url, data, **HTMX)
    assert bad.status_code == 422
    assert "Der Verantwortliche muss ein aktiver Benutzer" in bad.text
    topic.refresh_from_db()
    assert topic.owner == kam and topic.title != "Preise RV-7"
    data[f"topics-{topic.pk}-owner"] = ""
    data[f"topics-{topic.pk}-goal"] = "Höchstens 3 %"
    assert kam_client.post(url, data, **HTMX).status_code == 200
    topic.refresh_from_db()
    assert (topic.title, topic.owner, topic.goal, topic.renegotiate) == (
        "Preise RV-7", None, "Höchstens 3 %", False,
    )  # fmt: skip


def test_project_is_edited_in_place(kam, kam_client, review):
    project = services.project_save(actor=kam, review=review, area="sales", title="Messe")
    response = kam_client.post(
        edit_url(review, "projects", project),
        {
            f"projects-{project.pk}-area": "marketing",
            f"projects-{project.pk}-title": "Gemeinsamer Messeauftritt",
            f"projects-{project.pk}-target": "3 Leads",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="review-projects"')
    project.refresh_from_db()
    assert (project.area, project.title, project.target) == (
        "marketing", "Gemeinsamer Messeauftritt", "3 Leads",
    )  # fmt: skip


def test_agreement_edit_moves_its_follow_up_and_delete_removes_it(kam, kam_client, review):
    due = timezone.localdate() + timedelta(days=7)
    agreement = services.agreement_add(
        actor=kam, review=review, text="Angebot senden", owner=kam, due_on=due
    )
    url = edit_url(review, "agreements", agreement)
    bad = kam_client.post(url, {f"agreements-{agreement.pk}-text": "Angebot senden"}, **HTMX)
    assert bad.status_code == 422
    assert "braucht" in bad.text  # an owner and a due date stay required
    later = due + timedelta(days=7)
    response = kam_client.post(
        url,
        {
            f"agreements-{agreement.pk}-text": "Angebot Lager senden",
            f"agreements-{agreement.pk}-owner": kam.pk,
            f"agreements-{agreement.pk}-due_on": later.isoformat(),
        },
        **HTMX,
    )
    assert response.status_code == 200
    follow_up = FollowUp.objects.get()
    assert (follow_up.title, follow_up.due_on) == ("Angebot Lager senden", later)
    kam_client.post(
        reverse("reviews:item_delete", args=[review.pk, "agreements", agreement.pk]), **HTMX
    )
    assert not Agreement.objects.exists()
    assert not FollowUp.objects.exists()  # it was open: it goes with its agreement


def test_edit_form_works_as_a_plain_page(kam, kam_client, review):
    item = services.agenda_item_save(actor=kam, review=review, title="Begrüßung")
    response = kam_client.get(edit_url(review, "agenda", item))
    assert response.status_code == 200
    assert "<html" in response.text and 'data-testid="agenda-item-editing"' in response.text
    cancel = kam_client.get(reverse("reviews:area", args=[review.pk, "agenda"]))
    assert cancel.status_code == 302


def test_reader_may_not_edit_rows_or_texts(kam, reader, review):
    item = services.agenda_item_save(actor=kam, review=review, title="Begrüßung")
    client = client_for(reader)
    page = client.get(reverse("reviews:detail", args=[review.pk])).text
    assert edit_url(review, "agenda", item) not in page
    assert reverse("reviews:section_save", args=[review.pk, "market"]) not in page
    url = edit_url(review, "agenda", item)
    assert client.get(url, **HTMX).status_code == 403
    assert client.post(url, {f"agenda-{item.pk}-title": "Anders"}, **HTMX).status_code == 403
    response = client.post(
        reverse("reviews:section_save", args=[review.pk, "market"]), {"market-text": "x"}
    )
    assert response.status_code == 403
    assert AgendaItem.objects.get().title == "Begrüßung"
    assert review.sections.get(kind="market").text == ""


def test_outsider_gets_404_for_edit_forms(kam, outsider_client, review):
    item = services.agenda_item_save(actor=kam, review=review, title="Begrüßung")
    url = edit_url(review, "agenda", item)
    assert outsider_client.get(url, **HTMX).status_code == 404
    assert outsider_client.post(url, {f"agenda-{item.pk}-title": "x"}).status_code == 404
    assert AgendaItem.objects.get().title == "Begrüßung"


def test_row_of_another_review_is_a_404(kam, kam_client, review, account):
    other = services.review_create(
        actor=kam, account=account, year=review.year - 1, backdate_reason="Nachgetragen"
    )
    item = services.agenda_item_save(actor=kam, review=other, title="Fremd")
    url = reverse("reviews:item_edit", args=[review.pk, "agenda", item.pk])
    assert kam_client.get(url, **HTMX).status_code == 404


def test_edit_form_keeps_the_query_count_constant(
    kam, kam_client, review, django_assert_num_queries
):
    items = [services.agenda_item_save(actor=kam, review=review, title=f"P {n}") for n in range(5)]
    kam_client.get(edit_url(review, "agenda", items[0]), **HTMX)
    with django_assert_num_queries(22):
        kam_client.get(edit_url(review, "agenda", items[0]), **HTMX)
    for number in range(5):
        services.market_figure_save(actor=kam, review=review, topic=f"M {number}", figure="1")
    with django_assert_num_queries(22):
        kam_client.get(edit_url(review, "agenda", items[3]), **HTMX)
