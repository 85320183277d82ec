from django.core.management.base import BaseCommand

from planning.action_plan import forecast_store
from planning.models import Objective


class Command(BaseCommand):
    help = (
        "Store the target forecast of every objective (as the nightly task does for the open "
        "ones of this and last year). Run it once after the migration that added the stored "
        "forecast and after loading data around the services (no domain events)."
    )

    def handle(self, *args, **options):
        changed = forecast_store.refresh_forecasts(Objective.objects.all())
        self.stdout.write(f"Stored forecasts refreshed: {changed} objectives changed.")
