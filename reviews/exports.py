"""The columns of the annual reviews' export (kam.export)."""

from kam import export
from reviews.models import AnnualReview

REVIEWS = export.Export(
    name="annual-reviews",
    columns=(
        *export.account_columns(),
        *export.model_columns(
            AnnualReview,
            "year",
            "meeting_on",
            "place",
            "status",
            "language",
            "our_participants",
            "next_review_on",
            "created_by",
        ),
    ),
    prepare=lambda queryset: queryset.select_related("account", "created_by").prefetch_related(
        "our_participants"
    ),
)
