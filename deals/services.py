"""Writes on opportunities, their competitors and the competitor register.

Every write checks the "may change" predicate of accounts.access, validates the model
(the one set of rules that forms and API share) and runs in one transaction.
"""

from collections.abc import Iterable, Mapping
from copy import copy
from datetime import date, datetime, time
from typing import Unpack, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_edit
from accounts.models import Account, ProductLine
from deals.fields import CompetitorFields, CompetitorLinkFields, OpportunityFields
from deals.models import Competitor, Opportunity, OpportunityCompetitor, Stage
from kam import events
from kam.fields import given_fields
from kam.history import records_author
from kam.tombstones import bury
from kam.unset import UNSET, Unset
from kam.validators import require_room
from users.models import User


def first_open_stage() -> Stage:
    stage = Stage.objects.open().order_by("order", "pk").first()
    if stage is None:
        raise ValidationError({"stage": _("No open pipeline stage is configured.")})
    return stage


def _closing_time(closed_on: date) -> datetime:
    """Now for a deal closed today; for one recorded as closed on an earlier day (imports),
    the end of that day, so that it follows whatever else happened that day."""
    if closed_on >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(closed_on, time.max))


def dates_years(*days: date | None) -> frozenset[int]:
    return frozenset(day.year for day in days if day is not None)


def created_event(opportunity: Opportunity) -> events.Event:
    return events.OpportunityCreated(
        opportunity_id=opportunity.pk,
        account_id=opportunity.account_id,
        years=dates_years(opportunity.expected_close_date, opportunity.closed_on),
    )


def changed_events(opportunity: Opportunity, before: Opportunity) -> list[events.Event]:
    """OpportunityChanged for its account (and the one it left), OpportunityStageChanged
    when the stage moved; `before` is the row as it was read for the change."""
    years = dates_years(
        before.expected_close_date,
        before.closed_on,
        opportunity.expected_close_date,
        opportunity.closed_on,
    )
    found: list[events.Event] = [
        events.OpportunityChanged(opportunity_id=opportunity.pk, account_id=account_id, years=years)
        for account_id in dict.fromkeys([opportunity.account_id, before.account_id])
    ]
    if opportunity.stage_id != before.stage_id:
        found.append(
            events.OpportunityStageChanged(
                opportunity_id=opportunity.pk,
                account_id=opportunity.account_id,
                years=years,
                old_stage_id=before.stage_id,
                new_stage_id=opportunity.stage_id,
                closed=opportunity.stage.is_closed,
            )
        )
    return found


def _apply_stage(
    opportunity: Opportunity,
    stage: Stage,
    *,
    probability: int | None,
    closed_on: date | None,
    moved: bool,
) -> None:
    """Stage, probability and closing date move together.

    Entering a stage sets its default probability unless the caller gives one; a won or
    lost deal always takes the stage's probability (100 or 0), so that the weighted
    pipeline never counts a closed deal twice or not at all. Closing sets closed_on,
    reopening clears it.
    """
    opportunity.stage = stage
    if stage.is_closed:
        opportunity.probability = stage.default_probability
        if moved or opportunity.closed_on is None:
            opportunity.closed_on = closed_on or timezone.localdate()
            opportunity.closed_at = _closing_time(opportunity.closed_on)
    else:
        opportunity.closed_on = opportunity.closed_at = None
    if not stage.is_lost:
        opportunity.lost_to = None
        if probability is not None:
            opportunity.probability = probability
        elif moved or opportunity.probability is None:
            opportunity.probability = stage.default_probability


def opportunity_assign(
    opportunity: Opportunity,
    fields: Mapping[str, object],
    *,
    actor: User,
    closed_on: date | None = None,
) -> bool:
    """Set the given fields on a new (unsaved) or an existing opportunity, as its create
    and update services do: a new one gets the first open stage and the actor as owner
    when none is given; an existing one keeps its owner when none is given; stage,
    probability and closing move together. Answers whether the stage moved. The batch
    writes of imports (imports.bulk) share it."""
    fields = dict(fields)
    new = opportunity._state.adding
    given_stage = fields.pop("stage", None)
    stage = cast(Stage, given_stage or (first_open_stage() if new else opportunity.stage))
    moved = new or stage.pk != opportunity.stage_id
    new_probability = fields.pop("probability", None)
    if new:
        fields["owner"] = fields.get("owner") or actor
    elif fields.get("owner") is None:
        fields.pop("owner", None)
    for name, value in fields.items():
        setattr(opportunity, name, value)
    _apply_stage(
        opportunity,
        stage,
        probability=new_probability,  # type: ignore[arg-type]
        closed_on=closed_on,
        moved=moved,
    )
    return moved


@transaction.atomic
@records_author
def opportunity_create(
    *,
    actor: User,
    account: Account,
    product_lines: Iterable[ProductLine] = (),
    closed_on: date | None = None,
    **given: Unpack[OpportunityFields],
) -> Opportunity:
    """A new opportunity: the first open stage and the actor as owner when none is given."""
    fields = given_fields(OpportunityFields, given)
    require_edit(actor, account)
    opportunity = Opportunity(account=account)
    opportunity_assign(opportunity, fields, actor=actor, closed_on=closed_on)
    opportunity.full_clean()
    opportunity.save()
    if product_lines:
        opportunity.product_lines.set(product_lines)
    events.publish(created_event(opportunity))
    return opportunity


@transaction.atomic
@records_author
def opportunity_update(
    *,
    actor: User,
    opportunity: Opportunity,
    product_lines: Iterable[ProductLine] | None = None,
    account: Account | Unset = UNSET,
    **given: Unpack[OpportunityFields],
) -> Opportunity:
    """Change the given fields. A new stage resets the probability to the stage's default
    unless a probability is given with it (None means "the default")."""
    fields = given_fields(OpportunityFields, given)
    if account is not UNSET:
        fields = {"account": account, **fields}
    require_edit(actor, opportunity.account)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    before = copy(opportunity)
    if "account" in fields and fields["account"].pk != opportunity.account_id:
        require_edit(actor, fields["account"])
    opportunity_assign(opportunity, fields, actor=actor)
    opportunity.full_clean()
    opportunity.save()
    if product_lines is not None:
        opportunity.product_lines.set(product_lines)
    for event in changed_events(opportunity, before):
        events.publish(event)
    return opportunity


@transaction.atomic
@records_author
def opportunity_move(
    *,
    actor: User,
    opportunity: Opportunity,
    stage: Stage,
    reason: str = "",
    probability: int | None = None,
    closed_on: date | None = None,
    lost_to: Competitor | None = None,
) -> Opportunity:
    """Move a deal to another stage of the pipeline.

    Won and lost need a reason (kept in close_reason); closed_on is today unless given
    (imports of deals closed earlier); a lost deal may name the competitor it was lost to.
    Closing publishes OpportunityStageChanged; the whitespace matrix follows it in this
    transaction (planning subscribes with `in_transaction`).
    """
    require_edit(actor, opportunity.account)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    before = copy(opportunity)
    moved = stage.pk != opportunity.stage_id
    reason = reason.strip()
    if stage.is_closed:
        # A reason given now replaces an old one; an old one does not answer for a new close.
        opportunity.close_reason = reason if (moved or reason) else opportunity.close_reason
    elif reason:
        opportunity.close_reason = reason
    if stage.is_lost and lost_to is not None:
        opportunity.lost_to = lost_to
    _apply_stage(
        opportunity,
        stage,
        probability=probability,
        closed_on=closed_on,
        moved=moved or bool(closed_on),
    )
    opportunity.full_clean()
    opportunity.save()
    for event in changed_events(opportunity, before):
        events.publish(event)
    return opportunity


@transaction.atomic
@records_author
def competitor_create(*, actor: User, **given: Unpack[CompetitorFields]) -> Competitor:
    """Add a company to the competitor register, shared by every account."""
    fields = given_fields(CompetitorFields, given)
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied
    competitor = Competitor(
        name=fields["name"].strip(),
        website=fields.get("website", "").strip(),
        notes=fields.get("notes", "").strip(),
    )
    competitor.full_clean()
    competitor.save()
    return competitor


def _register_competitor(actor: User, name: str) -> Competitor:
    """The registered competitor of that name (any case), or a new one."""
    name = name.strip()
    existing = Competitor.objects.filter(name__iexact=name).first()
    return existing or competitor_create(actor=actor, name=name)


@transaction.atomic
@records_author
def opportunity_competitor_set(
    *,
    actor: User,
    opportunity: Opportunity,
    **given: Unpack[CompetitorLinkFields],
) -> tuple[OpportunityCompetitor, bool]:
    """Put a competitor on a deal or change their position; one row per competitor.

    `competitor_name` registers a competitor that is not in the register yet (or finds
    the one of that name), in the same transaction.
    """
    fields = given_fields(CompetitorLinkFields, given)
    competitor: Competitor | None = fields.get("competitor")
    competitor_name: str = fields.get("competitor_name", "")
    position: str = fields.get("position", OpportunityCompetitor.Position.UNKNOWN)
    notes: str = fields.get("notes", "")
    require_edit(actor, opportunity.account)
    if competitor is None:
        if not competitor_name.strip():
            raise ValidationError(
                {"competitor": _("Choose a competitor or enter the name of a new one.")}
            )
        competitor = _register_competitor(actor, competitor_name)
    link = OpportunityCompetitor.objects.filter(
        opportunity=opportunity, competitor=competitor
    ).first()
    created = link is None
    if link is None:
        require_room(opportunity.competitor_links.count(), field="competitor")
        link = OpportunityCompetitor(opportunity=opportunity, competitor=competitor)
    link.position = position
    link.notes = notes.strip()
    link.full_clean(validate_constraints=False)
    link.save()
    return link, created


@transaction.atomic
@records_author
def opportunity_competitor_remove(
    *, actor: User, opportunity: Opportunity, competitor: Competitor
) -> bool:
    require_edit(actor, opportunity.account)
    link = OpportunityCompetitor.objects.filter(
        opportunity=opportunity, competitor=competitor
    ).first()
    if link is None:
        return False
    bury(link, kind="opportunity_competitor", account_id=opportunity.account_id)
    link.delete()
    return True
