"""Contracts, as contracts.terms computes their dates, for the contract's and the account's
owner:
- an automatically renewing contract: each notice deadline 90, 30 and 7 days ahead
  (REMINDER_NOTICE_DAYS), every one of them, also when the notice period is longer than
  the renewal term; a deadline that passed without notice is reported from the day after,
  with the next deadline that can still be met;
- a fixed-term contract (no renewal) ends by itself: its end is reminded 90 and 30 days
  ahead (REMINDER_CONTRACT_END_DAYS), and no notice deadline is.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contracts import terms
from contracts.models import Contract
from kam import events
from reminders.registry import Due, Rule
from reminders.registry import When as ScanWhen
from reminders.rules import link
from reminders.services import announce_once

RENEWING = Q(auto_renewal=True)


def _recipients(contract_owner: int, account_owner: int) -> list[int]:
    return [contract_owner] if contract_owner == account_owner else [contract_owner, account_owner]


def _stage(stages: list[int], days_left: int) -> int:
    # The nearest stage reached: a scan that missed days (Redis down) still reminds once.
    return min(days for days in stages if days >= days_left)


def notice_deadlines_ahead(when: ScanWhen):
    """The next notice deadline of each renewing contract (not only the current term's):
    read from the stored date by its index (terms.next_notice_between)."""
    stages = settings.REMINDER_NOTICE_DAYS  # largest first
    url = link("contracts:detail")
    last = when.today + timedelta(days=stages[0])
    terms.bring_up_to(Contract, today=when.today)
    rows = (
        Contract.objects.filter(RENEWING)
        .filter(terms.next_notice_between(when.today, last))
        .values_list("pk", "next_notice_on", "owner_id", "account__owner_id", "number", "title",
                     "account_id")
        .order_by()
    )  # fmt: skip
    for pk, deadline, owner, account_owner, number, title, account in rows.iterator(
        chunk_size=5000
    ):
        if deadline is None:
            continue
        stage = _stage(stages, (deadline - when.today).days)
        for recipient in _recipients(owner, account_owner):
            yield Due(
                object_id=pk,
                due_on=deadline - timedelta(days=stage),
                recipient_id=recipient,
                subject=f"{number} {title}",
                url=url(pk),
                account_id=account,
                params={"deadline_on": deadline.isoformat()},
            )


def notice_deadlines_missed(when: ScanWhen):
    """The latest deadline of a renewing contract that passed while its term still runs
    (contracts.terms decides which, and which later one can still be met): reported once,
    from the day after, the key's date being the missed deadline."""
    url = link("contracts:detail")
    terms.bring_up_to(Contract, today=when.today)
    rows = (
        Contract.objects.filter(RENEWING, missed_notice_on__isnull=False)
        .values_list("pk", "missed_notice_on", "next_notice_on", "owner_id",
                     "account__owner_id", "number", "title", "account_id")
        .order_by()
    )  # fmt: skip
    for pk, missed, following, owner, account_owner, number, title, account in rows.iterator(
        chunk_size=5000
    ):
        if missed is None:  # excluded by the filter; narrows the type
            continue
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


def fixed_terms_ending(when: ScanWhen):
    """Signed fixed-term contracts whose end lies within the first stage's days."""
    stages = settings.REMINDER_CONTRACT_END_DAYS  # largest first
    url = link("contracts:detail")
    last: date = when.today + timedelta(days=stages[0])
    rows = (
        Contract.objects.filter(
            auto_renewal=False, end_on__gte=when.today, end_on__lte=last
        )
        .exclude(status__in=terms.NO_NOTICE_STATUSES)
        .values_list("pk", "end_on", "owner_id", "account__owner_id", "number", "title",
                     "account_id")
        .order_by()
    )  # fmt: skip
    for pk, end_on, owner, account_owner, number, title, account in rows.iterator(chunk_size=5000):
        if end_on is None:  # excluded by the filter; narrows the type
            continue
        stage = _stage(stages, (end_on - when.today).days)
        for recipient in _recipients(owner, account_owner):
            yield Due(
                object_id=pk,
                due_on=end_on - timedelta(days=stage),
                recipient_id=recipient,
                subject=f"{number} {title}",
                url=url(pk),
                account_id=account,
                params={"end_on": end_on.isoformat()},
            )


def _account_id(item: Due) -> int:
    """The contract's account, which every contract reminder carries."""
    if item.account_id is None:
        raise ValueError(f"contract reminder without an account: {item}")
    return item.account_id


def _approaching(item: Due) -> events.Event:
    deadline = date.fromisoformat(item.params["deadline_on"])
    return events.ContractNoticeApproaching(
        contract_id=item.object_id,
        account_id=_account_id(item),
        deadline_on=deadline,
        days_before=(deadline - item.due_on).days,
    )


def _missed(item: Due) -> events.Event:
    following = item.params["next_deadline_on"]
    return events.ContractNoticeMissed(
        contract_id=item.object_id,
        account_id=_account_id(item),
        deadline_on=date.fromisoformat(item.params["deadline_on"]),
        next_deadline_on=date.fromisoformat(following) if following else None,
    )


def announce_approaching(items: list[Due], when: ScanWhen) -> None:
    """ContractNoticeApproaching once per contract, deadline and stage (webhooks)."""
    announce_once("contract_notice", items, when, _approaching)


def announce_missed(items: list[Due], when: ScanWhen) -> None:
    """ContractNoticeMissed once per contract and missed deadline (webhooks)."""
    announce_once("contract_notice_missed", items, when, _missed)


def _finished(contract: Contract) -> bool:
    return contract.status in terms.FINISHED_STATUSES


RULES = [
    Rule(
        key="contract_notice",
        label=_("Contract notice deadlines"),
        model="contracts.contract",
        message=_("Notice deadline of contract %(subject)s: %(deadline_on)s (%(days_left)s)."),
        scan=notice_deadlines_ahead,
        settled=_finished,
        after_scan=announce_approaching,
        counts_down_to="deadline_on",
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
        after_scan=announce_missed,
        order=31,
    ),
    Rule(
        key="contract_end",
        label=_("Fixed-term contracts ending"),
        model="contracts.contract",
        message=_(
            "The fixed-term contract %(subject)s ends on %(end_on)s (%(days_left)s); it "
            "does not renew."
        ),
        scan=fixed_terms_ending,
        settled=_finished,
        counts_down_to="end_on",
        order=32,
    ),
]
