"""The default departments (customer service, logistics, engineering, quality, finance,
sales). Their English names are stored; the app shows them translated until renamed."""

from django.db import migrations

DEFAULTS = [
    ("customer_service", "Customer service"),
    ("logistics", "Logistics"),
    ("engineering", "Engineering"),
    ("quality", "Quality"),
    ("finance", "Finance"),
    ("sales", "Sales"),
]


def create_defaults(apps, schema_editor):
    Department = apps.get_model("customer_care", "Department")
    for position, (key, name) in enumerate(DEFAULTS, start=1):
        Department.objects.get_or_create(key=key, defaults={"name": name, "position": position})


def remove_unused_defaults(apps, schema_editor):
    Department = apps.get_model("customer_care", "Department")
    Department.objects.filter(key__in=[key for key, _name in DEFAULTS], issues__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("customer_care", "0001_issues_and_surveys")]

    operations = [migrations.RunPython(create_defaults, remove_unused_defaults)]
