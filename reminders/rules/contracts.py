"""Contract notice deadlines: reminded 90, 30 and 7 days ahead (REMINDER_NOTICE_DAYS) to
the contract's and the account's owner; a deadline that passed without termination is
reported once as missed, with the next deadline that can still be met (both as
contracts.terms computes them)."""

from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from contracts import terms
from contracts.models import Contract
from reminders.registry import Due, Rule, When
from reminders.rules import link

FIELDS = ("pk", "notice_deadline", "owner_id", "account__owner_id", "number", "title", "account_id")


def _recipients(contract_owner: int, account_owner: int) -> list[int]:
    return [contract_owner] if contract_owner == account_owner else [contract_owner, account_owner]


def _contracts(when: When, *, first: date, last: date):
    return (
        terms.with_terms(Contract.objects.all(), today=when.today)
        .filter(notice_deadline__gte=first, notice_deadline__lte=last)
        .values_list(*FIELDS)
        .order_by()
    )


def notice_deadlines_ahead(when: When):
    stages = settings.REMINDER_NOTICE_DAYS  # largest first
    url = link("contracts:detail")
    rows = _contracts(when, first=when.today, last=when.today + timedelta(days=stages[0]))
    for pk, deadline, owner, account_owner, number, title, account in rows.iterator(
        chunk_size=5000
    ):
        days_left = (deadline - when.today).days
        # The nearest stage reached: a scan that missed days (Redis down) still reminds once.
        stage = min(days for days in stages if days >= days_left)
        for recipient in _recipients(owner, account_owner):
            yield Due(
                object_id=pk,
                due_on=deadline - timedelta(days=stage),
                recipient_id=recipient,
                subject=f"{number} {title}",
                url=url(pk),
                account_id=account,
                params={"deadline_on": deadline.isoformat(), "days": days_left},
            )


def notice_deadlines_missed(when: When):
    """Deadlines that passed while the term still runs (contracts.terms decides which, and
    which later deadline can still be met): reported once, the key's date being the
    missed deadline."""
    url = link("contracts:detail")
    rows = (
        terms.with_terms(Contract.objects.all(), today=when.today)
        .filter(missed_notice_deadline__isnull=False)
        .values_list("pk", "missed_notice_deadline", "next_notice_deadline", "owner_id",
                     "account__owner_id", "number", "title", "account_id")
        .order_by()
    )  # fmt: skip
    for pk, missed, following, owner, account_owner, number, title, account in rows.iterator(
        chunk_size=5000
    ):
        for recipient in _recipients(owner, account_owner):
            yield Due(
                object_id=pk,
                due_on=missed,
                recipient_id=recipient,
                subject=f"{number} {title}",
                url=url(pk),
                account_id=account,
                params={
                    "deadline_on": missed.isoformat(),
                    "next_deadline_on": following.isoformat() if following else "",
                },
            )


def _finished(contract: Contract) -> bool:
    return contract.status in terms.FINISHED_STATUSES


RULES = [
    Rule(
        key="contract_notice",
        label=_("Contract notice deadlines"),
        model="contracts.contract",
        message=_("Notice deadline of contract %(subject)s: %(deadline_on)s (in %(days)s days)."),
        scan=notice_deadlines_ahead,
        settled=_finished,
        order=30,
    ),
    Rule(
        key="contract_notice_missed",
        label=_("Missed notice deadlines"),
        model="contracts.contract",
        message=_(
            "The notice deadline %(deadline_on)s of contract %(subject)s passed without "
            "notice. Next deadline that can still be met: %(next_deadline_on)s."
        ),
        scan=notice_deadlines_missed,
        settled=_finished,
        order=31,
    ),
]
