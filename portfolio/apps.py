from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from kam import registry
        from kam.registry import NavLink

        registry.nav_links.register(
            NavLink(
                key="portfolio",
                label=_("Portfolio"),
                url_name="portfolio:cockpit",
                order=80,
                nav="portfolio",
            )
        )
