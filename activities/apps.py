from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Contact log and follow-ups")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from activities import demo
        from activities import timeline as activities_timeline
        from kam import registry
        from kam.registry import AccountTab, DemoStep, NavLink, TimelineSource

        registry.account_tabs.register(
            AccountTab(
                key="timeline", label=_("Timeline"), url_name="activities:account_panel", order=10
            )
        )
        registry.timeline_sources.register(
            TimelineSource(key="activities", events=activities_timeline.events)
        )
        registry.nav_links.register(
            NavLink(
                key="my_work",
                label=_("My work"),
                url_name="activities:my_work",
                order=30,
                nav="my_work",
            )
        )
        registry.demo_steps.register(DemoStep(key="activities", seed=demo.seed, order=30))
