"""The columns of the opportunity list's export (kam.export)."""

from django.utils.translation import gettext_lazy as _

from deals.models import Opportunity
from kam import export
from kam.export import MONEY, Column


def _competitors(row: Opportunity) -> str:
    # The list prefetches the links with their competitor.
    return ", ".join(link.competitor.name for link in row.competitor_links.all())


OPPORTUNITIES = export.Export(
    name="opportunities",
    columns=(
        *export.model_columns(Opportunity, "external_id"),
        *export.account_columns(),
        *export.model_columns(Opportunity, "title"),
        Column(Opportunity._meta.get_field("stage").verbose_name, lambda row: str(row.stage)),
        *export.model_columns(
            Opportunity,
            "value",
            "expected_margin",
            "probability",
            "expected_close_date",
            "next_follow_up_on",
            "next_follow_up_action",
            "owner",
            "closed_on",
            "close_reason",
            "description",
            value=MONEY,
            expected_margin=MONEY,
        ),
        Column(_("Weighted value"), lambda row: row.weighted, MONEY),
        Column(Opportunity._meta.get_field("competitors").verbose_name, _competitors),
    ),
)
