from celery import shared_task

from portfolio import services


@shared_task
def nightly_scores() -> dict:
    """This week's health scores and this year's portfolio matrix, every night."""
    return {"health": services.health_store_week(), "matrix": services.matrix_store_year()}
