from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Annual reviews")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time. The agreements
        # of a review reach "My work" as follow-ups (activities), so no section of its own.
        from kam import registry
        from kam.registry import AccountTab, DemoStep, NavLink, TimelineSource
        from reviews import demo
        from reviews import timeline as reviews_timeline

        registry.account_tabs.register(
            AccountTab(
                key="reviews", label=_("Reviews"), url_name="reviews:account_panel", order=70
            )
        )
        registry.timeline_sources.register(
            TimelineSource(key="reviews", events=reviews_timeline.events)
        )
        registry.nav_links.register(
            NavLink(key="reviews", label=_("Reviews"), url_name="reviews:list", order=70,
                    nav="reviews")
        )  # fmt: skip
        registry.demo_steps.register(DemoStep(key="reviews", seed=demo.seed, order=60))
