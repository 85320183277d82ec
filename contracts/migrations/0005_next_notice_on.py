"""The next notice deadline stored on each contract (Contract.next_notice_on), with an
index for the deadline lists, filled for the existing rows as
contracts.services.refresh_next_notice computes it (one UPDATE)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    """Nothing any more: migration 0008 computes every stored date in Python (the database
    functions this used are dropped there)."""


class Migration(migrations.Migration):
    dependencies = [("contracts", "0004_term_functions")]

    operations = [
        migrations.AddField(
            model_name="contract",
            name="next_notice_on",
            field=models.DateField(editable=False, null=True, verbose_name="next notice deadline"),
        ),
        migrations.AddIndex(
            model_name="contract",
            index=models.Index(
                condition=models.Q(("next_notice_on__isnull", False)),
                fields=["next_notice_on"],
                name="contract_next_notice_idx",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
