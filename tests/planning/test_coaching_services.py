"""Coaching plan writes: who may change what, reps on the team, uploads checked first,
confirmations only from the plan's reps."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from planning.coaching import services
from planning.coaching.selectors import confirmation_status, split_dos_and_donts
from planning.models import BriefingConfirmation, CoachingMaterial, CoachingPlan
from tests.factories import UserFactory, make_account
from tests.planning.coaching_helpers import (
    de,
    fake_pdf,
    make_plan,
    pdf_upload,
    put_on_team,
    session_time,
    stored_files,
)


def test_kam_creates_a_plan_with_a_rep_of_the_team_and_history(account, kam, rep):
    plan = make_plan(account=account, reps=[rep], title="  Briefing Messe  ")
    assert plan.title == "Briefing Messe"
    assert list(plan.reps.all()) == [rep]
    assert plan.created_by == kam
    assert plan.history.count() == 1


def test_a_rep_outside_the_account_team_is_refused_and_nothing_saved(account, outsider):
    with pytest.raises(ValidationError) as exc:
        make_plan(account=account, reps=[outsider])
    assert list(exc.value.message_dict) == ["reps"]
    assert "könnte den Plan nicht sehen" in exc.value.message_dict["reps"][0]
    assert not CoachingPlan.objects.exists()


def test_a_blank_title_is_refused(account):
    with pytest.raises(ValidationError) as exc:
        make_plan(account=account, title="   ")
    assert "title" in exc.value.message_dict


def test_a_team_member_without_edit_right_cannot_create_or_change(account, rep, plan):
    with pytest.raises(PermissionDenied):
        make_plan(account=account, actor=rep)
    with pytest.raises(PermissionDenied):
        services.coaching_plan_update(actor=rep, plan=plan, title="Neu")
    with pytest.raises(PermissionDenied):
        services.material_add(actor=rep, plan=plan, title="x", url="https://example.com")
    with pytest.raises(PermissionDenied):
        services.session_add(actor=rep, plan=plan, held_at=session_time())


def test_a_team_member_with_edit_right_may_change_the_plan(account, plan):
    editor = UserFactory(username="editor")
    put_on_team(account, editor, can_edit=True)
    services.coaching_plan_update(actor=editor, plan=plan, topics="Neue Themen")
    plan.refresh_from_db()
    assert plan.topics == "Neue Themen"
    assert plan.history.count() == 2


def test_taking_a_rep_off_the_plan_drops_their_confirmation(account, kam, rep, plan):
    services.briefing_confirm(actor=rep, plan=plan)
    services.coaching_plan_update(actor=kam, plan=plan, reps=[])
    assert not BriefingConfirmation.objects.filter(plan=plan).exists()
    assert plan.reps.count() == 0


def test_update_without_reps_keeps_them(kam, rep, plan):
    services.coaching_plan_update(actor=kam, plan=plan, title="Anders")
    assert list(plan.reps.all()) == [rep]


def test_a_link_material_is_stored(kam, plan):
    material = services.material_add(
        actor=kam, plan=plan, title=" Leitfaden ", url="https://intranet.example.com/a"
    )
    assert (material.title, material.url, bool(material.file)) == (
        "Leitfaden",
        "https://intranet.example.com/a",
        False,
    )


def test_a_material_needs_a_link_or_a_file_but_not_both(kam, plan):
    with pytest.raises(ValidationError) as exc:
        services.material_add(actor=kam, plan=plan, title="Leer")
    assert exc.value.message_dict == {"url": [de("Give a link or upload a file.")]}
    with pytest.raises(ValidationError) as exc:
        services.material_add(
            actor=kam,
            plan=plan,
            title="Beides",
            url="https://x.example",
            uploaded_file=pdf_upload(),
        )
    assert "url" in exc.value.message_dict
    assert not CoachingMaterial.objects.exists()


def test_an_invalid_link_is_refused(kam, plan):
    with pytest.raises(ValidationError) as exc:
        services.material_add(actor=kam, plan=plan, title="Kaputt", url="keine adresse")
    assert "url" in exc.value.message_dict


def test_a_fake_pdf_is_refused_and_nothing_is_stored(kam, plan, media_root):
    with pytest.raises(ValidationError) as exc:
        services.material_add(actor=kam, plan=plan, title="Leitfaden", uploaded_file=fake_pdf())
    assert exc.value.message_dict == {"file": [de("This file is not a PDF or Office document.")]}
    assert not CoachingMaterial.objects.exists()
    assert stored_files(media_root) == []


def test_a_real_pdf_is_stored_under_a_random_name(kam, plan, media_root):
    material = services.material_add(
        actor=kam, plan=plan, title="", uploaded_file=pdf_upload("Gesprächsleitfaden.pdf")
    )
    assert material.title == "Gesprächsleitfaden.pdf"  # the file name when no title is given
    assert material.original_name == "Gesprächsleitfaden.pdf"
    assert material.content_type == "application/pdf"
    assert re.fullmatch(r"coaching/[0-9a-f]{32}\.pdf", material.file.name)
    assert stored_files(media_root) == [material.file.name.split("/")[1]]


def test_deleting_a_material_removes_its_file(
    kam, plan, media_root, django_capture_on_commit_callbacks
):
    material = services.material_add(actor=kam, plan=plan, title="PDF", uploaded_file=pdf_upload())
    with django_capture_on_commit_callbacks(execute=True):
        services.material_delete(actor=kam, material=material)
    assert stored_files(media_root) == []


def test_a_session_needs_a_date_and_participants_who_see_the_account(kam, outsider, plan):
    with pytest.raises(ValidationError) as exc:
        services.session_add(actor=kam, plan=plan, held_at=None)
    assert "held_at" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.session_add(actor=kam, plan=plan, held_at=session_time(), participants=[outsider])
    assert "participants" in exc.value.message_dict
    assert not plan.sessions.exists()


def test_a_session_is_recorded_with_participants(kam, rep, plan):
    session = services.session_add(
        actor=kam, plan=plan, held_at=session_time(), participants=[kam, rep], notes=" Rollenspiel "
    )
    assert set(session.participants.all()) == {kam, rep}
    assert session.notes == "Rollenspiel"


def test_a_rep_of_the_plan_confirms_once(rep, plan):
    confirmation, created = services.briefing_confirm(actor=rep, plan=plan)
    assert created
    again, created_again = services.briefing_confirm(actor=rep, plan=plan)
    assert (again.pk, created_again) == (confirmation.pk, False)
    assert BriefingConfirmation.objects.count() == 1


def test_only_a_rep_of_the_plan_can_confirm(kam, head_of_sales, plan):
    for user in (kam, head_of_sales):
        with pytest.raises(PermissionDenied):
            services.briefing_confirm(actor=user, plan=plan)
    assert not BriefingConfirmation.objects.exists()


def test_the_kam_sees_who_has_and_has_not_confirmed(account, kam, rep):
    second = UserFactory(username="rep2")
    put_on_team(account, second)
    plan = make_plan(account=account, reps=[rep, second])
    services.briefing_confirm(actor=rep, plan=plan)
    plan = CoachingPlan.objects.prefetch_related("reps").get(pk=plan.pk)
    status = {s.rep.username: s.confirmed for s in confirmation_status(plan)}
    assert status == {rep.username: True, "rep2": False}


def test_reps_of_a_subsidiary_come_from_the_group_team(kam, rep, account):
    subsidiary = make_account(owner=kam, parent=account, name="Müller Werk Ulm")
    plan = make_plan(account=subsidiary, reps=[rep])
    assert list(plan.reps.all()) == [rep]


def test_dos_and_donts_are_split_by_their_first_character():
    dos, donts, notes = split_dos_and_donts(
        "+ Kennzahlen zeigen\n- Keine Preiszusagen\n\nDo: pünktlich sein\nDon't: drängeln\nHinweis"
    )
    assert dos == ["Kennzahlen zeigen", "pünktlich sein"]
    assert donts == ["Keine Preiszusagen", "drängeln"]
    assert notes == ["Hinweis"]
