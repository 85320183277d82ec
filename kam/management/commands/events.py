"""`manage.py events`: every domain event, who publishes it and who subscribes."""

import inspect

from django.core.management.base import BaseCommand

from kam import events


class Command(BaseCommand):
    help = (
        "List every domain event (kam/events.py) with its fields, its publishers and the "
        "subscribers it reaches, in the order they run."
    )

    def handle(self, *args, **options) -> None:
        for event_type in events.event_types():
            fields = ", ".join(events.field_names(event_type))
            self.stdout.write(self.style.MIGRATE_HEADING(f"{event_type.__name__}({fields})"))
            doc = inspect.cleandoc(event_type.__doc__ or "")
            self.stdout.write("  published by: " + " ".join(doc.split()))
            reached = events.subscribers(event_type)
            if not reached:
                self.stdout.write("  subscribers: none")
            for subscriber in reached:
                via = (
                    ""
                    if subscriber.event_type is event_type
                    else f" (via {subscriber.event_type.__name__})"
                )
                batch = " [batch]" if subscriber.batch else ""
                if subscriber.in_transaction:
                    batch = " [in transaction, batch]" if subscriber.batch else " [in transaction]"
                self.stdout.write(f"  -> {subscriber.name}{batch}{via}")
