from django.db import migrations

# The lists' "Last contact" sort counts never contacted as the oldest contact: first
# ascending, last descending (kam.filters.StableOrderingFilter `nulls_smallest`), as the
# home blocks of silent accounts do. SQLite sorts NULL as the smallest by itself (the
# existing indexes serve it); PostgreSQL needs an index per direction with the NULLs placed
# to walk it instead of sorting every row in scope.
SORT_INDEXES = [
    ("account_last_contact_asc_idx", "accounts_account", "last_contacted_at ASC NULLS FIRST, id"),
    ("account_last_contact_desc_idx", "accounts_account", "last_contacted_at DESC NULLS LAST, id"),
    ("contact_last_contact_asc_idx", "accounts_contact", "last_contacted_at ASC NULLS FIRST, id"),
    ("contact_last_contact_desc_idx", "accounts_contact", "last_contacted_at DESC NULLS LAST, id"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in SORT_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in SORT_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_revenue_key")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
