"""The presentation folder: HTML templates of its own (templates/reviews/print/), rendered
to PDF by WeasyPrint, called from the Celery task (reviews.tasks.render_folder).

The customer's folder never shows the internal notes, the contribution margin or anything
marked internal; the internal version includes them and says INTERNAL on every page.
Empty sections are left out, not printed empty.
"""

import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML

from reviews import branding, charts, selectors
from reviews.models import AnnualReview, FolderVersion, Section

log = logging.getLogger(__name__)

FOLDER = "reviews"


def _decimal(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


def folder_context(review: AnnualReview, *, internal: bool) -> dict[str, Any]:
    """Everything the folder prints; sections without content are left out."""
    sections = {section.kind: section for section in review.sections.all()}

    def text(kind: str) -> str:
        section = sections.get(kind)
        return section.text if section else ""

    # The selection (what the customer sees) is the selector's, shared with the preview.
    content = selectors.folder_content(review, internal=internal)
    brand = branding.brand()
    relationship = content["relationship"]
    figures = content["figures"]
    measures = content["measures"]
    agenda = list(review.agenda.all())
    topics = list(review.topics.select_related("contract"))
    # The conditions sheet: the contracts whose prices and services are to be renegotiated,
    # as they stand today (each once, in the topic plan's order).
    conditions = list(
        {
            topic.contract_id: topic.contract
            for topic in topics
            if topic.renegotiate and topic.contract is not None
        }.values()
    )
    market = list(review.market_data.all())
    projects = list(review.projects.all())
    contacts = content["contacts"]
    our_people = list(review.our_participants.all())
    parts: list[dict[str, Any]] = []

    def add(key: str, title: str | Promise, present: bool, **extra: Any) -> None:
        if present:
            parts.append({"key": key, "title": title, **extra})

    add("agenda", Section.Kind.AGENDA.label, bool(agenda))
    add(
        "relationship",
        Section.Kind.RELATIONSHIP.label,
        bool(text(Section.Kind.RELATIONSHIP) or relationship.get("events")),
    )
    add("figures", Section.Kind.FIGURES.label, bool(figures or text(Section.Kind.FIGURES)))
    add(
        "measures",
        Section.Kind.MEASURES.label,
        bool(
            text(Section.Kind.MEASURES)
            or measures.get("actions")
            or measures.get("projects")
            or measures.get("issues")
        ),
    )
    add("market", Section.Kind.MARKET.label, bool(market or text(Section.Kind.MARKET)))
    add("topics", _("Topic plan"), bool(topics))
    add("conditions", _("Current conditions"), bool(conditions))
    business_cases = selectors.folder_business_cases(review)
    add("business_cases", _("Business cases"), bool(business_cases))
    add("outlook", Section.Kind.OUTLOOK.label, bool(projects or text(Section.Kind.OUTLOOK)))
    add("contacts", _("Your contacts"), bool(contacts or our_people))
    if internal:
        add("notes", Section.Kind.NOTES.label, bool(text(Section.Kind.NOTES)))
    return {
        "review": review,
        "account": review.account,
        "internal": internal,
        "brand": brand,
        "company_name": brand.company_name,
        "logo": brand.logo,
        "parts": parts,
        "keys": {part["key"] for part in parts},
        "texts": {kind: text(kind) for kind, _label in Section.Kind.choices},
        "relationship": relationship,
        "figures": figures,
        "figure_columns": content["figure_columns"],
        "internal_figures": selectors.INTERNAL_FIGURES,
        "topic_goals": content["topic_goals"],
        "measures": measures,
        "agenda": agenda,
        "agenda_minutes": sum(item.duration_minutes for item in agenda),
        "topics": topics,
        "conditions": conditions,
        "business_cases": business_cases,
        "market": market,
        "projects": projects,
        "contacts": contacts,
        "our_people": our_people,
        "charts": charts.review_charts(
            figures, internal=internal, for_print=True, until=review.meeting_on
        ),
        "today": timezone.localdate(),
    }


# The folder's English is British: dates as 31/12/2026 and 31 December 2026, never the
# US month first. The texts are the same (English is the source language).
PRINT_LOCALES = {"en": "en-gb"}


def render_folder_html(review: AnnualReview, *, internal: bool, language: str) -> str:
    with translation.override(PRINT_LOCALES.get(language, language)):
        return render_to_string(
            "reviews/print/folder.html", folder_context(review, internal=internal)
        )


class FolderTooLong(Exception):
    """The laid-out folder has more pages than FOLDER_MAX_PAGES: not written at all."""

    def __init__(self, pages: int) -> None:
        super().__init__(f"{pages} pages")
        self.pages = pages


def render_folder_pdf(review: AnnualReview, *, internal: bool, language: str) -> tuple[bytes, int]:
    """(PDF bytes, number of pages)."""
    html = render_folder_html(review, internal=internal, language=language)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    if len(document.pages) > settings.FOLDER_MAX_PAGES:
        raise FolderTooLong(len(document.pages))
    return document.write_pdf(), len(document.pages)


def store(name: str, content: bytes) -> str:
    """Write the folder through the storage API (the local folder or object storage, the
    same for a worker on another machine) and return the name it got. A file an earlier,
    killed attempt left under this name is replaced. The version's row names the file only
    after it has been written whole, so no one ever downloads half a file."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content, name=name))


def forget_file(sender: type[FolderVersion], instance: FolderVersion, **kwargs: Any) -> None:
    """A deleted version (also one deleted with its review or account) takes its PDF along,
    once the deletion is committed: a deletion that is rolled back keeps the file its row
    still points to. Connected to `post_delete` in ReviewsConfig.ready()."""
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage
    transaction.on_commit(lambda: storage.delete(name), using=kwargs.get("using"))
