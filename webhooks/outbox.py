"""The transactional outbox: domain events become webhook messages in the transaction of
the change (kam.events calls `record` inside `publish`), so a rolled-back change sends
nothing and a committed one is never lost. Delivery starts after the commit.

A message's `data` carries what its event says (ids, the stages of a moved deal, a
deadline) and, as `data.object`, the record as the API shows it to the endpoint's
administrator at the time of the change (webhooks.payloads). An endpoint only hears of
accounts its administrator may see; a deleted or erased record comes with its ids and
external id only.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.access import visible_accounts
from accounts.models import Contact
from customer_care.models import CustomerIssue
from deals.models import Stage
from kam import events
from kam.models import Tombstone
from kam.queue import sender
from reviews.models import AnnualReview
from webhooks import payloads, tasks
from webhooks.models import Endpoint, Message, any_active
from webhooks.services import new_message_id, to_json


@dataclass(frozen=True)
class Outgoing:
    event_type: str
    subject: str  # the record: its messages go out in order
    account_id: int
    data: dict[str, Any]
    once: bool = False  # sent only the first time (a state reached, not a change)
    # The record shown as `data.object` (webhooks.payloads): its kind and key.
    record: tuple[str, Any] | None = None


def _account(event_type: str) -> Callable[[Any], list[Outgoing]]:
    def describe(event: events.AccountEvent) -> list[Outgoing]:
        data: dict[str, Any] = {"account_id": event.account_id}
        record: tuple[str, Any] | None = ("account", event.account_id)
        if event_type == "account.deleted":
            data["external_id"] = _buried_external_id("account", event.account_id)
            record = None
        subject = f"account:{event.account_id}"
        return [Outgoing(event_type, subject, event.account_id, data, record=record)]

    return describe


def _buried_external_id(kind: str, object_id: int) -> str | None:
    """The external id a deleted record had, from its tombstone (kam.tombstones)."""
    tombstones = Tombstone.objects.filter(kind=kind, object_id=object_id).order_by("-pk")
    return tombstones.values_list("external_id", flat=True).first() or None


def _figures(event: events.FiguresChanged) -> list[Outgoing]:
    data = {"account_id": event.account_id, "year": event.year}
    subject = f"figures:{event.account_id}:{event.year}"
    record = ("figures", (event.account_id, event.year))
    return [Outgoing("figures.changed", subject, event.account_id, data, record=record)]


def _contact(event_type: str) -> Callable[[Any], list[Outgoing]]:
    def describe(event: events.ContactCreated | events.ContactChanged) -> list[Outgoing]:
        data = {"contact_id": event.contact_id, "account_id": event.account_id}
        subject, record = f"contact:{event.contact_id}", ("contact", event.contact_id)
        return [Outgoing(event_type, subject, event.account_id, data, record=record)]

    return describe


def _opportunity_created(event: events.OpportunityCreated) -> list[Outgoing]:
    data = {"opportunity_id": event.opportunity_id, "account_id": event.account_id}
    subject = f"opportunity:{event.opportunity_id}"
    record = ("opportunity", event.opportunity_id)
    return [Outgoing("opportunity.created", subject, event.account_id, data, record=record)]


def _opportunity_stage(event: events.OpportunityStageChanged) -> list[Outgoing]:
    data = {
        "opportunity_id": event.opportunity_id,
        "account_id": event.account_id,
        "old_stage_id": event.old_stage_id,
        "new_stage_id": event.new_stage_id,
    }
    subject = f"opportunity:{event.opportunity_id}"
    record = ("opportunity", event.opportunity_id)
    found = [Outgoing("opportunity.stage_changed", subject, event.account_id, data, record=record)]
    stage = Stage.objects.filter(pk=event.new_stage_id).only("is_won", "is_lost").first()
    if stage is not None and stage.is_won:
        found.append(Outgoing("opportunity.won", subject, event.account_id, data, record=record))
    elif stage is not None and stage.is_lost:
        found.append(Outgoing("opportunity.lost", subject, event.account_id, data, record=record))
    return found


def _contract_created(event: events.ContractCreated) -> list[Outgoing]:
    data = {"contract_id": event.contract_id, "account_id": event.account_id}
    subject, record = f"contract:{event.contract_id}", ("contract", event.contract_id)
    return [Outgoing("contract.created", subject, event.account_id, data, record=record)]


def _issue_created(event: events.IssueCreated) -> list[Outgoing]:
    data = {"issue_id": event.issue_id, "account_id": event.account_id}
    subject, record = f"issue:{event.issue_id}", ("issue", event.issue_id)
    return [Outgoing("issue.created", subject, event.account_id, data, record=record)]


def _issue_changed(event: events.IssueChanged) -> list[Outgoing]:
    if not CustomerIssue.objects.filter(pk=event.issue_id, escalated=True).exists():
        return []
    data = {"issue_id": event.issue_id, "account_id": event.account_id}
    subject, record = f"issue:{event.issue_id}", ("issue", event.issue_id)
    return [Outgoing("issue.escalated", subject, event.account_id, data, True, record)]


def _review_changed(event: events.ReviewChanged) -> list[Outgoing]:
    held = AnnualReview.Status.HELD
    if not AnnualReview.objects.filter(pk=event.review_id, status=held).exists():
        return []
    data = {"review_id": event.review_id, "account_id": event.account_id}
    subject, record = f"review:{event.review_id}", ("review", event.review_id)
    return [Outgoing("review.held", subject, event.account_id, data, True, record)]


def _contact_erased(event: events.ContactErased) -> list[Outgoing]:
    external_id = Contact.objects.filter(pk=event.contact_id).values_list("external_id", flat=True)
    data = {
        "contact_id": event.contact_id,
        "account_id": event.account_id,
        "external_id": external_id.first() or None,
    }
    subject = f"contact:{event.contact_id}"
    return [Outgoing("contact.erased", subject, event.account_id, data, once=True)]


def _notice_approaching(event: events.ContractNoticeApproaching) -> list[Outgoing]:
    data = {
        "contract_id": event.contract_id,
        "account_id": event.account_id,
        "deadline_on": event.deadline_on.isoformat(),
        "days_before": event.days_before,
    }
    subject, record = f"contract:{event.contract_id}", ("contract", event.contract_id)
    return [Outgoing("contract.notice_approaching", subject, event.account_id, data, record=record)]


def _notice_missed(event: events.ContractNoticeMissed) -> list[Outgoing]:
    following = event.next_deadline_on
    data = {
        "contract_id": event.contract_id,
        "account_id": event.account_id,
        "deadline_on": event.deadline_on.isoformat(),
        "next_deadline_on": following.isoformat() if following else None,
    }
    subject, record = f"contract:{event.contract_id}", ("contract", event.contract_id)
    return [Outgoing("contract.notice_missed", subject, event.account_id, data, record=record)]


def _survey_detractor(event: events.SurveyDetractor) -> list[Outgoing]:
    data = {"survey_id": event.survey_id, "account_id": event.account_id}
    subject, record = f"survey:{event.survey_id}", ("survey", event.survey_id)
    return [Outgoing("survey.detractor", subject, event.account_id, data, record=record)]


def _folder_ready(event: events.FolderVersionReady) -> list[Outgoing]:
    data = {
        "version_id": event.version_id,
        "review_id": event.review_id,
        "account_id": event.account_id,
    }
    subject, record = f"review:{event.review_id}", ("folder_version", event.version_id)
    return [Outgoing("folder_version.ready", subject, event.account_id, data, record=record)]


def _dependency_raised(event: events.DependencyWarningRaised) -> list[Outgoing]:
    data = {
        "account_id": event.account_id,
        "year": event.year,
        "level": event.level,
        "revenue_share": event.revenue_share,
        "margin_share": event.margin_share,
    }
    subject, record = f"dependency:{event.account_id}:{event.year}", ("account", event.account_id)
    return [Outgoing("dependency.warning_raised", subject, event.account_id, data, record=record)]


DESCRIBERS: dict[type[events.Event], Callable[[Any], list[Outgoing]]] = {
    events.AccountCreated: _account("account.created"),
    events.AccountChanged: _account("account.changed"),
    events.AccountDeleted: _account("account.deleted"),
    events.FiguresChanged: _figures,
    events.ContactCreated: _contact("contact.created"),
    events.ContactChanged: _contact("contact.changed"),
    events.OpportunityCreated: _opportunity_created,
    events.OpportunityStageChanged: _opportunity_stage,
    events.ContractCreated: _contract_created,
    events.IssueCreated: _issue_created,
    events.IssueChanged: _issue_changed,
    events.ReviewChanged: _review_changed,
    events.ContactErased: _contact_erased,
    events.ContractNoticeApproaching: _notice_approaching,
    events.ContractNoticeMissed: _notice_missed,
    events.SurveyDetractor: _survey_detractor,
    events.FolderVersionReady: _folder_ready,
    events.DependencyWarningRaised: _dependency_raised,
}


def _may_see(endpoint: Endpoint, account_id: int, deleted: bool) -> bool:
    owner = endpoint.owner
    if not owner.is_active:
        return False
    if owner.sees_all_accounts:
        return True
    # A deleted account cannot be checked any more: only those who see all hear of it.
    return not deleted and visible_accounts(owner).filter(pk=account_id).exists()


def record(published: Sequence[events.Event]) -> None:
    """Write one message per active endpoint that wants it for each event, in the current
    transaction, and queue its delivery for after the commit. Called with the events of
    one `publish` (or of a batch of imported rows): whether any endpoint is active is
    asked once for all of them."""
    if not published or not any_active():
        return
    endpoints = list(Endpoint.objects.filter(active=True).select_related("owner"))
    if not endpoints:
        return
    for event in published:
        _record(event, endpoints)


def _record(event: events.Event, endpoints: list[Endpoint]) -> None:
    outgoing = [
        item
        for item in DESCRIBERS[type(event)](event)
        if any(item.event_type in endpoint.event_types for endpoint in endpoints)
    ]
    now = timezone.now()
    objects: dict[tuple[int, str, Any], dict[str, Any] | None] = {}
    for item in outgoing:
        deleted = item.event_type == "account.deleted"
        for endpoint in endpoints:
            if item.event_type not in endpoint.event_types:
                continue
            if not _may_see(endpoint, item.account_id, deleted):
                continue
            if (
                item.once
                and Message.objects.filter(
                    endpoint=endpoint, event_type=item.event_type, subject=item.subject
                ).exists()
            ):
                continue
            data = item.data
            if item.record is not None:
                seen = (endpoint.owner_id, *item.record)
                if seen not in objects:
                    objects[seen] = payloads.represent(*item.record, endpoint.owner)
                if objects[seen] is not None:
                    data = {**data, "object": objects[seen]}
            payload = {"type": item.event_type, "timestamp": now.isoformat(), "data": data}
            message = Message.objects.create(
                endpoint=endpoint,
                msg_id=new_message_id(),
                event_type=item.event_type,
                subject=item.subject,
                body=to_json(payload),
                created_at=now,
                next_attempt_at=now,
            )
            transaction.on_commit(sender(tasks.deliver, message.pk))
