"""The coaching plans API: every endpoint, inside and outside the access scope."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from planning.coaching import services
from planning.models import BriefingConfirmation, CoachingMaterial, CoachingPlan
from tests.factories import make_account
from tests.planning.coaching_helpers import (
    de,
    fake_pdf,
    make_plan,
    pdf_upload,
    session_time,
    stored_files,
)
from users.services import api_token_create

LIST = reverse("api-coaching-plan-list")


def api_as(user) -> APIClient:
    _token, key = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def url(name: str, *args) -> str:
    return reverse(f"api-coaching-plan-{name}", args=args)


@pytest.fixture
def api(kam) -> APIClient:
    return api_as(kam)


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


def test_list_filters_by_account_and_rep(api, account, kam, rep):
    other = make_account(owner=kam, name="Andere AG")
    make_plan(account=account, reps=[rep], title="A")
    make_plan(account=other, title="B")
    assert titles(api.get(LIST)) == ["B", "A"]  # by account name
    assert titles(api.get(LIST, {"account": account.pk})) == ["A"]
    assert titles(api.get(LIST, {"rep": rep.pk})) == ["A"]
    row = api.get(LIST, {"account": account.pk}).json()["results"][0]
    assert row["reps"] == [rep.pk]
    assert row["briefing_url"] == reverse("planning:briefing_sheet", args=[row["id"]])


def test_list_queries_are_constant(api, account, kam, rep, django_assert_num_queries):
    for n in range(3):
        plan = make_plan(account=account, reps=[rep], title=f"P{n}")
        services.material_add(actor=kam, plan=plan, title="L", url="https://example.com")
    with django_assert_num_queries(6):  # with recording when the token was last used
        api.get(LIST)
    for n in range(3, 15):
        make_plan(account=account, reps=[rep], title=f"P{n}")
    with django_assert_num_queries(5):
        response = api.get(LIST)
    assert response.json()["count"] == 15
    assert response.json()["results"][0]["material_count"] == 1


def test_outsider_sees_nothing_and_gets_404(account, plan, kam, outsider):
    material = services.material_add(actor=kam, plan=plan, title="PDF", uploaded_file=pdf_upload())
    client = api_as(outsider)
    assert client.get(LIST).json()["count"] == 0
    assert client.get(url("detail", plan.pk)).status_code == 404
    assert client.get(url("materials", plan.pk)).status_code == 404
    assert client.get(url("download", plan.pk, material.pk)).status_code == 404
    assert client.post(url("confirm", plan.pk)).status_code == 404
    assert client.post(url("sessions", plan.pk), {}, format="json").status_code == 404
    response = client.patch(url("detail", plan.pk), {"title": "X"}, format="json")
    assert response.status_code == 404


def test_create_returns_the_plan_with_its_parts(api, account, rep):
    response = api.post(
        LIST,
        {"account": account.pk, "title": "Messe", "reps": [rep.pk], "topics": "Neuheiten"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reps"] == [rep.pk]
    assert body["materials"] == [] and body["sessions"] == []
    assert body["confirmations"] == [
        {"rep": rep.pk, "rep_name": rep.get_full_name(), "confirmed": False, "confirmed_at": None}
    ]


def test_create_with_bad_input_answers_400_with_field_errors(api, account, outsider):
    response = api.post(LIST, {"account": account.pk, "title": "", "reps": []}, format="json")
    assert response.status_code == 400
    assert "title" in response.json()["errors"]
    response = api.post(
        LIST, {"account": account.pk, "title": "X", "reps": [outsider.pk]}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reps"]
    assert not CoachingPlan.objects.exists()


def test_create_on_an_account_outside_the_scope_is_400_not_found(account, outsider):
    response = api_as(outsider).post(LIST, {"account": account.pk, "title": "X"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["account"] == [de("Not found.")]


def test_a_rep_may_read_but_not_create_or_change(account, rep, plan):
    client = api_as(rep)
    assert client.get(url("detail", plan.pk)).status_code == 200
    assert (
        client.post(LIST, {"account": account.pk, "title": "X"}, format="json").status_code == 403
    )
    assert client.patch(url("detail", plan.pk), {"title": "X"}, format="json").status_code == 403
    link = {"title": "L", "url": "https://example.com"}
    assert client.post(url("materials", plan.pk), link, format="json").status_code == 403
    session = {"held_at": session_time().isoformat()}
    assert client.post(url("sessions", plan.pk), session, format="json").status_code == 403


def test_update_changes_fields_and_keeps_account(api, account, kam, rep, plan):
    other = make_account(owner=kam, name="Andere AG")
    response = api.patch(
        url("detail", plan.pk),
        {"title": "Neu", "dos_and_donts": "+ Zuhören", "account": other.pk},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["account"], body["reps"]) == ("Neu", account.pk, [rep.pk])
    response = api.patch(url("detail", plan.pk), {"reps": []}, format="json")
    assert response.json()["reps"] == []


def test_retrieve_includes_materials_sessions_and_confirmations(api, kam, rep, plan):
    services.material_add(actor=kam, plan=plan, title="Leitfaden", url="https://example.com/l")
    services.session_add(actor=kam, plan=plan, held_at=session_time(), participants=[rep])
    services.briefing_confirm(actor=rep, plan=plan)
    body = api.get(url("detail", plan.pk)).json()
    assert [m["title"] for m in body["materials"]] == ["Leitfaden"]
    assert body["materials"][0]["download_url"] is None
    assert body["sessions"][0]["participants"] == [rep.pk]
    assert body["confirmations"][0]["confirmed"] is True
    assert body["confirmations"][0]["confirmed_at"]


def test_materials_link_and_file(api, plan, media_root):
    response = api.post(
        url("materials", plan.pk), {"title": "Link", "url": "https://example.com"}, format="json"
    )
    assert response.status_code == 201
    response = api.post(
        url("materials", plan.pk), {"title": "PDF", "file": pdf_upload()}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    material = CoachingMaterial.objects.get(title="PDF")
    assert response.json()["download_url"] == url("download", plan.pk, material.pk)
    listed = api.get(url("materials", plan.pk)).json()
    assert [m["title"] for m in listed] == ["Link", "PDF"]


def test_a_fake_pdf_is_400_and_nothing_stored(api, plan, media_root):
    response = api.post(
        url("materials", plan.pk), {"title": "PDF", "file": fake_pdf()}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": [de("This file is not a PDF or Office document.")]}
    assert not CoachingMaterial.objects.exists()
    assert stored_files(media_root) == []


def test_a_material_without_link_or_file_is_400(api, plan):
    response = api.post(url("materials", plan.pk), {"title": "Leer"}, format="json")
    assert response.status_code == 400
    assert "url" in response.json()["errors"]


def test_download_is_scoped_and_an_attachment(kam, rep, plan):
    material = services.material_add(actor=kam, plan=plan, title="PDF", uploaded_file=pdf_upload())
    response = api_as(rep).get(url("download", plan.pk, material.pk))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    other = make_plan(account=plan.account, title="Anderer")
    assert api_as(rep).get(url("download", other.pk, material.pk)).status_code == 404


def test_sessions_post(api, rep, plan):
    response = api.post(
        url("sessions", plan.pk),
        {"held_at": "2026-02-03T10:00:00+01:00", "participants": [rep.pk], "notes": "Start"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["participants"] == [rep.pk]
    response = api.post(url("sessions", plan.pk), {"notes": "ohne Datum"}, format="json")
    assert response.status_code == 400
    assert "held_at" in response.json()["errors"]


def test_confirm_by_a_rep_of_the_plan_only(api, rep, plan):
    client = api_as(rep)
    first = client.post(url("confirm", plan.pk))
    assert first.status_code == 201
    assert first.json()["confirmed"] is True
    assert client.post(url("confirm", plan.pk)).status_code == 200
    assert BriefingConfirmation.objects.count() == 1
    response = api.post(url("confirm", plan.pk))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_a_file_material_has_no_link_rather_than_an_empty_one(kam, plan):
    services.material_add(actor=kam, plan=plan, title="PDF", uploaded_file=pdf_upload())
    services.material_add(actor=kam, plan=plan, title="L", url="https://example.com/l")
    rows = api_as(kam).get(url("materials", plan.pk)).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    by_title = {row["title"]: row for row in rows}
    assert by_title["PDF"]["url"] is None
    assert by_title["PDF"]["download_url"].endswith("/download/")
    assert by_title["L"]["url"] == "https://example.com/l"
    assert by_title["L"]["download_url"] is None
