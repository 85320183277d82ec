from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import seed_accounts
from kam import registry
from users.demo import DEMO_PASSWORD, seed_users


class Command(BaseCommand):
    help = "Create demo users and data. Safe to run again: existing demo data is kept."

    @transaction.atomic
    def handle(self, *args, **options):
        users = seed_users()
        accounts = seed_accounts(users)
        # Each app above accounts registers its step (kam.registry.demo_steps), in order.
        records = sum(step.seed(users) for step in registry.demo_steps)
        self.stdout.write(
            f"Demo data ready: {len(users)} users (password {DEMO_PASSWORD!r}), "
            f"{accounts} accounts, {records} new records in the contact log, deal desk and plans."
        )
