"""The default pipeline. Names are stored in English and shown translated (Stage.label)
until an administrator renames them."""

from django.db import migrations

DEFAULT_STAGES = [
    # key, name, order, default probability, won, lost
    ("identified", "Identified", 10, 10, False, False),
    ("qualified", "Qualified", 20, 25, False, False),
    ("proposal", "Proposal", 30, 50, False, False),
    ("negotiation", "Negotiation", 40, 75, False, False),
    ("won", "Won", 50, 100, True, False),
    ("lost", "Lost", 60, 0, False, True),
]


def create_stages(apps, schema_editor):
    Stage = apps.get_model("deals", "Stage")
    for key, name, order, probability, won, lost in DEFAULT_STAGES:
        Stage.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "order": order,
                "default_probability": probability,
                "is_won": won,
                "is_lost": lost,
            },
        )


def remove_unused_stages(apps, schema_editor):
    Stage = apps.get_model("deals", "Stage")
    Stage.objects.filter(key__in=[row[0] for row in DEFAULT_STAGES], opportunities=None).delete()


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_opportunities_and_competitors")]

    operations = [migrations.RunPython(create_stages, remove_unused_stages)]
