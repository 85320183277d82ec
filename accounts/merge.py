"""Merging two accounts or two contacts into one (heads of sales and administrators).

The user picks the record that survives and, field by field, which value it keeps.
Everything that points to the merged record moves to the survivor in one transaction.
The relations are not listed by hand: every foreign key to Account (or Contact) of every
installed model, many-to-many tables and history tables included, is found through the
models' `_meta`, so a model added later by any app moves too.

Where the survivor already has a row the merged record's row would collide with (a
unique constraint such as one figures row per year):
- yearly figures: added, or the survivor's or the merged account's kept (the user says);
- profile sections: the two texts are kept one below the other;
- the team: the survivor's membership stays (with "may edit" if either had it);
- link tables and the models registered with `keep_survivors_row_on_conflict` (derived
  data such as health scores): the survivor's row stays;
- anything else (two plans of one year, two contracts with one number): the merge is
  refused with the clash named, and nothing changes.

Afterwards the merged id answers with a permanent redirect to the survivor on the pages
(the `Merge` table) and 404 in the API, and the survivor's history shows the merge.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from accounts import hierarchy, services
from accounts.access import visible_accounts, visible_contacts
from accounts.models import (
    Account,
    AccountPlacement,
    Contact,
    Merge,
    ProfileSection,
    TeamMembership,
    YearlyFigures,
    _reports_chain_contains,
)
from kam import events
from kam.history import EMPTY, display, records_author
from kam.tombstones import bury
from users.models import Role, User

# The fields the merge page offers, in the order of the page.
ACCOUNT_FIELDS = (
    "name", "legal_name", "external_id", "vat_id", "parent", "status", "tier", "owner", "industry",
    "customer_type", "country", "city", "region", "website", "individual_requirements",
)  # fmt: skip
CONTACT_FIELDS = (
    "first_name", "last_name", "account", "external_id", "job_title", "department", "email",
    "phone", "mobile", "preferred_language", "buying_role", "influence", "attitude",
    "relationship_strength", "relationship_owner", "is_active", "left_on", "legal_basis",
    "consent_on",
)  # fmt: skip

ADD: Literal["add"] = "add"
FiguresChoice = Literal["add", "survivor", "merged"]

_keep_survivors: set[type[models.Model]] = set()


def keep_survivors_row_on_conflict(model: type[models.Model]) -> None:
    """For an upper app's AppConfig.ready(): rows of `model` that clash with a row of the
    survivor are derived data; the merged record's row is dropped, the survivor's stays."""
    _keep_survivors.add(model)


def _field(model: type[models.Model] | models.Model, name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def may_merge(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in {Role.ADMIN, Role.HEAD_OF_SALES})
    )


def _require_merge(actor: User) -> None:
    if not may_merge(actor):
        raise PermissionDenied(_("Only heads of sales and administrators may merge records."))


# --- the relations, found through _meta ----------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """A foreign key (or one-to-one key) of `model` named `field` pointing to the target."""

    model: type[models.Model]
    field: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"

    def rows(self, record: models.Model) -> models.QuerySet:
        return self.model._base_manager.filter(**{self.field: record.pk})

    def unique_sets(self) -> list[tuple[tuple[str, ...], models.Q | None]]:
        """The other fields of each unique rule that includes this key (() when the key
        alone is unique), with the rule's condition (None: every row)."""
        meta = self.model._meta
        field = _field(self.model, self.field)
        sets: list[tuple[tuple[str, ...], models.Q | None]] = []
        if field.unique or field.primary_key:
            sets.append(((), None))
        for together in meta.unique_together:
            if self.field in together:
                sets.append((tuple(n for n in together if n != self.field), None))
        for constraint in meta.constraints:
            fields = getattr(constraint, "fields", ())
            if isinstance(constraint, models.UniqueConstraint) and self.field in fields:
                others = tuple(n for n in fields if n != self.field)
                sets.append((others, constraint.condition))
        return sets


def relations(target: type[models.Model]) -> list[Relation]:
    """Every foreign key to `target` in every installed model (link tables of many-to-many
    fields and the history tables included)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.local_fields:
            if field.is_relation and field.related_model is target:
                found.append(Relation(model=model, field=field.name))
    return found


def _clashes(relation: Relation, survivor, merged) -> dict[tuple[str, ...], list[int]]:
    """For each unique rule, the merged record's rows (pks) that the survivor has too."""
    found: dict[tuple[str, ...], list[int]] = {}
    for others, condition in relation.unique_sets():
        theirs, ours = relation.rows(merged), relation.rows(survivor)
        if condition is not None:
            theirs, ours = theirs.filter(condition), ours.filter(condition)
        if not others:
            pks = list(theirs.values_list("pk", flat=True)) if ours.exists() else []
        else:
            taken = set(ours.values_list(*others))
            pks = [row[0] for row in theirs.values_list("pk", *others) if tuple(row[1:]) in taken]
        if pks:
            found.setdefault(others, []).extend(pks)
    return found


def _resolve_clashes(relation: Relation, survivor, merged) -> list[str]:
    """Settle the rows that would collide; the refusals, as messages, for the others."""
    refusals = []
    for others, pks in _clashes(relation, survivor, merged).items():
        model = relation.model
        if model._meta.auto_created or model in _keep_survivors:
            model._base_manager.filter(pk__in=pks).delete()
        elif model is ProfileSection:
            for section in ProfileSection.objects.filter(pk__in=pks):
                kept = ProfileSection.objects.get(account=survivor, kind=section.kind)
                if section.text.strip() and section.text.strip() != kept.text.strip():
                    kept.text = f"{kept.text.rstrip()}\n\n{section.text.strip()}".strip()
                    kept.save()
                section.delete()
        elif model is TeamMembership:
            for membership in TeamMembership.objects.filter(pk__in=pks):
                if membership.can_edit:
                    TeamMembership.objects.filter(account=survivor, user=membership.user_id).update(
                        can_edit=True
                    )
                bury(membership, kind="team_member")
                membership.delete()
        else:
            names = ", ".join(str(_field(model, n).verbose_name) for n in others)
            rows = model._base_manager.filter(pk__in=pks)
            refusals.append(
                _("Both have a %(record)s with the same %(fields)s: %(rows)s.")
                % {
                    "record": model._meta.verbose_name,
                    "fields": names or _("key"),
                    "rows": ", ".join(str(row) for row in rows[:5]),
                }
            )
    return refusals


def _move_all(target: type[models.Model], survivor, merged) -> dict[str, int]:
    """Move every row pointing to `merged` to `survivor`; the rows moved per relation.
    Raises ValidationError (nothing is kept: the caller's transaction rolls back) when a
    clash cannot be settled."""
    found = relations(target)
    refusals: list[str] = []
    for relation in found:
        refusals += _resolve_clashes(relation, survivor, merged)
    if refusals:
        raise ValidationError(refusals)
    moved = {}
    for relation in found:
        count = relation.rows(merged).update(**{relation.field: survivor.pk})
        if count:
            moved[relation.label] = count
    return moved


# --- what the merge page shows and the user decides ---------------------------------------


@dataclass(frozen=True)
class FieldChoice:
    name: str
    label: str
    a: str  # the value of record a, as the user reads it
    b: str


def _shown(record: models.Model, name: str) -> str:
    field = record._meta.get_field(name)
    if field.is_relation:
        related = getattr(record, name)
        return str(related) if related is not None else EMPTY
    return display(type(record), name, getattr(record, name), {})


def _raw(record: models.Model, name: str) -> Any:
    return getattr(record, _field(record, name).attname)


def differing_fields(a: models.Model, b: models.Model) -> list[FieldChoice]:
    """The fields whose values differ, with both values as the user reads them."""
    names = ACCOUNT_FIELDS if isinstance(a, Account) else CONTACT_FIELDS
    return [
        FieldChoice(
            name=name,
            label=str(_field(a, name).verbose_name),
            a=_shown(a, name),
            b=_shown(b, name),
        )
        for name in names
        if _raw(a, name) != _raw(b, name)
    ]


def default_side(a: models.Model, b: models.Model, name: str) -> str:
    """The value offered first: a's, unless it is empty and b's is not."""
    return "b" if _raw(a, name) in (None, "") and _raw(b, name) not in (None, "") else "a"


def shared_years(a: Account, b: Account) -> list[int]:
    years = set(a.figures.values_list("year", flat=True))
    return sorted(years & set(b.figures.values_list("year", flat=True)), reverse=True)


def _kept_values(
    survivor: models.Model, merged: models.Model, keep_merged: set[str]
) -> dict[str, Any]:
    """The survivor's new values: the merged record's where the user chose them, and where
    the survivor's is empty and the user did not choose (an empty value keeps nothing)."""
    names = ACCOUNT_FIELDS if isinstance(survivor, Account) else CONTACT_FIELDS
    values = {}
    for name in names:
        if _raw(survivor, name) == _raw(merged, name):
            continue
        if name in keep_merged:
            values[name] = getattr(merged, name)
    return values


def _choices_record(
    survivor: models.Model, merged: models.Model, kept: Mapping[str, Any]
) -> list[list[Any]]:
    """[field, the survivor's value before, the value kept] for each field taken from the
    merged record, as the history shows them."""
    return [[name, _shown(survivor, name), _shown(merged, name)] for name in kept]


# --- the merges ------------------------------------------------------------------------------


def _add(x: Decimal | None, y: Decimal | None) -> Decimal | None:
    if x is None and y is None:
        return None
    return (x or Decimal("0")) + (y or Decimal("0"))


def _merge_figures(
    survivor: Account, merged: Account, choices: Mapping[int, FiguresChoice]
) -> list[list[Any]]:
    """Settle the years both accounts have figures for: added (the default), or one
    account's kept. The merged account's other years move with everything else."""
    decided = []
    for year in shared_years(survivor, merged):
        choice = choices.get(year, ADD)
        kept = YearlyFigures.objects.get(account=survivor, year=year)
        gone = YearlyFigures.objects.get(account=merged, year=year)
        if choice == "merged":
            kept, gone = gone, kept
        elif choice == ADD:
            for name in ("revenue", "contribution_margin"):
                setattr(kept, name, getattr(kept, name) + getattr(gone, name))
            for name in ("revenue_target", "margin_target", "revenue_potential"):
                setattr(kept, name, _add(getattr(kept, name), getattr(gone, name)))
            kept.actuals_as_of = kept.actuals_as_of or gone.actuals_as_of
            kept.actuals_at = kept.actuals_at or gone.actuals_at
            kept.save()
        bury(gone, kind="financials")
        gone.delete()
        decided.append(["figures", year, choice])
    return decided


@transaction.atomic
@records_author
def account_merge(
    *,
    actor: User,
    survivor: Account,
    merged: Account,
    keep_merged: set[str] | frozenset[str] = frozenset(),
    figures: Mapping[int, FiguresChoice] | None = None,
) -> Merge:
    """Merge `merged` into `survivor`: `keep_merged` names the fields whose value the
    survivor takes from the merged account; `figures` says per year both have figures
    whether they are added (the default) or one account's kept."""
    _require_merge(actor)
    scope = visible_accounts(actor)
    if survivor.pk == merged.pk or scope.filter(pk__in=[survivor.pk, merged.pk]).count() != 2:
        raise ValidationError(_("Choose two different accounts."))
    survivor = Account.objects.select_for_update().get(pk=survivor.pk)
    merged = Account.objects.select_for_update().get(pk=merged.pk)
    if survivor.path.startswith(merged.path):
        raise ValidationError(
            _("The account to keep belongs to the other one's group: keep the group instead.")
        )
    kept = _kept_values(survivor, merged, set(keep_merged))
    choices = _choices_record(survivor, merged, kept)
    decided = _merge_figures(survivor, merged, figures or {})
    merged_path, merged_pk, merged_name = merged.path, merged.pk, merged.name
    ancestor_ids = tuple(merged.ancestor_ids())
    last_contact = max(
        (t for t in (survivor.last_contacted_at, merged.last_contacted_at) if t), default=None
    )
    # The merged account's own places in the hierarchy go with it (the survivor's history
    # stands); its subsidiaries' are recorded as moves below the survivor.
    AccountPlacement.objects.filter(account=merged).delete()
    moved = _move_all(Account, survivor, merged)
    # The merged account's subsidiaries (and theirs) now hang below the survivor.
    subtree = Account.objects.filter(path__startswith=merged_path).exclude(pk=merged_pk)
    before = dict(subtree.values_list("pk", "path"))
    subtree.update(path=Concat(Value(survivor.path), Substr(F("path"), len(merged_path) + 1)))
    if before:
        hierarchy.placements_moved(before=before)
    # Filed under the survivor: who sees it learns from the changes feed that the other id
    # is gone (the merged account is no longer in anyone's scope).
    bury(merged, kind="account", account_id=survivor.pk)
    merged.delete()
    Account.objects.filter(pk=survivor.pk).update(last_contacted_at=last_contact)
    survivor.refresh_from_db()
    if kept:
        survivor = services.account_update(actor=actor, account=survivor, **kept)
    record = Merge.objects.create(
        kind=Merge.Kind.ACCOUNT,
        merged_id=merged_pk,
        merged_name=merged_name,
        survivor_id=survivor.pk,
        account=survivor,
        merged_by=actor,
        choices=choices + decided,
        moved=moved,
    )
    # Earlier merges into the merged account now answer with the survivor.
    Merge.objects.filter(kind=Merge.Kind.ACCOUNT, survivor_id=merged_pk).update(
        survivor_id=survivor.pk
    )
    events.publish(events.AccountsMerged(account_id=survivor.pk, merged_id=merged_pk))
    events.publish(events.AccountDeleted(account_id=merged_pk, ancestor_ids=ancestor_ids))
    events.publish(events.TeamChanged(account_id=survivor.pk))
    for year in survivor.figures.values_list("year", flat=True):
        events.publish(events.FiguresChanged(account_id=survivor.pk, year=year))
    return record


@transaction.atomic
@records_author
def contact_merge(
    *,
    actor: User,
    survivor: Contact,
    merged: Contact,
    keep_merged: set[str] | frozenset[str] = frozenset(),
) -> Merge:
    """Merge the contact `merged` into `survivor`: activities, surveys, reviews, reports
    and history move; `keep_merged` names the fields taken from the merged contact."""
    _require_merge(actor)
    scope = visible_contacts(actor)
    if survivor.pk == merged.pk or scope.filter(pk__in=[survivor.pk, merged.pk]).count() != 2:
        raise ValidationError(_("Choose two different contacts."))
    survivor = Contact.objects.select_for_update().get(pk=survivor.pk)
    merged = Contact.objects.select_for_update().get(pk=merged.pk)
    if survivor.erased_at or merged.erased_at:
        raise ValidationError(_("An erased contact cannot be merged."))
    kept = _kept_values(survivor, merged, set(keep_merged))
    if survivor.reports_to_id is None and merged.reports_to_id not in (None, survivor.pk):
        kept.setdefault("reports_to", merged.reports_to)
    merged_pk, merged_name = merged.pk, str(merged)
    last_contact = max(
        (t for t in (survivor.last_contacted_at, merged.last_contacted_at) if t), default=None
    )
    choices = _choices_record(survivor, merged, kept)
    moved = _move_all(Contact, survivor, merged)
    bury(merged, kind="contact", account_id=survivor.account_id)
    merged.delete()
    Contact.objects.filter(pk=survivor.pk).update(last_contacted_at=last_contact)
    # Who reported to the merged contact reports to the survivor; the survivor never
    # reports to themselves or into a loop.
    Contact.objects.filter(pk=survivor.pk, reports_to=survivor.pk).update(reports_to=None)
    survivor.refresh_from_db()
    if kept.get("reports_to") is not None and _reports_chain_contains(
        kept["reports_to"], survivor.pk
    ):
        kept.pop("reports_to")
    if kept:
        survivor = services.contact_update(actor=actor, contact=survivor, **kept)
    record = Merge.objects.create(
        kind=Merge.Kind.CONTACT,
        merged_id=merged_pk,
        merged_name=merged_name,
        survivor_id=survivor.pk,
        account_id=survivor.account_id,
        merged_by=actor,
        choices=choices,
        moved=moved,
    )
    Merge.objects.filter(kind=Merge.Kind.CONTACT, survivor_id=merged_pk).update(
        survivor_id=survivor.pk
    )
    events.publish(
        events.ContactsMerged(
            contact_id=survivor.pk, merged_id=merged_pk, account_id=survivor.account_id
        )
    )
    return record


def survivor_id(kind: str, merged_id: int) -> int | None:
    """The record a merged id now answers with (None: it was never merged)."""
    return (
        Merge.objects.filter(kind=kind, merged_id=merged_id)
        .values_list("survivor_id", flat=True)
        .first()
    )
