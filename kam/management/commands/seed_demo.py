from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import seed_accounts
from users.demo import DEMO_PASSWORD, seed_users


class Command(BaseCommand):
    help = "Create demo users and data. Safe to run again: existing demo data is kept."

    @transaction.atomic
    def handle(self, *args, **options):
        users = seed_users()
        accounts = seed_accounts(users)
        self.stdout.write(
            f"Demo data ready: {len(users)} users (password {DEMO_PASSWORD!r}), "
            f"{accounts} accounts."
        )
