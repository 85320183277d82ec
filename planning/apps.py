from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from kam import events, registry
        from kam.registry import (
            AccountTab,
            DemoStep,
            HistoryKind,
            HomeBlock,
            MyWorkSection,
            NavLink,
            TimelineSource,
        )
        from planning import demo, history, home
        from planning import tasks as planning_tasks
        from planning.account_plan import timeline as account_plan_timeline
        from planning.action_plan import forecast_store
        from planning.action_plan import selectors as action_plan_selectors
        from planning.coaching import timeline as coaching_timeline
        from planning.models import AccountPlan, CoachingPlan
        from planning.whitespace import services as whitespace_services
        from users.models import Role

        registry.account_tabs.register(
            AccountTab(
                key="planning", label=_("Planning"), url_name="planning:account_panel", order=60
            )
        )
        registry.timeline_sources.register(
            TimelineSource(key="account_plans", events=account_plan_timeline.events)
        )
        registry.timeline_sources.register(
            TimelineSource(key="coaching", events=coaching_timeline.events)
        )
        registry.nav_links.register(
            NavLink(key="plans", label=_("Plans"), url_name="planning:plans", order=60, nav="plans")
        )
        registry.my_work_sections.register(
            MyWorkSection(
                key="plan_actions",
                fetch=action_plan_selectors.my_work_actions,
                template="planning/partials/my_work_actions.html",
                order=10,
            )
        )
        registry.demo_steps.register(DemoStep(key="planning", seed=demo.seed, order=50))
        registry.home_blocks.register(
            HomeBlock(
                key="objectives_at_risk",
                label=_("Objectives at risk"),
                fetch=home.objectives_at_risk,
                template="home/objectives.html",
                roles=frozenset({Role.KEY_ACCOUNT_MANAGER}),
                url_name="planning:plans",
                order=50,
            )
        )
        registry.home_blocks.register(
            HomeBlock(
                key="briefings",
                label=_("Briefings to confirm"),
                fetch=home.briefings_to_confirm,
                template="home/briefings.html",
                roles=frozenset({Role.SALES_REP}),
                url_name="planning:plans",
                order=5,
            )
        )
        # In the closing transaction: the cells commit with the deal, under its author.
        events.subscribe(
            events.OpportunityStageChanged,
            whitespace_services.cells_follow_closed_deal,
            in_transaction=True,
        )
        # The stored forecast follows every write it reads (forecast_store); a change of
        # the stages refreshes every open objective in the worker.
        for event_type in forecast_store.FOLLOWS:
            events.subscribe(event_type, forecast_store.refresh_after, batch=True)
        events.subscribe(events.StagesChanged, planning_tasks.stage_changed)
        registry.history_kinds.register(
            HistoryKind(
                key="account_plan",
                model=AccountPlan,
                sources=history.account_plan_sources,
                url=lambda record: reverse("planning:account_plan_detail", args=[record.pk]),
            )
        )
        registry.history_kinds.register(
            HistoryKind(
                key="coaching_plan",
                model=CoachingPlan,
                sources=history.coaching_plan_sources,
                url=lambda record: reverse("planning:coaching_plan", args=[record.pk]),
            )
        )
