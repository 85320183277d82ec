"""Coaching events on an account's timeline: coaching sessions held and briefings confirmed.

One UNION query whatever the number of plans (sessions and confirmations, newest first,
limited together).
"""

from datetime import UTC, datetime

from django.db.models import CharField, F, TextField, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kam.timeline import TimelineEvent
from planning.models import BriefingConfirmation, CoachingSession


def events(account_ids: list[int], *, before: datetime | None, limit: int) -> list[TimelineEvent]:
    if not account_ids or limit <= 0:
        return []
    before = before or timezone.now()
    columns = ("pk", "when", "kind", "plan_id", "plan_title", "plan_account", "notes", "rep")

    def stream(queryset, when: str, kind: str, notes, rep):
        return (
            queryset.filter(plan__account_id__in=account_ids, **{f"{when}__lt": before})
            .annotate(
                when=F(when),
                kind=Value(kind, output_field=CharField()),
                plan_title=F("plan__title"),
                plan_account=F("plan__account_id"),
                notes_text=notes,
                rep_name=rep,
            )
            .order_by()
            .values_list(*columns[:6], "notes_text", "rep_name")
        )

    rep_name = Coalesce(
        NullIf(Concat("rep__first_name", Value(" "), "rep__last_name"), Value(" ")),
        F("rep__username"),
        output_field=CharField(),
    )
    sessions = stream(
        CoachingSession.objects,
        "held_at",
        "coaching.session",
        F("notes"),
        Value("", output_field=CharField()),
    )
    confirmations = stream(
        BriefingConfirmation.objects,
        "confirmed_at",
        "coaching.briefed",
        Value("", output_field=TextField()),
        rep_name,
    )
    rows = sessions.union(confirmations, all=True).order_by("-when", "-pk")[:limit]
    labels = {
        "coaching.session": _("Coaching session"),
        "coaching.briefed": _("Briefing confirmed"),
    }
    result = []
    for _pk, when, kind, plan_id, title, account_id, notes, rep in rows:
        if isinstance(when, str):  # SQLite hands back datetimes of a UNION as text
            when = timezone.make_aware(datetime.fromisoformat(when), UTC)
        result.append(
            TimelineEvent(
                when=when,
                kind=kind,
                label=labels[kind],
                title=title,
                account_id=account_id,
                detail=notes[:200] if kind == "coaching.session" else rep.strip(),
                url=reverse("planning:coaching_plan", args=[plan_id]),
            )
        )
    return result
