from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from kam import events
        from webhooks import outbox

        # In the publisher's transaction: the outbox row commits or rolls back with the
        # change it announces. With the events of a whole batch at once (publish_all).
        for event_type in outbox.DESCRIBERS:
            events.subscribe(event_type, outbox.record, in_transaction=True, batch=True)
