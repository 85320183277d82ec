"""The cards of one board column in their order (deals.selectors.CARD_ORDER): an index
range scan that stops after the first cards, however many deals a stage holds. PostgreSQL
only: SQLite cannot declare NULLS LAST in an index (and its boards are small)."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS opportunity_board_order ON deals_opportunity "
    "(stage_id, closed_on DESC NULLS LAST, expected_close_date ASC NULLS LAST, id)"
)
DROP = "DROP INDEX IF EXISTS opportunity_board_order"


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("deals", "0004_closed_at_and_lost_to")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
