"""Follow-ups ("Nachfassen") due today or overdue, for their owner."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import FollowUp
from reminders.registry import Due, Rule, When


def follow_ups_due(when: When):
    my_work = reverse("activities:my_work")
    rows = (
        FollowUp.objects.open()
        .filter(due_on__lte=when.today)
        .values_list("pk", "due_on", "owner_id", "title", "account_id")
        .order_by()
    )
    for pk, due_on, owner_id, title, account_id in rows.iterator(chunk_size=5000):
        yield Due(
            object_id=pk,
            due_on=due_on,
            recipient_id=owner_id,
            subject=title,
            url=my_work,
            account_id=account_id,
        )


RULES = [
    Rule(
        key="follow_up_due",
        label=_("Follow-ups due"),
        model="activities.followup",
        message=_("Follow-up “%(subject)s” is due on %(due_on)s."),
        scan=follow_ups_due,
        settled=lambda follow_up: (
            follow_up.done_at is not None or follow_up.due_on > timezone.localdate()
        ),
        order=10,
    ),
]
