from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.utils import timezone


def fill(apps, schema_editor):
    """The latest past activity per contact and per account, as
    activities.services.refresh_last_contacted computes it (two UPDATE statements)."""
    Activity = apps.get_model("activities", "Activity")
    Account = apps.get_model("accounts", "Account")
    Contact = apps.get_model("accounts", "Contact")
    now = timezone.now()
    through = Activity.contacts.through
    Contact.objects.update(
        last_contacted_at=Subquery(
            through.objects.filter(contact_id=OuterRef("pk"), activity__occurred_at__lte=now)
            .order_by("-activity__occurred_at")
            .values("activity__occurred_at")[:1]
        )
    )
    Account.objects.update(
        last_contacted_at=Subquery(
            Activity.objects.filter(account_id=OuterRef("pk"), occurred_at__lte=now)
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_last_contacted_at"),
        ("activities", "0001_activities_and_follow_ups"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
