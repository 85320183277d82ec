"""Coaching pages: the account section, the plan page, uploads, downloads and the briefing
sheet with the rep's confirmation. Everything through the access scope."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import services as account_services
from activities import services as activity_services
from customer_care import services as care_services
from customer_care.models import Department
from deals import services as deal_services
from planning.coaching import services
from planning.models import BriefingConfirmation, CoachingMaterial, CoachingPlan
from tests.conftest import client_for
from tests.factories import make_contact
from tests.planning.coaching_helpers import (
    de,
    fake_pdf,
    make_plan,
    pdf_upload,
    session_time,
    stored_files,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def rep_client(rep):
    return client_for(rep)


# The account section ---------------------------------------------------------------------


def test_section_lists_the_plans_with_their_counts(kam_client, account, plan, kam):
    services.material_add(actor=kam, plan=plan, title="L", url="https://example.com/l")
    response = kam_client.get(
        reverse("planning:coaching_account_section", args=[account.pk]), **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Briefing Vertrieb" in html
    assert reverse("planning:briefing_sheet", args=[plan.pk]) in html
    assert 'name="title"' in html  # the KAM gets the "new coaching plan" form


def test_section_for_a_rep_has_no_form(rep_client, account, plan):
    response = rep_client.get(
        reverse("planning:coaching_account_section", args=[account.pk]), **HTMX
    )
    assert response.status_code == 200
    assert "Briefing Vertrieb" in response.content.decode()
    assert 'name="title"' not in response.content.decode()


def test_section_without_htmx_redirects_to_the_planning_tab(kam_client, account):
    response = kam_client.get(reverse("planning:coaching_account_section", args=[account.pk]))
    assert response.status_code == 302
    assert response.url == f"/accounts/{account.pk}/?tab=planning"


def test_outsider_gets_404_on_section_plan_and_briefing(outsider_client, account, plan):
    for url in (
        reverse("planning:coaching_account_section", args=[account.pk]),
        reverse("planning:coaching_plan", args=[plan.pk]),
        reverse("planning:briefing_sheet", args=[plan.pk]),
    ):
        assert outsider_client.get(url, **HTMX).status_code == 404
    response = outsider_client.post(reverse("planning:briefing_confirm", args=[plan.pk]), **HTMX)
    assert response.status_code == 404


def test_section_queries_do_not_grow_with_plans(
    kam_client, account, rep, django_assert_num_queries
):
    url = reverse("planning:coaching_account_section", args=[account.pk])
    for n in range(3):
        make_plan(account=account, reps=[rep], title=f"Plan {n}")
    with django_assert_num_queries(11):
        kam_client.get(url, **HTMX)
    for n in range(3, 15):
        make_plan(account=account, reps=[rep], title=f"Plan {n}")
    with django_assert_num_queries(11):
        response = kam_client.get(url, **HTMX)
    assert response.content.decode().count("Plan ") >= 15


def test_kam_creates_a_plan_from_the_section(kam_client, account, rep):
    response = kam_client.post(
        reverse("planning:coaching_plan_create", args=[account.pk]),
        {"title": "Messevorbereitung", "reps": [rep.pk], "dos_and_donts": "+ Zuhören"},
        **HTMX,
    )
    plan = CoachingPlan.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("planning:coaching_plan", args=[plan.pk])
    assert list(plan.reps.all()) == [rep]


def test_a_plan_without_title_is_shown_again_with_the_error_in_place(kam_client, account):
    response = kam_client.post(
        reverse("planning:coaching_plan_create", args=[account.pk]), {"title": ""}, **HTMX
    )
    assert response.status_code == 422
    assert 'class="field-error"' in response.content.decode()
    assert not CoachingPlan.objects.exists()


def test_a_rep_cannot_create_a_plan(rep_client, account):
    response = rep_client.post(
        reverse("planning:coaching_plan_create", args=[account.pk]), {"title": "X"}, **HTMX
    )
    assert response.status_code == 403


# The plan page -----------------------------------------------------------------------------


def test_plan_page_shows_materials_sessions_and_who_confirmed(kam_client, kam, rep, plan):
    services.material_add(actor=kam, plan=plan, title="Leitfaden", url="https://example.com/l")
    services.session_add(
        actor=kam, plan=plan, held_at=session_time(), participants=[rep], notes="Rollenspiel"
    )
    response = kam_client.get(reverse("planning:coaching_plan", args=[plan.pk]))
    html = response.content.decode()
    assert "Leitfaden" in html and "Rollenspiel" in html
    assert f'data-rep="{rep.username}" data-confirmed="no"' in html
    services.briefing_confirm(actor=rep, plan=plan)
    html = kam_client.get(reverse("planning:coaching_plan", args=[plan.pk])).content.decode()
    assert f'data-rep="{rep.username}" data-confirmed="yes"' in html


def test_a_rep_sees_the_plan_but_no_edit_forms(rep_client, plan):
    response = rep_client.get(reverse("planning:coaching_plan", args=[plan.pk]))
    assert response.status_code == 200
    assert 'data-testid="material-form"' not in response.content.decode()
    response = rep_client.post(
        reverse("planning:coaching_plan_edit", args=[plan.pk]), {"title": "X"}, **HTMX
    )
    assert response.status_code == 403


def test_editing_with_an_empty_title_answers_422_in_place(kam_client, plan):
    response = kam_client.post(
        reverse("planning:coaching_plan_edit", args=[plan.pk]), {"title": " "}, **HTMX
    )
    assert response.status_code == 422
    assert 'id="plan-form"' in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Briefing Vertrieb"


def test_a_fake_pdf_upload_is_refused_in_place_and_nothing_stored(kam_client, plan, media_root):
    response = kam_client.post(
        reverse("planning:coaching_material_add", args=[plan.pk]),
        {"title": "Leitfaden", "file": fake_pdf()},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="materials"' in html
    assert de("This file is not a PDF or Office document.") in html
    assert not CoachingMaterial.objects.exists()
    assert stored_files(media_root) == []


def test_upload_and_scoped_download(kam_client, rep_client, outsider_client, plan):
    response = kam_client.post(
        reverse("planning:coaching_material_add", args=[plan.pk]),
        {"title": "Leitfaden", "file": pdf_upload("Leitfaden Messe.pdf")},
        **HTMX,
    )
    assert response.status_code == 200
    material = CoachingMaterial.objects.get()
    url = reverse("planning:coaching_material_download", args=[plan.pk, material.pk])
    assert url in response.content.decode()
    download = rep_client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert outsider_client.get(url).status_code == 404


def test_a_material_of_another_plan_is_404(kam_client, account, kam, plan):
    other = make_plan(account=account, title="Anderer Plan")
    material = services.material_add(actor=kam, plan=other, title="PDF", uploaded_file=pdf_upload())
    url = reverse("planning:coaching_material_download", args=[plan.pk, material.pk])
    assert kam_client.get(url).status_code == 404


def test_adding_a_session_inline(kam_client, rep, plan):
    url = reverse("planning:coaching_session_add", args=[plan.pk])
    response = kam_client.post(url, {"held_at": "", "notes": "x"}, **HTMX)
    assert response.status_code == 422
    assert 'id="sessions"' in response.content.decode()
    response = kam_client.post(
        url,
        {"held_at": "2026-03-02T10:00", "participants": [rep.pk], "notes": "Einarbeitung"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Einarbeitung" in response.content.decode()
    assert list(plan.sessions.get().participants.all()) == [rep]


# The briefing sheet -----------------------------------------------------------------------


def _fill_account(account, kam, *, contacts: int, opportunities: int, activities: int):
    account_services.figures_put(
        actor=kam,
        account=account,
        year=__import__("accounts.selectors").selectors.current_year(),
        revenue=Decimal("450000"),
        revenue_target=Decimal("600000"),
    )
    people = [
        make_contact(
            account=account,
            last_name=f"Kontakt{n:02d}",
            buying_role="decision_maker" if n == 0 else "user",
            attitude="critic" if n == 0 else "supporter",
        )
        for n in range(contacts)
    ]
    for n in range(opportunities):
        opportunity = deal_services.opportunity_create(
            actor=kam, account=account, title=f"Chance{n:02d}", value=Decimal("10000")
        )
        deal_services.opportunity_competitor_set(
            actor=kam, opportunity=opportunity, competitor_name=f"Wettbewerber{n:02d}"
        )
    care_services.issue_create(
        actor=kam,
        account=account,
        title="Lieferverzug Ersatzteile",
        department=Department.objects.get(key="logistics"),
    )
    for n in range(activities):
        activity_services.activity_log(
            actor=kam,
            account=account,
            kind="visit",
            occurred_at=session_time(days_ago=n + 1),
            subject=f"Besuch{n:02d}",
            contacts=people[:2],
            users=[kam],
        )


def test_briefing_sheet_shows_what_the_rep_needs(rep_client, account, kam, plan):
    _fill_account(account, kam, contacts=3, opportunities=2, activities=7)
    response = rep_client.get(reverse("planning:briefing_sheet", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "450.000" in html and "600.000" in html  # revenue vs target, German format
    assert "75,0 %" in html
    assert "Kontakt00" in html and de("Decision maker") in html and de("Critic") in html
    assert 'data-gap="no_champion"' in html
    assert "Lieferverzug Ersatzteile" in html
    assert "Chance00" in html and "Wettbewerber01" in html
    assert "Besuch00" in html and "Besuch04" in html and "Besuch05" not in html  # last five
    assert "Mit Kennzahlen argumentieren" in html and "Keine Preiszusagen" in html
    assert "data-print" in html
    assert de("I was briefed") in html


def test_briefing_sheet_for_the_kam_has_no_confirm_button(kam_client, plan):
    html = kam_client.get(reverse("planning:briefing_sheet", args=[plan.pk])).content.decode()
    assert de("I was briefed") not in html


def test_briefing_sheet_queries_are_constant(
    rep_client, account, kam, plan, django_assert_num_queries
):
    url = reverse("planning:briefing_sheet", args=[plan.pk])
    _fill_account(account, kam, contacts=3, opportunities=3, activities=3)
    with django_assert_num_queries(18):
        rep_client.get(url)
    # 15 contacts, 15 opportunities (each with a competitor) and more activities than shown.
    _fill_account(account, kam, contacts=12, opportunities=12, activities=12)
    with django_assert_num_queries(18):
        response = rep_client.get(url)
    html = response.content.decode()
    assert html.count("Kontakt") >= 15 and html.count("Wettbewerber") >= 15


def test_rep_confirms_on_the_briefing_sheet(rep_client, rep, plan):
    response = rep_client.post(reverse("planning:briefing_confirm", args=[plan.pk]), **HTMX)
    assert response.status_code == 200
    assert 'data-testid="briefing-confirmed"' in response.content.decode()
    assert BriefingConfirmation.objects.filter(plan=plan, rep=rep).exists()


def test_somebody_who_is_not_a_rep_of_the_plan_cannot_confirm(kam_client, plan):
    response = kam_client.post(reverse("planning:briefing_confirm", args=[plan.pk]), **HTMX)
    assert response.status_code == 403
    assert not BriefingConfirmation.objects.exists()
