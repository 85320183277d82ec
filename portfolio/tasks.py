from celery import shared_task
from django.conf import settings

from accounts.models import this_year
from portfolio import dependency, services


@shared_task
def nightly_scores() -> dict:
    """This week's health scores, this year's portfolio matrix and dependency levels,
    every night."""
    # This year's dependency levels, too: a ranking queued after a write may have been
    # lost with Redis (portfolio.dependency).
    raised = dependency.levels_update(year=this_year())
    return {
        "health": services.health_store_week(),
        "matrix": services.matrix_store_year(),
        "dependency warnings": len(raised),
    }


@shared_task(bind=True, max_retries=None)
def rank_dependency_levels(self, year: int) -> bool:
    """The dependency levels of `year` after figures or company totals changed, queued on
    commit by portfolio.dependency.queue_ranking (a burst of writes ranks once). Another
    ranking of the year running: again a little later (in process: wait for it)."""
    if dependency.rank(year, wait=bool(self.request.is_eager)):
        return True
    raise self.retry(countdown=max(settings.DEPENDENCY_RANK_DELAY_SECONDS, 1))
