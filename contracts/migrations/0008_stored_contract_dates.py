"""The dates of each contract stored (contracts.terms) and the SQL copies of the rules dropped."""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from contracts import terms

# The contract date rules now live only in Python (contracts.terms); the database functions
# of migrations 0002, 0004 and 0006 go.
FUNCTIONS = (
    "kam_next_notice_deadline", "kam_missed_notice_deadline", "kam_term_end",
    "kam_next_deadline_terms", "kam_notice_deadline", "kam_renewed_end", "kam_month_index",
    "kam_add_months", "kam_month_end",
)  # fmt: skip


def fill(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    terms.refresh(Contract.objects.using(schema_editor.connection.alias), today=timezone.localdate())


def drop_functions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in FUNCTIONS:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0011_bounded_texts_of_new_fields'),
        ('contracts', '0007_merge_20261207_1619'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='contract',
            name='dates_as_of',
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='contract',
            name='dates_change_on',
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='contract',
            name='missed_notice_on',
            field=models.DateField(editable=False, null=True, verbose_name='missed notice deadline'),
        ),
        migrations.AddField(
            model_name='contract',
            name='notice_deadline_on',
            field=models.DateField(editable=False, null=True, verbose_name='notice deadline'),
        ),
        migrations.AddField(
            model_name='contract',
            name='renews_on',
            field=models.DateField(editable=False, null=True, verbose_name='next renewal'),
        ),
        migrations.AddField(
            model_name='contract',
            name='term_end_on',
            field=models.DateField(editable=False, null=True, verbose_name='current term ends'),
        ),
        migrations.AddIndex(
            model_name='contract',
            index=models.Index(condition=models.Q(('missed_notice_on__isnull', False)), fields=['missed_notice_on'], name='contract_missed_notice_idx'),
        ),
        migrations.AddIndex(
            model_name='contract',
            index=models.Index(fields=['dates_change_on'], name='contract_dates_change_idx'),
        ),
        migrations.AddIndex(
            model_name='contract',
            index=models.Index(fields=['dates_as_of'], name='contract_dates_as_of_idx'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(drop_functions, migrations.RunPython.noop, elidable=False),
    ]
