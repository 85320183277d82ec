"""The next follow-up of an open opportunity, due today or overdue, for its owner."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deals.models import Opportunity
from reminders.registry import Due, Rule, When
from reminders.rules import link


def deal_follow_ups_due(when: When):
    url = link("deals:detail")
    rows = (
        Opportunity.objects.filter(
            stage__is_won=False, stage__is_lost=False, next_follow_up_on__lte=when.today
        )
        .values_list("pk", "next_follow_up_on", "owner_id", "title", "account_id")
        .order_by()
    )
    for pk, due_on, owner_id, title, account_id in rows.iterator(chunk_size=5000):
        if due_on is None:  # excluded by the filter; a guard for the type checker
            continue
        yield Due(
            object_id=pk,
            due_on=due_on,
            recipient_id=owner_id,
            subject=title,
            url=url(pk),
            account_id=account_id,
        )


def _settled(opportunity: Opportunity) -> bool:
    # A later date makes a new reminder then (another key); no date or a closed deal
    # (closing sets closed_on) ends it.
    next_on = opportunity.next_follow_up_on
    return next_on is None or next_on > timezone.localdate() or opportunity.closed_on is not None


RULES = [
    Rule(
        key="deal_follow_up_due",
        label=_("Deal follow-ups due"),
        model="deals.opportunity",
        message=_("Next step on the opportunity “%(subject)s” is due on %(due_on)s."),
        scan=deal_follow_ups_due,
        settled=_settled,
        order=20,
    ),
]
