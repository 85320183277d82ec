"""The classification rules and health weights the sources suggest, as editable rows."""

from decimal import Decimal

from django.db import migrations
from django.utils.translation import gettext_noop

RULES = [
    # name, metric, minimum, maximum, suggests, warning
    (gettext_noop("Key-account band: 25 to 50 percent of revenue"), "revenue_share", "25", "50", "key_account", "amber"),
    (gettext_noop("Dependency: more than 50 percent of revenue"), "revenue_share", "50", None, "key_account", "red"),
    (gettext_noop("Key-account band: 25 to 50 percent of margin"), "margin_share", "25", "50", "key_account", "amber"),
    (gettext_noop("Dependency: more than 50 percent of margin"), "margin_share", "50", None, "key_account", "red"),
    (gettext_noop("Large open potential (2 M and more)"), "open_wallet", "2000000", None, "potential", ""),
    (gettext_noop("Cross-/up-selling potential (500 k and more)"), "whitespace", "500000", None, "potential", ""),
    (gettext_noop("Strategic fit 4 or 5"), "strategic_fit", "4", None, "potential", ""),
    (gettext_noop("Needs advice and tailored solutions"), "needs_advice", "1", None, "potential", ""),
    (gettext_noop("Other customers with revenue"), "revenue", "0.01", None, "standard", ""),
]
WEIGHTS = [("relationship", 30), ("satisfaction", 20), ("commercial", 25), ("service", 15),
           ("plan", 10)]  # fmt: skip


def add_defaults(apps, schema_editor):
    Rule = apps.get_model("portfolio", "ClassificationRule")
    Weight = apps.get_model("portfolio", "HealthWeight")
    for position, (name, metric, low, high, suggests, warning) in enumerate(RULES, start=1):
        Rule.objects.get_or_create(
            name=name,
            defaults={
                "position": position * 10,
                "metric": metric,
                "minimum": Decimal(low) if low else None,
                "maximum": Decimal(high) if high else None,
                "suggests": suggests,
                "warning": warning,
            },
        )
    for part, weight in WEIGHTS:
        Weight.objects.get_or_create(part=part, defaults={"weight": weight})


def remove_defaults(apps, schema_editor):
    apps.get_model("portfolio", "ClassificationRule").objects.filter(
        name__in=[rule[0] for rule in RULES]
    ).delete()
    apps.get_model("portfolio", "HealthWeight").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0001_portfolio_models")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
