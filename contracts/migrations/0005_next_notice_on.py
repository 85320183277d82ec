"""The next notice deadline stored on each contract (Contract.next_notice_on), with an
index for the deadline lists, filled for the existing rows as
contracts.services.refresh_next_notice computes it (one UPDATE)."""

from django.db import migrations, models
from django.db.models import Case, F, Func, Q, Value, When
from django.utils import timezone


def fill(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    today = Value(timezone.localdate(), output_field=models.DateField())
    # SQLite has the function from contracts.terms.register_sqlite_functions.
    computed = Func(
        F("end_on"), F("notice_period_months"), F("auto_renewal"), F("renewal_term_months"),
        today, function="kam_next_notice_deadline", output_field=models.DateField(),
    )  # fmt: skip
    noticeable = ~Q(status__in=("draft", "terminated", "expired")) & Q(end_on__isnull=False)
    Contract.objects.using(schema_editor.connection.alias).update(
        next_notice_on=Case(When(noticeable, then=computed), default=None)
    )


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
