"""The columns of the customer issue list's export (kam.export)."""

from customer_care.models import CustomerIssue
from kam import export

ISSUES = export.Export(
    name="customer-issues",
    columns=(
        *export.account_columns(),
        *export.model_columns(
            CustomerIssue,
            "title",
            "kind",
            "severity",
            "status",
            "department",
            "owner",
            "opened_at",
            "due_on",
            "escalated",
            "resolved_at",
            "description",
            "resolution",
        ),
    ),
)
