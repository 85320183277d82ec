from django.core.management.base import BaseCommand, CommandError

from reminders import services
from reminders.registry import rules as registered


class Command(BaseCommand):
    help = "Scan the reminder rules now (beat does this on its schedule) and print what is new."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rule", action="append", dest="keys", help="only this rule (repeatable)"
        )

    def handle(self, *args, keys: list[str] | None = None, **options):
        keys = keys or [rule.key for rule in registered]
        unknown = [key for key in keys if key not in registered]
        if unknown:
            raise CommandError(f"unknown rules: {', '.join(unknown)}")
        when = services.when_now()
        for key in keys:
            created = services.run_rule(key, when=when)
            self.stdout.write(f"{key}: {created} new")
