from django.conf import settings
from django.db import migrations, models


def create_stale_index(apps, schema_editor):
    """Active contacts in the order of "gone quiet": never contacted first, then the longest
    silence. SQLite sorts NULL first anyway and cannot say NULLS FIRST in an index."""
    nulls_first = " NULLS FIRST" if schema_editor.connection.vendor == "postgresql" else ""
    active = "is_active" if schema_editor.connection.vendor == "postgresql" else "is_active = 1"
    schema_editor.execute(
        "CREATE INDEX contact_last_contact_idx ON accounts_contact "
        f"(last_contacted_at ASC{nulls_first}, last_name, id) WHERE {active}"
    )


def drop_stale_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX contact_last_contact_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_name_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="account",
            name="last_contacted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last contact"
            ),
        ),
        migrations.AddField(
            model_name="contact",
            name="last_contacted_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="last contact"
            ),
        ),
        migrations.AddIndex(
            model_name="account",
            index=models.Index(fields=["last_contacted_at", "id"], name="account_last_contact_idx"),
        ),
        migrations.RunPython(create_stale_index, drop_stale_index),
    ]
