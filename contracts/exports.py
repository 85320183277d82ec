"""The columns of the contract list's export (kam.export)."""

from contracts.models import Contract
from kam import export
from kam.export import MONEY

CONTRACTS = export.Export(
    name="contracts",
    columns=(
        *export.model_columns(Contract, "external_id"),
        *export.account_columns(),
        *export.model_columns(
            Contract,
            "number",
            "title",
            "kind",
            "start_on",
            "end_on",
            "notice_period_months",
            "auto_renewal",
            "renewal_term_months",
            "annual_value",
            "status",
            "terminated_on",
            "next_notice_on",
            "owner",
            "prices_and_terms",
            annual_value=MONEY,
        ),
    ),
)
