from django.db import migrations

# (index, table, column): the columns accounts.search ranks by word similarity. A GiST
# trigram index serves the distance operator `<->>` in ORDER BY, so the best rows of the
# header search are read in order and the scan stops after them (accounts.search.best_ids).
# The GIN indexes of migration 0006 stay: they serve ILIKE and `%>` faster.
TRIGRAM_GIST_INDEXES = [
    ("account_name_trgm_gist", "accounts_account", "name"),
    ("account_legal_name_trgm_gist", "accounts_account", "legal_name"),
    ("account_city_trgm_gist", "accounts_account", "city"),
    ("contact_last_name_trgm_gist", "accounts_contact", "last_name"),
    ("contact_first_name_trgm_gist", "accounts_contact", "first_name"),
    ("contact_email_trgm_gist", "accounts_contact", "email"),
]


def create_indexes(apps, schema_editor):
    """PostgreSQL only (SQLite has no pg_trgm)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in TRIGRAM_GIST_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gist ({column} gist_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in TRIGRAM_GIST_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0014_account_vat_id")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
