from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KamConfig(AppConfig):
    name = "kam"
    verbose_name = "KAM CRM"

    def ready(self) -> None:
        from django.db.models import fields

        from kam import events, home, registry
        from kam.forms import EMPTY_CHOICE

        # Django 6.1 reads the empty choice of select boxes from here (its "- Select an
        # option -" is not translated into German): one place for every model form.
        fields.BLANK_CHOICE_LABEL = EMPTY_CHOICE
        from django.db.models.signals import post_delete, post_save

        from users.models import Role, User

        # users sits below kam's event layer and cannot publish: its rows are bridged here
        # (tests/test_architecture.py allows this one cross-app receiver).
        post_save.connect(events.user_saved, sender=User, dispatch_uid="kam-events-user-saved")
        post_delete.connect(events.user_saved, sender=User, dispatch_uid="kam-events-user-gone")

        registry.home_blocks.register(
            registry.HomeBlock(
                key="dashboards",
                label=_("Dashboards"),
                fetch=home.dashboards,
                template="home/dashboards.html",
                roles=frozenset({Role.HEAD_OF_SALES}),
                order=90,
            )
        )

        # Imported here because models are not ready at module import time.
        from simple_history.signals import pre_create_historical_record

        from kam.history import set_author

        pre_create_historical_record.connect(set_author, dispatch_uid="kam.history.set_author")
