from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "deals"
    verbose_name = _("Opportunities and competitors")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from deals import demo, history, home, selectors
        from deals import timeline as deals_timeline
        from deals.models import Opportunity
        from kam import events, registry, versioned_cache
        from kam.registry import (
            AccountTab,
            DemoStep,
            HeaderFact,
            HistoryKind,
            HomeBlock,
            MyWorkSection,
            NavLink,
            TimelineSource,
        )
        from users.models import Role

        # The board's stage totals: deals, and who sees them (accounts, teams, users).
        versioned_cache.rest_on(
            selectors.PIPELINE,
            events.OpportunityEvent, events.StagesChanged,
            events.AccountEvent, events.TeamChanged, events.UserChanged,
        )  # fmt: skip
        registry.account_tabs.register(
            AccountTab(
                key="deals", label=_("Opportunities"), url_name="deals:account_panel", order=20
            )
        )
        registry.timeline_sources.register(
            TimelineSource(key="deals", events=deals_timeline.events)
        )
        registry.nav_links.register(
            NavLink(
                key="pipeline",
                label=_("Pipeline"),
                url_name="deals:pipeline",
                order=40,
                nav="deals",
            )
        )
        registry.header_facts.register(
            HeaderFact(
                key="pipeline",
                compute=selectors.header_pipeline,
                template="deals/partials/header_pipeline.html",
                order=10,
            )
        )
        registry.my_work_sections.register(
            MyWorkSection(
                key="deal_follow_ups",
                fetch=selectors.my_work_deal_follow_ups,
                template="deals/partials/my_work_follow_ups.html",
                order=5,
            )
        )
        registry.demo_steps.register(DemoStep(key="deals", seed=demo.seed, order=10))
        registry.home_blocks.register(
            HomeBlock(
                key="my_pipeline",
                label=_("My open pipeline"),
                fetch=home.my_pipeline,
                template="home/my_pipeline.html",
                roles=frozenset({Role.KEY_ACCOUNT_MANAGER}),
                url_name="deals:pipeline",
                order=40,
            )
        )
        registry.home_blocks.register(
            HomeBlock(
                key="big_deals",
                label=_("Biggest deals closing this quarter"),
                fetch=home.big_deals_this_quarter,
                template="home/big_deals.html",
                roles=frozenset({Role.HEAD_OF_SALES}),
                url_name="deals:list",
                order=30,
            )
        )
        registry.history_kinds.register(
            HistoryKind(
                key="opportunity",
                model=Opportunity,
                sources=history.opportunity_sources,
                url=lambda record: reverse("deals:detail", args=[record.pk]),
            )
        )
