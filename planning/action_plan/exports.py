"""The columns of the objectives' export (kam.export): the objectives of the plans page
and of the objectives endpoint."""

from kam import export
from kam.export import DECIMAL, MONEY
from planning.models import Objective

OBJECTIVES = export.Export(
    name="objectives",
    columns=(
        *export.account_columns(),
        *export.model_columns(
            Objective,
            "year",
            "kind",
            "title",
            "target_value",
            "owner",
            "due_on",
            "status",
            "stored_forecast_total",
            "stored_forecast_percent",
            "stored_forecast_verdict",
            target_value=MONEY,
            stored_forecast_total=MONEY,
            stored_forecast_percent=DECIMAL,
        ),
    ),
    prepare=lambda queryset: queryset.select_related("account", "owner"),
)
