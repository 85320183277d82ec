from celery import shared_task

from portfolio import services


@shared_task
def nightly_scores() -> dict:
    """This week's health scores, every night."""
    return {"health": services.health_store_week()}
