"""An issue's history (kam.registry.history_kinds "issue")."""

from customer_care.models import CustomerIssue
from kam.history import Source


def issue_sources(issue: CustomerIssue) -> list[Source]:
    return [Source(CustomerIssue, CustomerIssue.history.filter(id=issue.pk), key="issue")]
