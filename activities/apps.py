from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Contact log and follow-ups")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from activities import demo, home, selectors
        from activities import timeline as activities_timeline
        from activities.models import Activity
        from kam import registry
        from kam.registry import (
            AccountAction,
            AccountHistorySource,
            AccountTab,
            DemoStep,
            HeaderFact,
            HistoryKind,
            HomeBlock,
            NavLink,
            TimelineSource,
        )
        from users.models import Role

        registry.account_tabs.register(
            AccountTab(
                key="timeline", label=_("Timeline"), url_name="activities:account_panel", order=10
            )
        )
        registry.account_actions.register(
            AccountAction(
                key="log_contact", template="activities/partials/account_actions.html", order=10
            )
        )
        registry.account_history_sources.register(
            AccountHistorySource(key="activities", sources=selectors.account_history_sources)
        )
        registry.header_facts.register(
            HeaderFact(
                key="follow_ups",
                compute=selectors.header_follow_ups,
                template="activities/partials/header_follow_ups.html",
                order=30,
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
        registry.home_blocks.register(
            HomeBlock(
                key="follow_ups",
                label=_("Follow-ups due"),
                fetch=home.follow_ups,
                template="home/follow_ups.html",
                roles=frozenset({Role.KEY_ACCOUNT_MANAGER, Role.SALES_REP}),
                url_name="activities:my_work",
                order=10,
            )
        )
        registry.home_blocks.register(
            HomeBlock(
                key="silent_accounts",
                label=_("Key accounts gone quiet"),
                fetch=home.silent_key_accounts,
                template="home/silent_accounts.html",
                roles=frozenset({Role.HEAD_OF_SALES}),
                url_name="accounts:list",
                order=20,
            )
        )
        registry.home_blocks.register(
            HomeBlock(
                key="visits",
                label=_("Upcoming visits and meetings"),
                fetch=home.upcoming_visits,
                template="home/visits.html",
                roles=frozenset({Role.KEY_ACCOUNT_MANAGER}),
                url_name="activities:list",
                order=20,
            )
        )

        from activities import gdpr
        from kam.registry import PersonalDataSource

        registry.personal_data_sources.register(
            PersonalDataSource(key="activities", collect=gdpr.collect, redact=gdpr.redact, order=10)
        )
        registry.history_kinds.register(
            HistoryKind(
                key="activity",
                model=Activity,
                sources=selectors.activity_history_sources,
                url=lambda record: reverse("activities:detail", args=[record.pk]),
            )
        )
