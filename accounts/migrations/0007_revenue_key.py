import accounts.models
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

# One index per direction of the account list's "Revenue" sort, NULL (no figures for the
# year) as the smallest value: SQLite sorts NULL as the smallest by itself and takes no
# NULLS FIRST/LAST in an index; PostgreSQL needs them spelt out to walk the index.
SORT_INDEXES = {
    "postgresql": [
        ("account_revenue_desc_idx", '"revenue_key" DESC NULLS LAST, "id"'),
        ("account_revenue_asc_idx", '"revenue_key" ASC NULLS FIRST, "id"'),
    ],
    "sqlite": [
        ("account_revenue_desc_idx", '"revenue_key" DESC, "id"'),
        ("account_revenue_asc_idx", '"revenue_key" ASC, "id"'),
    ],
}


def create_indexes(apps, schema_editor):
    for name, columns in SORT_INDEXES.get(schema_editor.connection.vendor, []):
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {name} ON "accounts_account" ({columns})')


def drop_indexes(apps, schema_editor):
    for name, _columns in SORT_INDEXES.get(schema_editor.connection.vendor, []):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def fill_keys(apps, schema_editor):
    """This year's revenue of every account (accounts.revenue_key.refresh, which a
    migration must not import)."""
    Account = apps.get_model("accounts", "Account")
    YearlyFigures = apps.get_model("accounts", "YearlyFigures")
    year = timezone.localdate().year
    revenue = Subquery(
        YearlyFigures.objects.filter(account=OuterRef("pk"), year=year).values("revenue")[:1]
    )
    Account.objects.update(revenue_key=revenue, revenue_key_year=year)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_search_trigram_indexes")]

    operations = [
        migrations.AddField(
            model_name="account",
            name="revenue_key",
            field=models.DecimalField(
                blank=True, decimal_places=2, editable=False, max_digits=16, null=True
            ),
        ),
        migrations.AddField(
            model_name="account",
            name="revenue_key_year",
            field=models.PositiveSmallIntegerField(
                default=accounts.models.this_year, editable=False
            ),
        ),
        migrations.AddIndex(
            model_name="account",
            index=models.Index(fields=["revenue_key_year"], name="account_revenue_year_idx"),
        ),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
