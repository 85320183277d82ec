from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KamConfig(AppConfig):
    name = "kam"
    verbose_name = "KAM CRM"

    def ready(self) -> None:
        from kam import home, registry
        from users.models import Role

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
