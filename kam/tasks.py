from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def ping() -> str:
    """Round trip for /health/?worker=1: proves a worker takes and answers tasks."""
    return "pong"


@shared_task(ignore_result=True)  # beat starts it; nobody reads the count
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
