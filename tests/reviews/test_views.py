"""Review pages: workspace, Reviews page, account tab, forms with errors in place, render
and download within the access scope, constant query counts."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from accounts.services import team_member_set
from reviews import services
from reviews.models import AgendaItem, AnnualReview, FolderVersion
from reviews.selectors import my_work_reviews, search
from tests.conftest import client_for
from tests.factories import make_account, make_contact
from tests.reviews.conftest import THIS_YEAR
from tests.reviews.helpers import render


@pytest.fixture
def reader(sales_rep, account):
    team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    return sales_rep


def test_workspace_shows_sections_figures_and_charts(kam_client, review):
    response = kam_client.get(reverse("reviews:detail", args=[review.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Die bisherige Geschäftsbeziehung" in html
    assert "1.480.000 €" in html
    assert 'data-testid="review-charts"' in html and "<svg" in html
    assert "RV-7" in html  # proposed renegotiation topic


def test_outsider_gets_404_everywhere(
    outsider_client, review, kam, django_capture_on_commit_callbacks
):
    version = render(review, kam, django_capture_on_commit_callbacks)
    urls = [
        reverse("reviews:detail", args=[review.pk]),
        reverse("reviews:versions", args=[review.pk]),
        reverse("reviews:download", args=[review.pk, version.pk]),
        reverse("reviews:account_panel", args=[review.account_id]),
    ]
    for url in urls:
        assert outsider_client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    response = outsider_client.post(reverse("reviews:render", args=[review.pk]))
    assert response.status_code == 404
    assert review.versions.count() == 1


def test_reader_sees_but_may_not_change(reader, review):
    client = client_for(reader)
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 200
    url = reverse("reviews:item_add", args=[review.pk, "agenda"])
    assert (
        client.post(url, {"agenda-title": "Begrüßung", "agenda-duration_minutes": 10}).status_code
        == 403
    )
    assert not AgendaItem.objects.exists()


def test_create_review_from_the_account(kam_client, account, figures):
    response = kam_client.post(
        reverse("reviews:create"), {"account": account.pk, "year": THIS_YEAR, "place": "Ulm"}
    )
    review = AnnualReview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:detail", args=[review.pk])
    assert review.sections.count() == 7


def test_closed_year_without_reason_is_an_error_on_the_page(kam_client, account):
    response = kam_client.post(
        reverse("reviews:create"),
        {"account": account.pk, "year": THIS_YEAR - 1, "meeting_on": f"{THIS_YEAR - 1}-06-01"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert "abgeschlossenes Jahr" in response.content.decode()
    assert not AnnualReview.objects.exists()


def test_agenda_item_without_title_is_refused_in_place(kam_client, review):
    url = reverse("reviews:item_add", args=[review.pk, "agenda"])
    response = kam_client.post(
        url, {"agenda-title": "", "agenda-duration_minutes": 10}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert 'id="review-agenda"' in response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not AgendaItem.objects.exists()
    response = kam_client.post(url, {"agenda-title": "Begrüßung", "agenda-duration_minutes": 10},
                               HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    assert "Begrüßung" in response.content.decode()


def test_section_edit_and_refresh(kam_client, review):
    url = reverse("reviews:section_save", args=[review.pk, "outlook"])
    response = kam_client.post(url, {"outlook-text": "Gemeinsam wachsen"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Gemeinsam wachsen" in response.content.decode()
    url = reverse("reviews:section_refresh", args=[review.pk, "figures"])
    assert kam_client.post(url, HTTP_HX_REQUEST="true").status_code == 200


def test_render_answers_202_and_download_is_an_attachment(
    kam_client, review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = kam_client.post(reverse("reviews:render", args=[review.pk]),
                                   HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 202
    version = FolderVersion.objects.get()
    assert version.status == FolderVersion.Status.DONE
    response = kam_client.get(reverse("reviews:download", args=[review.pk, version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="muller-maschinenbau-ag-{THIS_YEAR}-v1.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_second_click_while_rendering_starts_nothing(kam_client, review):
    services.folder_request(actor=review.account.owner, review=review)  # still queued
    response = kam_client.post(reverse("reviews:render", args=[review.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert review.versions.count() == 1
    assert 'hx-trigger="every 1s"' in response.content.decode()  # the page keeps polling


def test_agreement_shows_on_my_work(kam_client, kam, review):
    url = reverse("reviews:item_add", args=[review.pk, "agreements"])
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    kam_client.post(
        url,
        {
            "agreements-text": "Angebot Lager senden",
            "agreements-owner": kam.pk,
            "agreements-due_on": due,
        },
    )
    response = kam_client.get(reverse("activities:my_work"))
    assert "Angebot Lager senden" in response.content.decode()


def _grow(review, kam, count):
    for number in range(count):
        services.agenda_item_save(actor=kam, review=review, title=f"Punkt {number}")
        services.topic_save(actor=kam, review=review, title=f"Thema {number}", owner=kam)
        services.market_figure_save(actor=kam, review=review, topic=f"M {number}", figure="1")
        services.project_save(actor=kam, review=review, area="sales", title=f"P {number}")


def test_review_page_runs_a_constant_number_of_queries(
    kam, kam_client, review, django_assert_num_queries
):
    url = reverse("reviews:detail", args=[review.pk])
    _grow(review, kam, 1)
    kam_client.get(url)
    # 21 with the scope of the participant picker (only contacts the user may see) and
    # the business cases of the group.
    with django_assert_num_queries(21):
        kam_client.get(url)
    _grow(review, kam, 4)
    with django_assert_num_queries(21):
        kam_client.get(url)


def test_reviews_page_lists_upcoming_and_overdue(kam, kam_client, django_assert_num_queries):
    accounts = [make_account(owner=kam, name=f"Kunde {n} AG") for n in range(4)]
    Account.objects.filter(pk__in=[a.pk for a in accounts]).update(
        status=Account.Status.KEY_ACCOUNT
    )
    soon = timezone.localdate() + timedelta(days=3)
    for account in accounts[:3]:
        services.review_create(
            actor=kam, account=account, year=soon.year, meeting_on=soon,
            backdate_reason="" if soon.year == THIS_YEAR else "x",
        )  # fmt: skip
    with django_assert_num_queries(8):
        response = kam_client.get(reverse("reviews:list"))
    html = response.content.decode()
    assert html.count("Kunde 0 AG") >= 2  # upcoming and overdue
    assert "Kunde 3 AG" in html


def test_account_tab_lists_reviews(kam_client, review):
    response = kam_client.get(
        reverse("reviews:account_panel", args=[review.account_id]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f"Jahresgespräch {THIS_YEAR}" in response.content.decode()


def test_held_review_is_on_the_account_timeline(kam, kam_client, review):
    services.review_update(
        actor=kam, review=review, status=AnnualReview.Status.HELD, meeting_on=timezone.localdate()
    )
    response = kam_client.get(
        reverse("activities:account_panel", args=[review.account_id]), HTTP_HX_REQUEST="true"
    )
    assert "Jahresgespräch geführt" in response.content.decode()


def test_new_contract_is_proposed_as_a_topic_on_request(kam, kam_client, review, contract):
    review.topics.all().delete()
    url = reverse("reviews:section_refresh", args=[review.pk, "agenda"])
    response = kam_client.post(url, HTTP_HX_REQUEST="true")
    assert 'id="review-topics"' in response.content.decode()
    assert review.topics.get().contract == contract
    kam_client.post(url, HTTP_HX_REQUEST="true")
    assert review.topics.count() == 1  # proposed once


# --- My work and the header search ---------------------------------------------------------


def test_my_work_lists_the_reviews_to_prepare(kam, kam_client, review, account):
    held = services.review_create(
        actor=kam, account=account, year=THIS_YEAR - 1, backdate_reason="Nachgetragen"
    )
    services.review_update(
        actor=kam,
        review=held,
        status=AnnualReview.Status.HELD,
        meeting_on=date(THIS_YEAR - 1, 11, 3),
        backdate_reason="Nachgetragen",
    )
    page = kam_client.get(reverse("activities:my_work")).text
    block = page[page.index('data-testid="my-reviews"') :]
    assert reverse("reviews:detail", args=[review.pk]) in block
    assert f"Müller Maschinenbau AG · Jahresgespräch {THIS_YEAR}" in block
    assert reverse("reviews:detail", args=[held.pk]) not in block  # held: nothing to prepare


def test_my_work_has_no_review_block_for_someone_else(other_kam, review):
    page = client_for(other_kam).get(reverse("activities:my_work")).text
    assert 'data-testid="my-reviews"' not in page


def test_my_work_reviews_take_one_query_for_any_number(kam, django_assert_num_queries):
    accounts = [make_account(owner=kam, name=f"Kunde {n} AG") for n in range(4)]
    with django_assert_num_queries(1):
        assert my_work_reviews(user=kam) is None
    for account in accounts:
        services.review_create(actor=kam, account=account, year=THIS_YEAR)
    with django_assert_num_queries(1):
        section = my_work_reviews(user=kam)
        assert [r.account.name for r in section["reviews"]] == [a.name for a in accounts]


def test_header_search_finds_reviews_by_account_name_and_year(kam_client, review, account):
    url = reverse("accounts:search")
    page = kam_client.get(url, {"q": "Müller"}).text
    detail = reverse("reviews:detail", args=[review.pk])
    assert "<h2>Jahresgespräche</h2>" in page
    assert f'<a href="{detail}">Müller Maschinenbau AG · Jahresgespräch {THIS_YEAR}</a>' in page
    assert detail in kam_client.get(url, {"q": f"Müller {THIS_YEAR}"}).text
    assert detail in kam_client.get(url, {"q": str(THIS_YEAR)}).text
    assert detail not in kam_client.get(url, {"q": f"Müller {THIS_YEAR - 1}"}).text
    assert detail not in kam_client.get(url, {"q": "Schmidt"}).text


def test_header_search_finds_no_review_outside_the_scope(outsider_client, review):
    for query in ("Müller", str(THIS_YEAR), f"Müller {THIS_YEAR}"):
        page = outsider_client.get(reverse("accounts:search"), {"q": query}).text
        assert reverse("reviews:detail", args=[review.pk]) not in page, query
        assert "Müller Maschinenbau" not in page


def test_review_search_takes_two_queries(kam, review, django_assert_num_queries):
    with django_assert_num_queries(2):  # the scope, the reviews with their accounts
        results = search(user=kam, query="Müller", limit=8)
    assert [r.url for r in results] == [reverse("reviews:detail", args=[review.pk])]


def test_participants_outside_the_scope_are_neither_shown_nor_dropped(kam, sales_rep, account):
    """A rep on a subsidiary's team prepares its review; a contact of the parent took part
    too (recorded before participants were limited to the account and its subsidiaries).
    The rep neither sees that contact on the page nor removes it by saving."""
    child = make_account(owner=kam, name="Müller Service GmbH", parent=account)
    team_member_set(actor=kam, account=child, user=sales_rep, role="sales_rep", can_edit=True)
    boss = make_contact(account=account, first_name="Verena", last_name="Vorstand")
    mine = make_contact(account=child, first_name="Sam", last_name="Service")
    review = services.review_create(
        actor=kam, account=child, year=THIS_YEAR, customer_participants=[mine]
    )
    review.customer_participants.add(boss)
    client = client_for(sales_rep)
    page = client.get(reverse("reviews:detail", args=[review.pk])).text
    assert "Service" in page and "Vorstand" not in page
    response = client.post(
        reverse("reviews:edit", args=[review.pk]),
        {
            "review-status": "preparing",
            "review-language": "de",
            "review-customer_participants": [mine.pk],
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200, response.text
    assert set(review.customer_participants.all()) == {boss, mine}
