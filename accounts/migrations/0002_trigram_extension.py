from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for the global search's near-miss matching. Skipped on SQLite."""

    dependencies = [("accounts", "0001_initial")]

    operations = [TrigramExtension()]
