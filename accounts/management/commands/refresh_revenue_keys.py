from django.core.management.base import BaseCommand

from accounts import revenue_key
from accounts.models import Account


class Command(BaseCommand):
    help = (
        "Store this year's revenue of every account as the account list's revenue sort key "
        "(as every figures save does). Run it after loading figures that bypassed the "
        "models' signals (bulk inserts, QuerySet.update, loaddata)."
    )

    def handle(self, *args, **options):
        changed = revenue_key.refresh(Account.objects.values_list("pk", flat=True))
        self.stdout.write(f"Revenue sort keys refreshed: {changed} accounts.")
