"""The columns of the portfolio table's export (kam.export): the accounts behind a
figure of the dashboard (portfolio.dashboard.drill_down)."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from kam import export
from kam.export import DECIMAL, MONEY, Column

PORTFOLIO = export.Export(
    name="portfolio",
    columns=(
        *export.model_columns(Account, "external_id", "name", "status", "tier", "region", "owner"),
        Column(_("Revenue"), lambda row: row.year_revenue, MONEY),
        Column(_("Revenue target"), lambda row: row.year_target, MONEY),
        Column(_("Attainment (%)"), lambda row: row.attainment, DECIMAL),
        *export.model_columns(Account, "last_contacted_at"),
        Column(_("Health score"), lambda row: row.health_score, DECIMAL),
    ),
)
