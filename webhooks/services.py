"""Registering webhook endpoints and sending a message again. Only administrators manage
endpoints; everyone else is answered 404 by the views."""

import json
import uuid
from datetime import timedelta
from typing import Any, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kam.fields import given_fields
from kam.queue import sender
from users.models import Role, User
from webhooks import signing, tasks, transport
from webhooks.catalog import EVENT_TYPES
from webhooks.fields import EndpointFields
from webhooks.models import Endpoint, Message

PREVIOUS_SECRET_VALID = timedelta(hours=24)


def may_manage(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role == Role.ADMIN)


def require_manager(user: User) -> None:
    if not may_manage(user):
        raise PermissionDenied(_("Only administrators manage webhooks."))


def endpoint_for(user: User, pk: Any) -> Endpoint:
    """The endpoint, for an administrator; 404 for everyone else."""
    if not may_manage(user):
        raise Http404
    endpoint = Endpoint.objects.filter(pk=pk).first()
    if endpoint is None:
        raise Http404
    return endpoint


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def to_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def _check(*, url: str, event_types: list[str]) -> None:
    errors: dict[str, list[str]] = {}
    try:
        transport.resolve(url)
    except ValidationError as exc:
        errors["url"] = exc.messages
    unknown = [name for name in event_types if name not in EVENT_TYPES]
    if not event_types:
        errors["event_types"] = [_("Choose at least one event.")]
    elif unknown:
        errors["event_types"] = [_("Unknown events: %s") % ", ".join(unknown)]
    if errors:
        raise ValidationError(errors)


def endpoint_create(*, actor: User, **given: Unpack[EndpointFields]) -> tuple[Endpoint, str]:
    """The new endpoint and its secret (shown this once)."""
    fields = given_fields(EndpointFields, given)
    url: str = fields.get("url", "")
    event_types: list[str] = fields.get("event_types", [])
    description: str = fields.get("description", "")
    active: bool = fields.get("active", True)
    require_manager(actor)
    _check(url=url, event_types=event_types)
    secret = signing.new_secret()
    endpoint = Endpoint(
        url=url,
        description=description,
        event_types=list(dict.fromkeys(event_types)),
        active=active,
        secret=secret,
        owner=actor,
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint, secret


def endpoint_update(
    *,
    actor: User,
    endpoint: Endpoint,
    **given: Unpack[EndpointFields],
) -> Endpoint:
    fields = given_fields(EndpointFields, given)
    url: str | None = fields.get("url")
    event_types: list[str] | None = fields.get("event_types")
    description: str | None = fields.get("description")
    active: bool | None = fields.get("active")
    require_manager(actor)
    if url is not None:
        endpoint.url = url
    if event_types is not None:
        endpoint.event_types = list(dict.fromkeys(event_types))
    if description is not None:
        endpoint.description = description
    reactivated = active is True and not endpoint.active
    if active is not None:
        endpoint.active = active
    _check(url=endpoint.url, event_types=endpoint.event_types)
    endpoint.full_clean()
    if reactivated:
        endpoint.failing_since = None
        endpoint.disabled_at = None
        # What waited while it was off is due at once.
        endpoint.messages.filter(status=Message.Status.PENDING).update(
            next_attempt_at=timezone.now()
        )
        transaction.on_commit(sender(tasks.send_due))
    endpoint.save()
    return endpoint


def endpoint_rotate_secret(*, actor: User, endpoint: Endpoint) -> str:
    """A new secret (shown this once); the old one keeps signing beside it for 24 hours."""
    require_manager(actor)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = timezone.now() + PREVIOUS_SECRET_VALID
    endpoint.secret = signing.new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return endpoint.secret


def endpoint_delete(*, actor: User, endpoint: Endpoint) -> None:
    require_manager(actor)
    endpoint.delete()


def message_redeliver(*, actor: User, message: Message) -> Message:
    """Send the message again, under its own `webhook-id`, as soon as possible."""
    require_manager(actor)
    message.status = Message.Status.PENDING
    message.attempts = 0  # the whole retry schedule again; the log keeps every attempt
    message.next_attempt_at = timezone.now()
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(sender(tasks.deliver, message.pk))
    return message
