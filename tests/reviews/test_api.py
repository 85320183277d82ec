"""The reviews API: every endpoint within the access scope, for each role; 400 with field
errors and nothing saved on bad input; 202 for a render."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import team_member_set
from activities.models import FollowUp
from reviews import services
from reviews.models import AgendaItem, AnnualReview, FolderVersion, Topic
from tests.factories import make_account, make_contact
from tests.reviews.conftest import THIS_YEAR
from tests.reviews.helpers import render


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def reader(sales_rep, account):
    team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    return sales_rep


def test_list_filters_by_account_year_and_status(kam, account, review, django_assert_num_queries):
    for number in range(3):
        other = make_account(owner=kam, name=f"Weitere {number} AG")
        services.review_create(actor=kam, account=other, year=THIS_YEAR)
    client = api(kam)
    # 7: the scope (2), count, rows, two prefetches, and the scope check of the listed
    # contact ids (2, accounts.api.serializers.ScopedPrimaryKeyRelatedField).
    with django_assert_num_queries(7):
        response = client.get(reverse("api-review-list"))
    assert response.status_code == 200
    assert response.json()["count"] == 4
    response = client.get(reverse("api-review-list"), {"account": account.pk, "year": THIS_YEAR})
    assert [row["id"] for row in response.json()["results"]] == [review.pk]
    response = client.get(reverse("api-review-list"), {"status": "held"})
    assert response.json()["count"] == 0


def test_outsider_sees_nothing_and_gets_404(
    outsider, review, kam, django_capture_on_commit_callbacks
):
    version = render(review, kam, django_capture_on_commit_callbacks)
    client = api(outsider)
    assert client.get(reverse("api-review-list")).json()["count"] == 0
    for url in [
        reverse("api-review-detail", args=[review.pk]),
        reverse("api-review-section", args=[review.pk, "figures"]),
        reverse("api-review-agenda", args=[review.pk]),
        reverse("api-review-versions", args=[review.pk]),
        reverse("api-review-version", args=[review.pk, version.pk]),
        reverse("api-review-download", args=[review.pk, version.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("api-review-render", args=[review.pk])).status_code == 404
    assert (
        client.post(reverse("api-review-topics", args=[review.pk]), {"title": "x"}).status_code
        == 404
    )
    assert review.versions.count() == 1


def test_create_review_answers_201_with_sections(kam, account, figures, contact):
    response = api(kam).post(
        reverse("api-review-list"),
        {"account": account.pk, "year": THIS_YEAR, "customer_participants": [contact.pk]},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert len(body["sections"]) == 7
    assert body["customer_participants"] == [contact.pk]
    assert body["language"] == "de"


def test_create_for_account_outside_scope_is_a_400(outsider, account):
    response = api(outsider).post(
        reverse("api-review-list"), {"account": account.pk, "year": THIS_YEAR}
    )
    assert response.status_code == 400
    assert "account" in response.json()["errors"]
    assert not AnnualReview.objects.exists()


def test_second_review_same_year_is_a_400(kam, account, review):
    response = api(kam).post(reverse("api-review-list"), {"account": account.pk, "year": THIS_YEAR})
    assert response.status_code == 400
    assert "year" in response.json()["errors"]
    assert AnnualReview.objects.count() == 1


def test_closed_year_without_reason_is_a_400(kam, account):
    response = api(kam).post(
        reverse("api-review-list"),
        {"account": account.pk, "year": THIS_YEAR - 1, "meeting_on": f"{THIS_YEAR - 1}-03-01"},
    )
    assert response.status_code == 400
    assert "backdate_reason" in response.json()["errors"]
    assert not AnnualReview.objects.exists()


def test_participant_from_another_group_is_a_400(kam, account):
    stranger = make_contact(account=make_account(owner=kam, name="Fremd AG"))
    response = api(kam).post(
        reverse("api-review-list"),
        {"account": account.pk, "year": THIS_YEAR, "customer_participants": [stranger.pk]},
    )
    assert response.status_code == 400
    assert "customer_participants" in response.json()["errors"]
    assert not AnnualReview.objects.exists()


def test_patch_review_and_section(kam, review):
    client = api(kam)
    response = client.patch(
        reverse("api-review-detail", args=[review.pk]), {"place": "Ulm", "language": "en"}
    )
    assert response.status_code == 200
    assert (response.json()["place"], response.json()["language"]) == ("Ulm", "en")
    response = client.patch(
        reverse("api-review-section", args=[review.pk, "notes"]), {"text": "Grenze 3 %"}
    )
    assert response.status_code == 200
    assert response.json()["internal"] is True
    response = client.post(reverse("api-review-section-refresh", args=[review.pk, "figures"]))
    assert response.status_code == 200
    assert response.json()["changes"] == []


def test_agenda_item_without_title_is_a_400(kam, review):
    response = api(kam).post(reverse("api-review-agenda", args=[review.pk]), {"title": ""})
    assert response.status_code == 400
    assert "title" in response.json()["errors"]
    assert not AgendaItem.objects.exists()


def test_nested_resources_create_list_delete(kam, review):
    client = api(kam)
    created = {}
    for name, body in [
        ("api-review-agenda", {"title": "Begrüßung", "duration_minutes": 10}),
        ("api-review-topics", {"title": "Preise", "owner": kam.pk}),
        ("api-review-market", {"topic": "Markt", "figure": "4 Mrd", "year": THIS_YEAR - 1}),
        ("api-review-projects", {"area": "logistics", "title": "Lager"}),
        (
            "api-review-agreements",
            {"text": "Angebot", "owner": kam.pk, "due_on": f"{THIS_YEAR + 1}-01-10"},
        ),
    ]:
        response = client.post(reverse(name, args=[review.pk]), body)
        assert response.status_code == 201, (name, response.json())
        created[name] = response.json()["id"]
        assert len(client.get(reverse(name, args=[review.pk])).json()) >= 1
    detail = client.get(reverse("api-review-detail", args=[review.pk])).json()
    assert [a["title"] for a in detail["agenda"]] == ["Begrüßung"]
    assert detail["agreements"][0]["follow_up"] is not None
    topic_id = created["api-review-topics"]
    response = client.delete(reverse("api-review-topic", args=[review.pk, topic_id]))
    assert response.status_code == 204
    assert not Topic.objects.filter(pk=topic_id).exists()


def test_a_review_keeps_its_account_when_a_change_names_another(kam, review):
    other = make_account(owner=kam, name="Andere GmbH")
    response = api(kam).patch(
        reverse("api-review-detail", args=[review.pk]), {"place": "Ulm", "account": other.pk}
    )
    assert response.status_code == 200
    review.refresh_from_db()
    assert (review.place, review.account_id) == ("Ulm", response.json()["account"])
    assert review.account_id != other.pk


def test_reader_reads_but_may_not_write(reader, review):
    client = api(reader)
    assert client.get(reverse("api-review-detail", args=[review.pk])).status_code == 200
    response = client.post(reverse("api-review-agenda", args=[review.pk]), {"title": "X"})
    assert response.status_code == 403
    response = client.patch(reverse("api-review-detail", args=[review.pk]), {"place": "X"})
    assert response.status_code == 403
    assert not AgendaItem.objects.exists()
    review.refresh_from_db()
    assert review.place == "Stuttgart"


def test_head_of_sales_sees_every_review(head_of_sales, review):
    assert api(head_of_sales).get(reverse("api-review-list")).json()["count"] == 1


def test_render_answers_202_then_the_running_version(kam, review):
    client = api(kam)
    response = client.post(reverse("api-review-render", args=[review.pk]), {"internal": True})
    assert response.status_code == 202
    body = response.json()
    assert (body["number"], body["internal"]) == (1, True)
    # The task runs on commit; inside the test transaction the version is still queued.
    again = client.post(reverse("api-review-render", args=[review.pk]), {"internal": True})
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert FolderVersion.objects.count() == 1
    # The customer's folder is a request of its own, never answered with the internal one.
    customer = client.post(reverse("api-review-render", args=[review.pk]))
    assert customer.status_code == 202
    assert (customer.json()["number"], customer.json()["internal"]) == (2, False)


def test_versions_and_download(kam, reader, review, django_capture_on_commit_callbacks):
    version = render(review, kam, django_capture_on_commit_callbacks)
    client = api(reader)
    listing = client.get(reverse("api-review-versions", args=[review.pk])).json()
    assert listing[0]["status"] == "done" and listing[0]["download_url"]
    response = client.get(listing[0]["download_url"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert version.checksum == listing[0]["checksum"]


def test_follow_up_endpoint(kam, review):
    client = api(kam)
    client.post(
        reverse("api-review-projects", args=[review.pk]), {"area": "sales", "title": "Messe"}
    )
    response = client.post(reverse("api-review-follow-up", args=[review.pk]))
    assert response.status_code == 400  # not held yet
    services.review_update(
        actor=kam, review=review, status=AnnualReview.Status.HELD, meeting_on=timezone.localdate()
    )
    response = client.post(reverse("api-review-follow-up", args=[review.pk]))
    assert response.json() == {"objectives_created": 1}


def test_nested_rows_are_patched_through_their_services(kam, review):
    client = api(kam)
    item = services.agenda_item_save(actor=kam, review=review, title="Begrüßung", presenter="KAM")
    row = services.market_figure_save(actor=kam, review=review, topic="Markt", figure="4")
    project = services.project_save(actor=kam, review=review, area="sales", title="Messe")
    topic = services.topic_save(actor=kam, review=review, title="Preise", owner=kam)
    for name, pk, body, expected in [
        ("api-review-agenda-item", item.pk, {"duration_minutes": 25}, {"presenter": "KAM"}),
        ("api-review-market-row", row.pk, {"figure": "4,2 Mrd. €"}, {"topic": "Markt"}),
        ("api-review-project", project.pk, {"target": "3 Leads"}, {"title": "Messe"}),
        ("api-review-topic", topic.pk, {"goal": "Höchstens 3 %"}, {"owner": kam.pk}),
    ]:
        response = client.patch(reverse(name, args=[review.pk, pk]), body)
        assert response.status_code == 200, (name, response.json())
        assert response.json() | body | expected == response.json()  # others kept
    item.refresh_from_db()
    assert (item.title, item.duration_minutes, item.presenter) == ("Begrüßung", 25, "KAM")


def test_patch_agenda_item_without_title_is_a_400_and_changes_nothing(kam, review):
    item = services.agenda_item_save(actor=kam, review=review, title="Begrüßung")
    url = reverse("api-review-agenda-item", args=[review.pk, item.pk])
    response = api(kam).patch(url, {"title": "", "duration_minutes": 20})
    assert response.status_code == 400
    assert "title" in response.json()["errors"]
    item.refresh_from_db()
    assert (item.title, item.duration_minutes) == ("Begrüßung", 15)


def test_agreement_patch_and_delete(kam, review):
    client = api(kam)
    agreement = services.agreement_add(
        actor=kam, review=review, text="Angebot", owner=kam, due_on=date(THIS_YEAR + 1, 1, 10)
    )
    url = reverse("api-review-agreement", args=[review.pk, agreement.pk])
    response = client.patch(url, {"owner": None})
    assert response.status_code == 400  # a follow-up keeps its owner
    assert "owner" in response.json()["errors"]
    response = client.patch(url, {"text": "Angebot Lager", "due_on": f"{THIS_YEAR + 1}-02-01"})
    assert response.status_code == 200
    follow_up = FollowUp.objects.get()
    assert (follow_up.title, follow_up.due_on) == ("Angebot Lager", date(THIS_YEAR + 1, 2, 1))
    assert client.delete(url).status_code == 204
    assert not FollowUp.objects.exists()


def test_reader_and_outsider_may_not_patch_or_delete(kam, reader, outsider, review):
    item = services.agenda_item_save(actor=kam, review=review, title="Begrüßung")
    url = reverse("api-review-agenda-item", args=[review.pk, item.pk])
    assert api(reader).patch(url, {"title": "X"}).status_code == 403
    assert api(outsider).patch(url, {"title": "X"}).status_code == 404
    detail = reverse("api-review-detail", args=[review.pk])
    assert api(reader).delete(detail).status_code == 403
    assert api(outsider).delete(detail).status_code == 404
    assert AgendaItem.objects.get().title == "Begrüßung"
    assert AnnualReview.objects.filter(pk=review.pk).exists()


def test_delete_version_and_review_remove_their_pdfs(
    kam, review, django_capture_on_commit_callbacks
):
    first = render(review, kam, django_capture_on_commit_callbacks)
    second = render(review, kam, django_capture_on_commit_callbacks)
    client = api(kam)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(reverse("api-review-version", args=[review.pk, first.pk]))
    assert response.status_code == 204
    assert not Path(first.file.path).exists() and Path(second.file.path).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(reverse("api-review-detail", args=[review.pk]))
    assert response.status_code == 204
    assert not Path(second.file.path).exists()
    assert not AnnualReview.objects.exists()


def test_running_version_cannot_be_deleted_by_the_api_yet(kam, review):
    """A conflict (409, as the schema says), not a bad request: the same DELETE works
    once the render has ended."""
    version, _new = services.folder_request(actor=kam, review=review)
    response = api(kam).delete(reverse("api-review-version", args=[review.pk, version.pk]))
    assert response.status_code == 409
    assert response.json()["code"] == "still_rendering"
    assert FolderVersion.objects.filter(pk=version.pk).exists()
