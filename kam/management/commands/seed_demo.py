from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import seed_accounts
from activities import demo as activities_demo
from contracts import demo as contracts_demo
from customer_care import demo as customer_care_demo
from deals import demo as deals_demo
from planning import demo as planning_demo
from users.demo import DEMO_PASSWORD, seed_users


class Command(BaseCommand):
    help = "Create demo users and data. Safe to run again: existing demo data is kept."

    @transaction.atomic
    def handle(self, *args, **options):
        users = seed_users()
        accounts = seed_accounts(users)
        # Deals before activities and care: the timeline and follow-ups refer to them.
        records = sum(
            module.seed(users)
            for module in (
                deals_demo,
                contracts_demo,
                activities_demo,
                customer_care_demo,
                planning_demo,
            )
        )
        self.stdout.write(
            f"Demo data ready: {len(users)} users (password {DEMO_PASSWORD!r}), "
            f"{accounts} accounts, {records} new records in the contact log, deal desk and plans."
        )
