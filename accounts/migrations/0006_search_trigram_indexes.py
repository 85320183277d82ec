from django.db import migrations

# (index, table, column): the columns accounts.search matches with ILIKE and `%>`.
TRIGRAM_INDEXES = [
    ("account_name_trgm_idx", "accounts_account", "name"),
    ("account_legal_name_trgm_idx", "accounts_account", "legal_name"),
    ("account_city_trgm_idx", "accounts_account", "city"),
    ("contact_last_name_trgm_idx", "accounts_contact", "last_name"),
    ("contact_first_name_trgm_idx", "accounts_contact", "first_name"),
    ("contact_email_trgm_idx", "accounts_contact", "email"),
]


def create_indexes(apps, schema_editor):
    """Trigram GIN indexes for the search; PostgreSQL only (SQLite has no pg_trgm)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_figures_actuals_as_of")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
