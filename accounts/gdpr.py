"""Data requests of a person under the GDPR: everything stored about a contact (right
of access) and the erasure that keeps the statistics (right to erasure).

Other apps hold records about the person (activities they took part in, survey answers,
reviews they attended): each registers a `kam.registry.PersonalDataSource` that collects
its section of the export and redacts its free texts on erasure.

Erasure keeps the record and every link to it, so activities, figures and scores stay
counted; it clears the personal fields, blanks the person's names, e-mail address and
phone numbers in the free texts of the linked records and of the history, and records
who erased and why as a change of the contact.
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import visible_contacts
from accounts.models import Contact
from kam import events, registry
from kam.history import authored_by
from kam.models import IdempotencyKey
from users.models import Role, User

ERASED_NAME = gettext_lazy("erased contact")
REDACTED = "[…]"
# Fields of the profile in the export, in this order.
PROFILE_FIELDS = (
    "id",
    "account",
    "first_name",
    "last_name",
    "job_title",
    "department",
    "email",
    "phone",
    "mobile",
    "preferred_language",
    "reports_to",
    "buying_role",
    "influence",
    "attitude",
    "relationship_strength",
    "relationship_owner",
    "is_active",
    "left_on",
    "legal_basis",
    "consent_on",
    "last_contacted_at",
    "created_at",
    "erased_at",
)
# What erasure clears (the roles, influence and dates stay: they identify nobody and
# the buying-center statistics count them).
CLEARED = {
    "first_name": "",
    "job_title": "",
    "department": "",
    "email": "",
    "phone": "",
    "mobile": "",
    "consent_on": None,
}
HISTORY_FIELDS = ("history_date", "history_user", "history_type", *PROFILE_FIELDS[2:-3])


@dataclass
class Section:
    """One part of the export: `fields` are (name, label) pairs, `rows` dicts by name."""

    key: str
    title: str
    fields: list[tuple[str, str]]
    rows: list[dict[str, Any]]


def plain(record: models.Model, name: str) -> Any:
    """A field's value as people read it and JSON holds it: a choice's label, a related
    record's name, dates in ISO 8601, decimals as text."""
    if name == "history_user":
        return str(record.history_user) if record.history_user_id else None  # type: ignore[attr-defined]
    field = record._meta.get_field(name)
    if field.many_to_many:
        return [str(related) for related in getattr(record, name).all()]
    if field.is_relation:
        related = getattr(record, name)
        return str(related) if related is not None else None
    if isinstance(field, models.Field) and field.choices:
        value = getattr(record, name)
        return str(dict(field.flatchoices).get(value, value)) if value not in (None, "") else ""
    value = getattr(record, name)
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def section(
    key: str,
    title: str,
    model: type[models.Model],
    names: Sequence[str],
    records: Iterable,
    *,
    overrides: Mapping[str, Callable[[Any], Any]] | None = None,
) -> Section:
    """`overrides`: fields whose value a function of the record gives instead."""
    overrides = overrides or {}
    fields = []
    for name in names:
        if name == "history_user":
            fields.append((name, _("Changed by")))
            continue
        found = model._meta.get_field(name)
        fields.append((name, str(capfirst(getattr(found, "verbose_name", name)))))
    rows = [
        {
            name: overrides[name](record) if name in overrides else plain(record, name)
            for name in names
        }
        for record in records
    ]
    return Section(key=key, title=title, fields=fields, rows=rows)


def personal_data(*, contact: Contact, user: User) -> list[Section]:
    """Everything stored about the person that the user may see: the profile, the
    records of every registered source, and the history of the profile."""
    contact = Contact.objects.select_related("account", "relationship_owner").get(pk=contact.pk)
    history = list(
        Contact.history.filter(id=contact.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    # A manager is named only where the user may see them (as on the contact's page).
    managers = {contact.reports_to_id, *(row.reports_to_id for row in history)} - {None}
    names = {c.pk: str(c) for c in visible_contacts(user).filter(pk__in=managers)}

    def manager(record) -> str | None:
        if record.reports_to_id is None:
            return None
        return names.get(record.reports_to_id) or _("a contact you cannot see")

    overrides = {"reports_to": manager}
    sections = [
        section("profile", _("Profile"), Contact, PROFILE_FIELDS, [contact], overrides=overrides)
    ]
    # A source that only redacts (stored texts derived from other records) collects None.
    collected = [
        source.collect(contact=contact, user=user) for source in registry.personal_data_sources
    ]
    sections += [found for found in collected if found is not None]
    sections.append(
        section(
            "history",
            _("History of the profile"),
            Contact.history.model,
            HISTORY_FIELDS,
            history,
            overrides=overrides,
        )
    )
    return sections


def shown(value: Any) -> str:
    """A value of the export as the page shows it."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def as_table(section: Section) -> list[list[str]]:
    return [[shown(row[name]) for name, _label in section.fields] for row in section.rows]


def as_json(sections: list[Section], *, contact: Contact) -> dict[str, Any]:
    return {
        "contact": contact.pk,
        "exported_at": timezone.now().isoformat(),
        **{s.key: s.rows[0] if s.key == "profile" else s.rows for s in sections},
    }


# --- Erasure ---------------------------------------------------------------------------


def may_erase(user: User) -> bool:
    """Administrators and heads of sales."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in {Role.ADMIN, Role.HEAD_OF_SALES})
    )


def redactor(contact: Contact) -> Callable[[str], str]:
    """`redact(text)`: the text with the person's names (full, first and last alone, any
    case, as whole words), e-mail address and phone numbers replaced by "[…]"."""
    words = {
        f"{contact.first_name} {contact.last_name}".strip(),
        f"{contact.last_name}, {contact.first_name}".strip(", "),
        contact.last_name,
        contact.first_name,
    }
    literals = {contact.email, contact.phone, contact.mobile}
    parts = sorted(
        [rf"\b{re.escape(w)}\b" for w in words if len(w.strip()) >= 2]
        + [re.escape(x) for x in literals if len(x.strip()) >= 3],
        key=len,
        reverse=True,
    )
    if not parts:
        return lambda text: text
    pattern = re.compile("|".join(parts), re.IGNORECASE)

    def redact(text: str) -> str:
        return pattern.sub(REDACTED, text) if text else text

    return redact


def redacted_json(value, redact):
    """Every string inside a JSON value (stored reports, parameters, bodies) redacted;
    keys, numbers and the shape stay."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redacted_json(item, redact) for item in value]
    if isinstance(value, dict):
        return {key: redacted_json(item, redact) for key, item in value.items()}
    return value


def redact_rows(queryset: models.QuerySet, fields: Sequence[str], redact) -> int:
    """Redact `fields` of every row (records or their history rows) in place, without
    writing new history: one UPDATE per row that named the person."""
    changed = 0
    model = queryset.model
    # A redacted record counts as changed for incremental reads (`updated_since`); history
    # rows keep the moment they recorded.
    stamp = not model._meta.model_name.startswith("historical") and any(
        f.name == "updated_at" for f in model._meta.concrete_fields
    )
    for row in queryset.only("pk", *fields).iterator(chunk_size=500):
        new = {name: redact(getattr(row, name) or "") for name in fields}
        if any(new[name] != (getattr(row, name) or "") for name in fields):
            if stamp:
                new["updated_at"] = timezone.now()
            model._default_manager.filter(pk=row.pk).update(**new)
            changed += 1
    return changed


@transaction.atomic
def contact_erase(*, actor: User, contact: Contact, reason: str) -> Contact:
    """Erase the person, keep the record: personal fields cleared, the name replaced by
    "erased contact", the free texts of linked records and the whole history redacted.
    The erasure itself is a change of the contact, by `actor`, with `reason`."""
    if not may_erase(actor):
        raise PermissionDenied(_("Only administrators and heads of sales may erase a person."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the person is erased.")})
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.erased_at is not None:
        raise ValidationError(_("This contact has been erased already."))
    redact = redactor(contact)
    for source in registry.personal_data_sources:
        source.redact(contact=contact, redact=redact)
    with translation.override(settings.LANGUAGE_CODE):
        erased = {**CLEARED, "last_name": str(ERASED_NAME)}
    # Every earlier state of the profile: the history keeps when it changed, not who it was.
    Contact.history.filter(id=contact.pk).update(**erased, reports_to=None)
    for name, value in erased.items():
        setattr(contact, name, value)
    contact.reports_to = None
    contact.erased_at = timezone.now()
    contact.erasure_reason = reason
    with authored_by(actor):
        contact.save()
    redact_stored_responses(redact)
    # Search, caches, webhooks and reminders follow the change like any other.
    events.publish(events.ContactChanged(contact_id=contact.pk, account_id=contact.account_id))
    events.publish(events.ContactErased(contact_id=contact.pk, account_id=contact.account_id))
    return contact


def redact_stored_responses(redact) -> int:
    """The API's stored answers to idempotent retries (kam.api.idempotency) hold the
    bodies sent back then, the person's name among them: redacted in place (the keys
    expire after a day, so these are few)."""
    changed = 0
    for row in IdempotencyKey.objects.exclude(body=b"").only("pk", "body").iterator(2000):
        text = bytes(row.body).decode("utf-8", errors="replace")
        new = redact(text)
        if new != text:
            IdempotencyKey.objects.filter(pk=row.pk).update(body=new.encode())
            changed += 1
    return changed
