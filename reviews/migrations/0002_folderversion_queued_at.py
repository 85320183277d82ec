from django.db import migrations, models
from django.db.models import F


def versions_before_were_queued(apps, schema_editor):
    # Versions older than the field were handed to the broker when they were requested.
    apps.get_model("reviews", "FolderVersion").objects.update(queued_at=F("requested_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0001_annual_reviews"),
    ]

    operations = [
        migrations.AddField(
            model_name="folderversion",
            name="queued_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="queued"),
        ),
        migrations.RunPython(versions_before_were_queued, migrations.RunPython.noop),
    ]
