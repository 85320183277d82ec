"""Helpers of the coaching tests; their fixtures are in tests/planning/conftest.py."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts import services as account_services
from accounts.models import TeamMembership
from planning.coaching import services

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def de(message: str, **values) -> str:
    """A message as a German-speaking user sees it."""
    with translation.override("de"):
        text = gettext(message)
    return text % values if values else text


def pdf_upload(name: str = "Leitfaden.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def fake_pdf(name: str = "Leitfaden.pdf") -> SimpleUploadedFile:
    """Called .pdf and sent as application/pdf, but it is a script."""
    return SimpleUploadedFile(name, b"#!/bin/sh\nrm -rf /\n", content_type="application/pdf")


def stored_files(media_root) -> list[str]:
    folder = media_root / "coaching"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def put_on_team(account, user, *, can_edit: bool = False) -> None:
    account_services.team_member_set(
        actor=account.owner,
        account=account,
        user=user,
        role=TeamMembership.TeamRole.SALES_REP,
        can_edit=can_edit,
    )


def make_plan(*, account, actor=None, reps=(), **fields):
    fields.setdefault("title", "Briefing Vertrieb")
    fields.setdefault("measures", "Vor jedem Termin das Briefing lesen.")
    fields.setdefault("topics", "Rahmenvertrag")
    fields.setdefault("dos_and_donts", "+ Mit Kennzahlen argumentieren\n- Keine Preiszusagen")
    return services.coaching_plan_create(
        actor=actor or account.owner, account=account, reps=reps, **fields
    )


def session_time(days_ago: int = 3):
    return timezone.now() - timedelta(days=days_ago)
