from collections.abc import Callable

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from django.db.models import Model
        from django.db.models.signals import ModelSignal, post_delete, post_save, pre_save

        from accounts.models import Account, YearlyFigures
        from deals.models import Opportunity, Stage
        from deals.signals import opportunity_closed
        from kam import registry
        from kam.registry import (
            AccountTab,
            DemoStep,
            HomeBlock,
            MyWorkSection,
            NavLink,
            TimelineSource,
        )
        from planning import demo, home
        from planning import tasks as planning_tasks
        from planning.account_plan import timeline as account_plan_timeline
        from planning.action_plan import forecast_store
        from planning.action_plan import selectors as action_plan_selectors
        from planning.coaching import timeline as coaching_timeline
        from planning.models import Objective
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
        opportunity_closed.connect(
            whitespace_services.cells_follow_closed_deal, dispatch_uid="whitespace_follows_deal"
        )
        # The stored forecast follows every write it reads (forecast_store).
        receivers: list[tuple[ModelSignal, type[Model], Callable[..., None]]] = [
            (pre_save, YearlyFigures, forecast_store.figures_before_save),
            (post_save, YearlyFigures, forecast_store.figures_saved),
            (post_delete, YearlyFigures, forecast_store.figures_saved),
            (pre_save, Opportunity, forecast_store.deal_before_save),
            (post_save, Opportunity, forecast_store.deal_saved),
            (post_delete, Opportunity, forecast_store.deal_saved),
            (post_save, Stage, planning_tasks.stage_changed),
            (post_delete, Stage, planning_tasks.stage_changed),
            (post_save, Objective, forecast_store.objective_saved),
            (post_save, Account, forecast_store.account_saved),
            (post_delete, Account, forecast_store.account_deleted),
        ]
        for signal, sender, receiver in receivers:
            signal.connect(receiver, sender=sender, dispatch_uid=f"forecast_{receiver.__name__}")
