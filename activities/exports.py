"""The columns of the activity and follow-up lists' exports (kam.export)."""

from activities.models import Activity, FollowUp
from kam import export

ACTIVITIES = export.Export(
    name="activities",
    columns=(
        *export.account_columns(),
        *export.model_columns(
            Activity,
            "kind",
            "occurred_at",
            "duration_minutes",
            "location",
            "subject",
            # Prefetched by the list: only the participants the user may see.
            "contacts",
            "users",
            "notes",
            "outcome",
            "next_step",
            "next_step_owner",
            "next_step_due_on",
            "created_by",
        ),
    ),
)

FOLLOW_UPS = export.Export(
    name="follow-ups",
    columns=(
        *export.account_columns(),
        *export.model_columns(
            FollowUp, "title", "due_on", "owner", "notes", "done_at", "done_by", "created_at"
        ),
    ),
)
