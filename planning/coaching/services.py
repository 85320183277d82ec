"""Writes on coaching plans, their materials and sessions, and the reps' briefing
confirmations.

Plans, materials and sessions change only for users who may change the account; a
confirmation comes only from a rep of the plan. Uploads are checked by content (kam.uploads,
as for contract documents) before a single byte is stored.
"""

from collections.abc import Iterable
from pathlib import PurePath
from typing import Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.access import require_edit, visible_accounts
from accounts.models import Account
from kam.fields import given_fields
from kam.history import records_author
from kam.tombstones import bury
from kam.uploads import stored_name, validate_upload
from kam.validators import require_room, require_short_list
from planning.coaching.fields import CoachingPlanFields, SessionFields
from planning.models import BriefingConfirmation, CoachingMaterial, CoachingPlan, CoachingSession
from users.models import User

UPLOAD_FOLDER = "coaching"


def _normalise(plan: CoachingPlan) -> None:
    plan.title = (plan.title or "").strip()
    for name in ("measures", "topics", "dos_and_donts"):
        value = getattr(plan, name) or ""
        setattr(plan, name, value.replace("\r\n", "\n").strip())


def _check_people(users, account: Account, field: str) -> list[User]:
    """Reps and participants must be active and able to see the account: a plan is no use
    to somebody who cannot open its briefing sheet."""
    people = list(dict.fromkeys(users))
    errors = []
    for person in people:
        if not person.is_active:
            errors.append(_("%(name)s is no longer active.") % {"name": person})
        elif not visible_accounts(person).filter(pk=account.pk).exists():
            errors.append(
                _("%(name)s is not on the team of this account and could not see the plan.")
                % {"name": person}
            )
    if errors:
        raise ValidationError({field: errors})
    return people


@transaction.atomic
@records_author
def coaching_plan_create(
    *,
    actor: User,
    account: Account,
    reps: Iterable[User] = (),
    **given: Unpack[CoachingPlanFields],
) -> CoachingPlan:
    fields = given_fields(CoachingPlanFields, given)
    if not visible_accounts(actor).filter(pk=account.pk).exists():
        raise ValidationError({"account": _("Choose an account you can see.")})
    require_edit(
        actor, account, message=_("You may not change the coaching plans of this account.")
    )
    plan = CoachingPlan(account=account, created_by=actor, **fields)
    _normalise(plan)
    plan.full_clean()
    people = _check_people(reps, account, "reps")
    plan.save()
    plan.reps.set(people)
    return plan


@transaction.atomic
@records_author
def coaching_plan_update(
    *,
    actor: User,
    plan: CoachingPlan,
    reps: Iterable[User] | None = None,
    **given: Unpack[CoachingPlanFields],
) -> CoachingPlan:
    """Change the given fields; `reps=None` keeps the reps. A rep taken off the plan loses
    their confirmation (they are no longer briefed by this plan)."""
    fields = given_fields(CoachingPlanFields, given)
    require_edit(
        actor, plan.account, message=_("You may not change the coaching plans of this account.")
    )
    plan = CoachingPlan.objects.select_for_update().select_related("account").get(pk=plan.pk)
    for name, value in fields.items():
        setattr(plan, name, value)
    _normalise(plan)
    plan.full_clean()
    if reps is not None:
        people = _check_people(reps, plan.account, "reps")
        plan.reps.set(people)
        plan.confirmations.exclude(rep__in=people).delete()
    plan.save()
    return plan


@transaction.atomic
@records_author
def material_add(
    *, actor: User, plan: CoachingPlan, title: str, url: str = "", uploaded_file=None
) -> CoachingMaterial:
    """A link or a file, never both. The file is checked before it is stored under a random
    name; if the database write fails afterwards, the file is removed again."""
    require_edit(
        actor, plan.account, message=_("You may not change the coaching plans of this account.")
    )
    require_room(plan.materials.count())
    url = (url or "").strip()
    title = (title or "").strip()
    if not title and uploaded_file:
        title = PurePath(uploaded_file.name or "").name[:200]
    material = CoachingMaterial(plan=plan, title=title, url=url, uploaded_by=actor)
    if url and uploaded_file:
        raise ValidationError({"url": _("Give either a link or a file, not both.")})
    if not url and not uploaded_file:
        raise ValidationError({"url": _("Give a link or upload a file.")})
    if not uploaded_file:
        material.full_clean(exclude=["file"])
        material.save()
        return material
    # The title is checked first so that a missing title never leaves a stored file behind.
    material.full_clean(exclude=["file"])
    try:
        checked = validate_upload(uploaded_file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    material.original_name = checked.original_name
    material.content_type = checked.content_type
    material.size = checked.size
    # upload_to adds the folder; the name itself is random and keeps only the extension.
    name = PurePath(stored_name(checked.original_name, UPLOAD_FOLDER)).name
    material.file.save(name, uploaded_file, save=False)
    stored, storage = material.file.name, material.file.storage
    try:
        material.full_clean(exclude=["file"])
        material.save()
    except Exception:
        if stored:
            storage.delete(stored)
        raise
    return material


@transaction.atomic
@records_author
def material_delete(*, actor: User, material: CoachingMaterial) -> None:
    require_edit(
        actor,
        material.plan.account,
        message=_("You may not change the coaching plans of this account."),
    )
    name = material.file.name if material.file else ""
    storage = material.file.storage
    bury(material, kind="coaching_material", account_id=material.plan.account_id)
    material.delete()
    if name:
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
@records_author
def session_add(
    *, actor: User, plan: CoachingPlan, participants=(), **given: Unpack[SessionFields]
) -> CoachingSession:
    fields = given_fields(SessionFields, given)
    held_at, notes = fields.get("held_at"), fields.get("notes", "")
    require_edit(
        actor, plan.account, message=_("You may not change the coaching plans of this account.")
    )
    require_room(plan.sessions.count())
    participants = list(participants)
    require_short_list(participants, field="participants")
    # No date: full_clean answers "required" on the field.
    session = CoachingSession(plan=plan, held_at=held_at, notes=(notes or "").strip())  # type: ignore[misc]
    session.full_clean()
    people = _check_people(participants, plan.account, "participants")
    session.save()
    session.participants.set(people)
    return session


@transaction.atomic
@records_author
def briefing_confirm(*, actor: User, plan: CoachingPlan) -> tuple[BriefingConfirmation, bool]:
    """The rep confirms they were briefed; only a rep of the plan can, once (a second
    confirmation returns the first)."""
    if not plan.reps.filter(pk=actor.pk).exists():
        raise PermissionDenied(
            _("Only a sales rep of this coaching plan can confirm the briefing.")
        )
    existing = BriefingConfirmation.objects.filter(plan=plan, rep=actor).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            confirmation = BriefingConfirmation.objects.create(plan=plan, rep=actor)
    except IntegrityError:  # a double click that raced the first one
        return BriefingConfirmation.objects.get(plan=plan, rep=actor), False
    return confirmation, True
