"""An opportunity's history: field changes of the deal and of its competitors."""

from django.utils.text import capfirst

from deals.models import Competitor, Opportunity, OpportunityCompetitor
from kam.history import Source


def opportunity_sources(opportunity: Opportunity) -> list[Source]:
    """kam.registry.history_kinds "opportunity"."""
    return [
        Source(
            Opportunity,
            Opportunity.history.filter(id=opportunity.pk),
            lambda r: str(capfirst(Opportunity._meta.verbose_name)),
            key="opportunity",
        ),
        Source(
            OpportunityCompetitor,
            OpportunityCompetitor.history.filter(opportunity_id=opportunity.pk).select_related(
                "competitor"
            ),
            lambda r: f"{capfirst(Competitor._meta.verbose_name)}: {r.competitor}",
            key="competitor",
        ),
    ]
