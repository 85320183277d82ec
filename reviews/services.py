"""Writes on annual reviews, shared by pages, API, tasks and the demo data.

Every write checks the "may change" predicate of accounts.access (outside the scope it is
answered like a record that does not exist), validates, and runs in one transaction, so
that bad input leaves nothing half-saved.
"""

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import require_edit, visible_accounts
from accounts.models import Account, Contact
from activities.services import follow_up_create, follow_up_update
from kam import events, queue
from kam.fields import given_fields
from kam.history import records_author
from kam.tombstones import bury
from kam.validators import require_room, require_short_list
from planning.action_plan.services import objective_create
from planning.models import BusinessCase, Objective, Scenario
from reviews import notes, rendering, selectors
from reviews.fields import ReviewFields, SectionFields
from reviews.models import (
    AgendaItem,
    Agreement,
    AnnualReview,
    FolderVersion,
    JointProject,
    MarketFigure,
    Section,
    Topic,
)
from reviews.pdf import PRINT_LOCALES
from reviews.tasks import render_folder
from users.models import User

SECTION_ORDER = [kind for kind, _label in Section.Kind.choices]
REFRESHABLE = (Section.Kind.RELATIONSHIP, Section.Kind.FIGURES, Section.Kind.MEASURES)


def _check_dates(*, year: int, meeting_on: date | None, backdate_reason: str) -> None:
    this_year = timezone.localdate().year
    errors: dict[str, str] = {}
    if meeting_on and meeting_on.year != year:
        errors["meeting_on"] = _("The meeting date must lie in the review's year %(year)s.") % {
            "year": year
        }
    elif (year < this_year or (meeting_on and meeting_on.year < this_year)) and not (
        backdate_reason or ""
    ).strip():
        errors["backdate_reason"] = _(
            "%(year)s is a closed year: say why the review is recorded for it."
        ) % {"year": year}
    if errors:
        raise ValidationError(errors)


def _check_participants(
    account: Account, contacts: Iterable[Contact], users: Iterable[User]
) -> tuple[list[Contact], list[User]]:
    contacts = list(contacts)
    users = list(users)
    # The review's scope is its account and the account's subsidiaries: a contact of a
    # parent or sister company would reach the folder of an account it does not belong to.
    foreign = [c for c in contacts if not c.account.path.startswith(account.path)]
    errors: dict[str, str] = {}
    if foreign:
        errors["customer_participants"] = _(
            "%(names)s: not a contact of %(account)s or its subsidiaries."
        ) % {"names": ", ".join(str(c) for c in foreign), "account": account.name}
    if any(not user.is_active for user in users):
        errors["our_participants"] = _("Only active users can take part.")
    if errors:
        raise ValidationError(errors)
    return contacts, users


def _summary_text(kind: str, data: dict[str, Any]) -> str:
    """The first words of a section, written from its data; the manager edits them."""
    if kind == Section.Kind.RELATIONSHIP and data.get("customer_since"):
        return ngettext(
            "Customer since %(year)s: %(years)s year of working together.",
            "Customer since %(year)s: %(years)s years of working together.",
            data["years"],
        ) % {"year": data["customer_since"], "years": data["years"]}
    return ""


@transaction.atomic
@records_author
def review_create(
    *,
    actor: User,
    account: Account,
    year: int,
    meeting_on: date | None = None,
    place: str = "",
    language: str = "",
    backdate_reason: str = "",
    our_participants: Iterable[User] = (),
    customer_participants: Iterable[Contact] = (),
) -> AnnualReview:
    """A review with its sections filled from live data and the contracts to renegotiate
    proposed as topics."""
    require_edit(actor, account)
    _check_dates(year=year, meeting_on=meeting_on, backdate_reason=backdate_reason)
    contacts, users = _check_participants(account, customer_participants, our_participants)
    review = AnnualReview(
        account=account,
        year=year,
        meeting_on=meeting_on,
        place=(place or "").strip(),
        language=language or selectors.main_contact_language(account),
        backdate_reason=(backdate_reason or "").strip(),
        created_by=actor,
    )
    review.full_clean(validate_constraints=False)
    if AnnualReview.objects.filter(account=account, year=year).exists():
        raise ValidationError({"year": _("This account already has a review for this year.")})
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"year": _("This account already has a review for this year.")}
        ) from exc
    review.our_participants.set(users or [actor])
    review.customer_participants.set(contacts)
    now = timezone.now()
    sections = []
    for kind in SECTION_ORDER:
        data = selectors.live_data(review, kind)
        sections.append(
            Section(
                review=review,
                kind=kind,
                data=data,
                text=_summary_text(kind, data),
                refreshed_at=now if kind in REFRESHABLE else None,
                updated_by=actor,
            )
        )
    Section.objects.bulk_create(sections)
    _propose_topics(review)
    events.publish(events.ReviewChanged(review_id=review.pk, account_id=review.account_id))
    return review


def _propose_topics(review: AnnualReview) -> int:
    known = set(review.topics.exclude(contract=None).values_list("contract_id", flat=True))
    start = review.topics.aggregate(m=Max("position"))["m"] or 0
    topics = []
    for contract in selectors.contracts_to_renegotiate(review):
        if contract.pk in known:
            continue
        start += 1
        # A proposed topic is the folder's text, which the manager may edit: written in
        # the folder's language, not in the language of whoever refreshed the agenda.
        with translation.override(PRINT_LOCALES.get(review.language, review.language)):
            title = _("Renegotiate %(contract)s") % {
                "contract": f"{contract.number} {contract.title}"
            }
            goal = _("Notice deadline %(date)s: agree prices and services for the next term.") % {
                # the deadline on the meeting day, set by the selector
                "date": date_format(contract.notice_deadline, "SHORT_DATE_FORMAT")  # type: ignore[attr-defined]
            }
        topics.append(
            Topic(
                review=review,
                title=title,
                goal=goal,
                renegotiate=True,
                contract=contract,
                owner=review.account.owner,
                position=start,
            )
        )
    Topic.objects.bulk_create(topics)
    return len(topics)


@transaction.atomic
@records_author
def review_update(
    *, actor: User, review: AnnualReview, **given: Unpack[ReviewFields]
) -> AnnualReview:
    """Change the given fields (the others stay as they are)."""
    fields = given_fields(ReviewFields, given)
    our_participants = fields.pop("our_participants", None)
    customer_participants = fields.pop("customer_participants", None)
    require_edit(actor, review.account)
    review = AnnualReview.objects.select_for_update().select_related("account").get(pk=review.pk)
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").strip()
        setattr(review, name, value)
    if "meeting_on" in fields or "backdate_reason" in fields:
        _check_dates(
            year=review.year, meeting_on=review.meeting_on, backdate_reason=review.backdate_reason
        )
    held = review.status in (AnnualReview.Status.HELD, AnnualReview.Status.FOLLOWED_UP)
    if held and not review.meeting_on:
        raise ValidationError({"meeting_on": _("A held review needs its meeting date.")})
    if (
        held
        and ("status" in fields or "meeting_on" in fields)
        and review.meeting_on is not None  # checked just above
        and review.meeting_on > timezone.localdate()
    ):
        raise ValidationError(
            {
                "status": _("The review cannot be held before its meeting on %(date)s.")
                % {"date": date_format(review.meeting_on, "SHORT_DATE_FORMAT")}
            }
        )
    if (
        "next_review_on" in fields
        and review.next_review_on
        and review.next_review_on.year <= review.year
    ):
        raise ValidationError(
            {"next_review_on": _("The next review lies in a later year than %(year)s.")
             % {"year": review.year}}
        )  # fmt: skip
    customer_list = list(customer_participants or [])
    our_list = list(our_participants or [])
    require_short_list(customer_list, field="customer_participants")
    require_short_list(our_list, field="our_participants")
    contacts, users = _check_participants(review.account, customer_list, our_list)
    review.full_clean()
    review.save()
    if our_participants is not None:
        review.our_participants.set(users)
    if customer_participants is not None:
        # Participants the actor cannot see stay: nobody removes what they cannot see.
        hidden = review.customer_participants.exclude(account__in=visible_accounts(actor))
        review.customer_participants.set([*contacts, *hidden])
    if "next_review_on" in fields and review.next_review_on:
        _prepare_next_review(actor=actor, review=review)
    events.publish(events.ReviewChanged(review_id=review.pk, account_id=review.account_id))
    return review


def _prepare_next_review(*, actor: User, review: AnnualReview) -> AnnualReview | None:
    """The next review date creates next year's review in preparation (its meeting on that
    date, same language and participants), which the "preparation starts" reminder then
    finds. A review already there keeps its own plan; one still in preparation without a
    date takes the new date."""
    assert review.next_review_on is not None
    year = review.next_review_on.year
    existing = AnnualReview.objects.filter(account=review.account, year=year).first()
    if existing is not None:
        if existing.status == AnnualReview.Status.PREPARING and existing.meeting_on is None:
            existing.meeting_on = review.next_review_on
            existing.save(update_fields=["meeting_on", "updated_at"])
        return existing
    if year < timezone.localdate().year:
        return None  # a date in a closed year records history, it plans nothing
    return review_create(
        actor=actor,
        account=review.account,
        year=year,
        meeting_on=review.next_review_on,
        place=review.place,
        language=review.language,
        our_participants=[user for user in review.our_participants.all() if user.is_active],
        customer_participants=review.customer_participants.filter(
            account__path__startswith=review.account.path, is_active=True
        ),
    )


@transaction.atomic
@records_author
def section_update(*, actor: User, section: Section, **given: Unpack[SectionFields]) -> Section:
    require_edit(actor, section.review.account)
    section.text = (given_fields(SectionFields, given)["text"] or "").replace("\r\n", "\n").strip()
    section.updated_by = actor
    section.clean_fields(exclude=[f.name for f in Section._meta.fields if f.name != "text"])
    section.save(update_fields=["text", "updated_at", "updated_by"])
    return section


@transaction.atomic
@records_author
def customer_choices_set(
    *,
    actor: User,
    section: Section,
    choices: dict[str, bool] | None = None,
    show_all: bool | None = None,
) -> Section:
    """Show or hide items of a section in the customer's folder: one by one (`choices`,
    item key -> shown) or the whole section at once (`show_all`). Kept on the section, so
    that a refresh keeps them for the items that are still there."""
    require_edit(actor, section.review.account)
    section = Section.objects.select_for_update().select_related("review").get(pk=section.pk)
    known = {choice.key for choice in selectors.section_items(section)}
    choices = dict(choices or {})
    if show_all is not None:
        choices.update(dict.fromkeys(known, show_all))
    if not known and not choices:
        raise ValidationError(
            {"shown": _("This section has no items to show or hide for the customer.")}
        )
    unknown = sorted(set(choices) - known)
    if unknown:
        raise ValidationError(
            {"shown": _("Not an item of this section: %(keys)s") % {"keys": ", ".join(unknown)}}
        )
    section.shown = {**(section.shown or {}), **{key: bool(v) for key, v in choices.items()}}
    section.updated_by = actor
    section.save(update_fields=["shown", "updated_at", "updated_by"])
    return section


@transaction.atomic
@records_author
def business_case_include(
    *, actor: User, review: AnnualReview, case_id: int, included: bool
) -> AnnualReview:
    """Put a business case of the account's group into the customer's folder (as a
    one-page summary of the customer's side) or take it out again."""
    require_edit(actor, review.account)
    case = BusinessCase.objects.filter(
        pk=case_id, account__path__startswith=review.account.path
    ).first()
    if case is None:
        raise ValidationError(
            {"business_case": _("Not a business case of this account or its subsidiaries.")}
        )
    if included:
        review.business_cases.add(case)
    else:
        review.business_cases.remove(case)
    events.publish(events.ReviewChanged(review_id=review.pk, account_id=review.account_id))
    return review


def _diff_lists(old: list[dict], new: list[dict], what: str) -> list[notes.Note]:
    old_titles = {item.get("title") for item in old}
    new_titles = {item.get("title") for item in new}
    changes = [
        notes.note(notes.ITEM_ADDED, what=notes.note(what), title=title)
        for title in sorted(new_titles - old_titles, key=str)
    ]
    changes += [
        notes.note(notes.ITEM_REMOVED, what=notes.note(what), title=title)
        for title in sorted(old_titles - new_titles, key=str)
    ]
    return changes


figure_label = notes.figure_label


def _diff_figures(old: list[dict], new: list[dict]) -> list[notes.Note]:
    old_rows = {row["year"]: row for row in old}
    changes = []
    for row in new:
        before = old_rows.pop(row["year"], None)
        if before is None:
            changes.append(notes.note(notes.FIGURES_ADDED, year=row["year"]))
            continue
        for key, value in row.items():
            if key != "year" and before.get(key) != value:
                changes.append(
                    notes.note(
                        notes.FIGURE_CHANGED,
                        figure={"figure": key},
                        year=row["year"],
                        old={"number": before.get(key)},
                        new={"number": value},
                    )
                )
    changes += [notes.note(notes.FIGURES_REMOVED, year=year) for year in old_rows]
    return changes


def describe_changes(kind: str, old: dict[str, Any], new: dict[str, Any]) -> list[notes.Note]:
    if kind == Section.Kind.FIGURES:
        return _diff_figures(old.get("rows", []), new.get("rows", []))
    if kind == Section.Kind.RELATIONSHIP:
        changes = _diff_lists(old.get("events", []), new.get("events", []), notes.KEY_EVENT)
        changes += _diff_lists(
            [{"title": m["name"]} for m in old.get("team", [])],
            [{"title": m["name"]} for m in new.get("team", [])],
            notes.TEAM_MEMBER,
        )
        return changes
    if kind == Section.Kind.MEASURES:
        return (
            _diff_lists(old.get("actions", []), new.get("actions", []), notes.ACTION)
            + _diff_lists(old.get("projects", []), new.get("projects", []), notes.PROJECT)
            + _diff_lists(old.get("issues", []), new.get("issues", []), notes.SOLVED_ISSUE)
        )
    return []


@transaction.atomic
@records_author
def section_refresh(*, actor: User, section: Section) -> Section:
    """Take the section's data from live data again; `changes` lists what differs. The
    manager's text stays as it is."""
    require_edit(actor, section.review.account)
    if section.kind == Section.Kind.AGENDA:
        added = _propose_topics(section.review)
        section.changes = [notes.note(notes.TOPICS_PROPOSED, count=added)] if added else []
    else:
        new = selectors.live_data(section.review, section.kind)
        section.changes = describe_changes(section.kind, section.data or {}, new)
        section.data = new
    section.refreshed_at = timezone.now()
    section.updated_by = actor
    section.save()
    return section


def _next_position(queryset) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
@records_author
def agenda_item_save(
    *,
    actor: User,
    review: AnnualReview,
    title: str,
    duration_minutes: int = 15,
    presenter: str = "",
    item: AgendaItem | None = None,
) -> AgendaItem:
    require_edit(actor, review.account)
    if item is None:
        require_room(review.agenda.count())
    item = item or AgendaItem(review=review, position=_next_position(review.agenda))
    item.title = (title or "").strip()
    item.duration_minutes = duration_minutes
    item.presenter = (presenter or "").strip()
    if not item.title:
        raise ValidationError({"title": _("An agenda item needs a title.")})
    item.full_clean()
    item.save()
    return item


@transaction.atomic
@records_author
def agenda_item_move(*, actor: User, item: AgendaItem, up: bool) -> None:
    require_edit(actor, item.review.account)
    items = list(item.review.agenda.all())
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, entry in enumerate(items, start=1):
        if entry.position != position:
            entry.position = position
            entry.save(update_fields=["position"])


def _check_owner(owner: User | None, account: Account, field: str) -> None:
    if owner is None:
        return
    if not owner.is_active or not visible_accounts(owner).filter(pk=account.pk).exists():
        raise ValidationError({field: _("The owner must be an active user who sees this account.")})


@transaction.atomic
@records_author
def topic_save(
    *,
    actor: User,
    review: AnnualReview,
    title: str,
    goal: str = "",
    owner: User | None = None,
    customer_side: str = "",
    renegotiate: bool = False,
    topic: Topic | None = None,
) -> Topic:
    require_edit(actor, review.account)
    if topic is None:
        require_room(review.topics.count())
    topic = topic or Topic(review=review, position=_next_position(review.topics))
    topic.title = (title or "").strip()
    topic.goal = (goal or "").replace("\r\n", "\n").strip()
    topic.owner = owner
    topic.customer_side = (customer_side or "").strip()
    topic.renegotiate = renegotiate
    if not topic.title:
        raise ValidationError({"title": _("A topic needs a title.")})
    topic.full_clean()
    _check_owner(owner, review.account, "owner")
    topic.save()
    return topic


@transaction.atomic
@records_author
def market_figure_save(
    *,
    actor: User,
    review: AnnualReview,
    topic: str,
    figure: str,
    source: str = "",
    year: int | None = None,
    row: MarketFigure | None = None,
) -> MarketFigure:
    require_edit(actor, review.account)
    if row is None:
        require_room(review.market_data.count())
    row = row or MarketFigure(review=review, position=_next_position(review.market_data))
    row.topic = (topic or "").strip()
    row.figure = (figure or "").strip()
    row.source = (source or "").strip()
    row.year = year
    row.full_clean()
    row.save()
    return row


@transaction.atomic
@records_author
def market_data_copy_from_last_year(*, actor: User, review: AnnualReview) -> int:
    """Copy the market data of the account's previous review; rows already there stay."""
    require_edit(actor, review.account)
    previous = (
        AnnualReview.objects.filter(account=review.account, year__lt=review.year)
        .order_by("-year")
        .first()
    )
    if previous is None:
        raise ValidationError(_("There is no earlier review of this account to copy from."))
    have = set(review.market_data.values_list("topic", "figure", "source", "year"))
    position = _next_position(review.market_data)
    rows = []
    for row in previous.market_data.all():
        if (row.topic, row.figure, row.source, row.year) in have:
            continue
        rows.append(
            MarketFigure(
                review=review,
                topic=row.topic,
                figure=row.figure,
                source=row.source,
                year=row.year,
                position=position,
            )
        )
        position += 1
    require_room(review.market_data.count(), adding=len(rows))
    MarketFigure.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
@records_author
def project_save(
    *,
    actor: User,
    review: AnnualReview,
    area: str,
    title: str,
    goal: str = "",
    target: str = "",
    project: JointProject | None = None,
) -> JointProject:
    require_edit(actor, review.account)
    if project is None:
        require_room(review.projects.count())
    project = project or JointProject(review=review, position=_next_position(review.projects))
    project.area = area
    project.title = (title or "").strip()
    project.goal = (goal or "").replace("\r\n", "\n").strip()
    project.target = (target or "").strip()
    project.full_clean()
    project.save()
    return project


@transaction.atomic
@records_author
def agreement_add(
    *,
    actor: User,
    review: AnnualReview,
    text: str,
    owner: User | None = None,
    due_on: date | None = None,
) -> Agreement:
    """An agreement of the meeting; with owner and due date it becomes a follow-up on the
    owner's "My work" (source "review")."""
    require_edit(actor, review.account)
    require_room(review.agreements.count())
    agreement = Agreement(review=review, text=(text or "").strip(), owner=owner, due_on=due_on)
    if bool(owner) != bool(due_on):
        field = "due_on" if owner else "owner"
        raise ValidationError({field: _("A follow-up needs both an owner and a due date.")})
    agreement.full_clean()
    if owner and due_on:
        agreement.follow_up = follow_up_create(
            actor=actor,
            account=review.account,
            owner=owner,
            title=agreement.text,
            due_on=due_on,
            notes=_("Agreed in the annual review %(year)s") % {"year": review.year},
            source="review",
        )
    agreement.save()
    return agreement


@transaction.atomic
@records_author
def agreement_update(
    *,
    actor: User,
    agreement: Agreement,
    text: str,
    owner: User | None = None,
    due_on: date | None = None,
) -> Agreement:
    """Change an agreement; its follow-up follows (title, owner, due date), or is created
    when owner and due date are given for the first time. Once it has a follow-up, owner
    and due date stay required."""
    review = agreement.review
    require_edit(actor, review.account)
    agreement.text = (text or "").strip()
    agreement.owner = owner
    agreement.due_on = due_on
    if bool(owner) != bool(due_on) or (agreement.follow_up_id and not owner):
        field = "due_on" if owner else "owner"
        raise ValidationError({field: _("A follow-up needs both an owner and a due date.")})
    agreement.full_clean()
    if agreement.follow_up is not None and owner and due_on:
        follow_up_update(
            actor=actor, follow_up=agreement.follow_up, title=agreement.text, owner=owner,
            due_on=due_on,
        )  # fmt: skip
    elif owner and due_on:
        agreement.follow_up = follow_up_create(
            actor=actor,
            account=review.account,
            owner=owner,
            title=agreement.text,
            due_on=due_on,
            notes=_("Agreed in the annual review %(year)s") % {"year": review.year},
            source="review",
        )
    agreement.save()
    return agreement


@transaction.atomic
@records_author
def agreement_delete(*, actor: User, agreement: Agreement) -> None:
    """Remove an agreement; a follow-up made from it goes too while it is open (it exists
    only because of the agreement), a done one stays as the record of work done."""
    require_edit(actor, agreement.review.account)
    follow_up = agreement.follow_up
    bury(agreement, kind="agreement", account_id=agreement.review.account_id)
    agreement.delete()
    if follow_up is not None and follow_up.done_at is None:
        bury(follow_up, kind="follow_up")
        follow_up.delete()


@transaction.atomic
@records_author
def review_delete(*, actor: User, review: AnnualReview) -> None:
    """Delete a review with everything prepared for it and its folder versions; the PDFs
    leave the storage once the deletion is committed (reviews.pdf.forget_file). Follow-ups
    and objectives made from it stay: they are work of their own by now."""
    require_edit(actor, review.account)
    bury(review, kind="review")  # its parts and folder versions go with it
    review.delete()


@transaction.atomic
@records_author
def version_delete(*, actor: User, version: FolderVersion) -> None:
    """Delete one folder version and, after the commit, its PDF. A version still being
    rendered cannot be deleted yet."""
    require_edit(actor, version.review.account)
    if version.is_running:
        raise ValidationError(
            _("Version %(number)s is still being rendered; delete it once it is done or failed.")
            % {"number": version.number}
        )
    bury(version, kind="folder_version", account_id=version.review.account_id)
    version.delete()


ITEM_KINDS = {  # the API's names of a review's parts
    "AgendaItem": "agenda_item",
    "Topic": "topic",
    "MarketFigure": "market_figure",
    "JointProject": "joint_project",
}


@transaction.atomic
@records_author
def item_delete(*, actor: User, item: AgendaItem | Topic | MarketFigure | JointProject) -> None:
    require_edit(actor, item.review.account)
    bury(item, kind=ITEM_KINDS[type(item).__name__], account_id=item.review.account_id)
    item.delete()


@transaction.atomic
@records_author
def review_follow_up(*, actor: User, review: AnnualReview) -> int:
    """Each joint project becomes an objective of next year's action plan, once; the review
    is then followed up. Returns how many objectives were created."""
    require_edit(actor, review.account)
    review = AnnualReview.objects.select_for_update().get(pk=review.pk)
    if review.status not in (AnnualReview.Status.HELD, AnnualReview.Status.FOLLOWED_UP):
        raise ValidationError(_("Only a held review can be followed up."))
    created = 0
    for project in review.projects.select_for_update().filter(objective__isnull=True):
        amount = target_amount(project.target, language=review.language)
        title = f"{project.get_area_display()}: {project.title}"
        if project.target and amount is None:
            # A target that is no amount ("48 h", "+5 %") stays readable in the title.
            title = f"{title} ({_('target')}: {project.target})"
        objective = objective_create(
            actor=actor,
            account=review.account,
            year=review.year + 1,
            kind=Objective.Kind.OTHER,
            title=title[:200],
            target_value=amount,
            owner=review.account.owner if review.account.owner.is_active else actor,
            due_on=date(review.year + 1, 12, 31),
        )
        project.objective = objective
        project.save(update_fields=["objective"])
        created += 1
    review.status = AnnualReview.Status.FOLLOWED_UP
    review.save(update_fields=["status", "updated_at"])
    return created


def target_amount(text: str, *, language: str) -> Decimal | None:
    """A project's target as an amount when it is one ("1.250.000 €", "250000", in the
    review's language: German "1.250,50", English "1,250.50"); None for anything else
    ("48 h", "+5 %")."""
    cleaned = text.strip()
    for symbol in ("€", "EUR", "$", "£", "CHF"):
        cleaned = cleaned.replace(symbol, "")
    cleaned = cleaned.replace("\u00a0", "").replace(" ", "")
    if not cleaned or not re.fullmatch(r"[0-9.,]+", cleaned):
        return None
    thousands, decimal = (".", ",") if language == "de" else (",", ".")
    cleaned = cleaned.replace(thousands, "").replace(decimal, ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        return None
    return amount if amount > 0 else None


# The presentation folder ------------------------------------------------------------------


def _hash(value: Any) -> str:
    encoded = json.dumps(value, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def _printed_result(scenario: Scenario) -> list[object]:
    """What a folder prints of a scenario's result (attached by the selector)."""
    result = scenario.result  # type: ignore[attr-defined]
    return [result.one_off_cost, result.yearly_saving, result.npv, result.payback_months]


def fingerprint(review: AnnualReview) -> dict[str, Any]:
    """What a folder shows, reduced to one hash per section plus the key figures, so that
    the next version can say what changed."""
    sections = {s.kind: s for s in review.sections.all()}
    rows: dict[str, Any] = {
        Section.Kind.MARKET: list(
            review.market_data.values_list("topic", "figure", "source", "year")
        ),
        Section.Kind.AGENDA: [
            list(review.agenda.values_list("title", "duration_minutes", "presenter")),
            list(review.topics.values_list("title", "goal", "owner_id", "customer_side")),
        ],
        Section.Kind.OUTLOOK: list(review.projects.values_list("area", "title", "goal", "target")),
    }
    result: dict[str, Any] = {"sections": {}}
    for kind in SECTION_ORDER:
        section = sections.get(kind)
        content = [section.text, section.data] if section else []
        result["sections"][kind] = _hash([content, rows.get(kind)])
    figures = sections.get(Section.Kind.FIGURES)
    figures_data: dict[str, Any] = (figures.data or {}) if figures else {}
    result["figures"] = figures_data.get("rows", [])
    result["items"] = {
        choice.key: [_stored_label(choice), choice.shown]
        for section in sections.values()
        for choice in selectors.section_items(section)
    }
    # The business cases in the customer's folder, with what their summary prints.
    result["cases"] = {
        f"case:{case.pk}": [
            case.title,
            _hash(
                [case.horizon_years, case.discount_rate_pct]
                + [
                    [scenario.name, *_printed_result(scenario)]
                    for scenario in case.scenarios.all()
                ]
            ),
        ]
        for case in selectors.folder_business_cases(review)
    }  # fmt: skip
    return result


def _stored_label(choice: selectors.ChoiceItem) -> notes.Note | str:
    """An item's name for the change list: a title as typed, a figures row as a note."""
    if "year" in choice.item and "title" not in choice.item:
        return notes.note(notes.KEY_FIGURES_OF, year=choice.item["year"])
    return choice.label


def version_changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[notes.Note]:
    """What changed since the previous version, as notes (reviews.notes): each reader
    reads them in their own language."""
    if not previous:
        return [notes.note(notes.FIRST_VERSION)]
    changes = []
    for kind in SECTION_ORDER:
        if previous.get("sections", {}).get(kind) != current["sections"].get(kind):
            changes.append(notes.note(notes.SECTION_EDITED, section={"section": kind}))
    changes += _diff_figures(previous.get("figures", []), current.get("figures", []))
    # What the customer sees: an item switched on or off since the last version.
    before = previous.get("items", {})
    for key, (label, shown) in current.get("items", {}).items():
        if key in before and before[key][1] != shown:
            changes.append(notes.note(notes.SHOWN if shown else notes.HIDDEN, item=label))
    # A business case put into the folder, taken out, or with other figures.
    cases_before, cases_now = previous.get("cases", {}), current.get("cases", {})
    for key, (title, content) in cases_now.items():
        if key not in cases_before:
            changes.append(notes.note(notes.SHOWN, item=title))
        elif cases_before[key][1] != content:
            changes.append(notes.note(notes.CASE_CHANGED, title=title))
    for key, (title, _content) in cases_before.items():
        if key not in cases_now:
            changes.append(notes.note(notes.HIDDEN, item=title))
    return changes or [notes.note(notes.NO_CHANGES)]


@transaction.atomic
@records_author
def folder_request(
    *, actor: User, review: AnnualReview, internal: bool = False
) -> tuple[FolderVersion, bool]:
    """A new numbered version, queued for the worker; while a render of the same kind
    (internal or for the customer) runs, that one is returned instead (a second click
    starts nothing). A running one that is stuck (its lease ran out, or it waits queued
    too long: reviews.rendering) is taken again here, or failed after its last attempt
    and replaced by a new version. Returns (version, new)."""
    if not visible_accounts(actor).filter(pk=review.account_id).exists():
        raise PermissionDenied(_("You may not change this account."))
    review = AnnualReview.objects.select_for_update().get(pk=review.pk)
    running = review.versions.filter(
        status__in=(FolderVersion.Status.QUEUED, FolderVersion.Status.RENDERING),
        internal=internal,
    ).first()
    if running is not None and rendering.needs_taking_again(running):
        running = rendering.take_again(running.pk) or running
        running.refresh_from_db()
    if running is not None and running.is_running:
        if running.status == FolderVersion.Status.QUEUED and running.queued_at is None:
            transaction.on_commit(lambda: _queue_render(running))  # the broker was away
        return running, False
    number = (review.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    current = fingerprint(review)
    previous = review.versions.filter(status=FolderVersion.Status.DONE).order_by("-number").first()
    version = FolderVersion.objects.create(
        review=review,
        number=number,
        internal=internal,
        language=review.language,
        requested_by=actor,
        fingerprint=current,
        changes=version_changes(previous.fingerprint if previous else None, current),
    )
    transaction.on_commit(lambda: _queue_render(version))
    return version, True


def _queue_render(version: FolderVersion) -> None:
    """After the commit: hand the render to the worker. With the broker away the version
    stays "queued" without `queued_at`, `version.queue_refused` tells the view to say so,
    and beat (reviews.tasks.queue_waiting_folders) queues it once Redis is back."""
    if queue.send(render_folder, version.pk):
        FolderVersion.objects.filter(pk=version.pk, queued_at__isnull=True).update(
            queued_at=timezone.now()
        )
    else:
        version.queue_refused = True
