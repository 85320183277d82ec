from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from kam.api import idempotency
from kam.models import IdempotencyKey


@shared_task
def ping() -> str:
    """Round trip for /health/?worker=1: proves a worker takes and answers tasks."""
    return "pong"


@shared_task(ignore_result=True)  # beat starts it; nobody reads the count
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(ignore_result=True)  # beat starts it
def purge_idempotency_keys() -> int:
    """Idempotency keys are kept 24 hours (kam.api.idempotency)."""
    deleted, _ = IdempotencyKey.objects.filter(
        created_at__lt=timezone.now() - idempotency.KEEP_FOR
    ).delete()
    return deleted
