"""Invitations are mailed by the worker: a visit with ten participants does not wait for
ten SMTP round trips. The task takes ids and reads the record afresh."""

from celery import shared_task
from django.conf import settings

from activities.models import Activity
from calendars import invitations
from reviews.models import AnnualReview
from users.models import User


@shared_task(ignore_result=True)
def send_invitation(kind: str, pk: int, actor_id: int) -> int:
    model = Activity if kind == "activity" else AnnualReview
    record = model.objects.select_related("account").filter(pk=pk).first()
    organizer = User.objects.filter(pk=actor_id).first()
    if record is None or organizer is None:  # deleted since: nothing to send
        return 0
    return invitations.send(record, organizer=organizer, base_url=settings.SITE_URL)
