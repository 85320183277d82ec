from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from contracts import demo, history, home
        from contracts import timeline as contracts_timeline
        from contracts.models import Contract
        from kam import registry
        from kam.registry import (
            AccountTab,
            DemoStep,
            HistoryKind,
            HomeBlock,
            NavLink,
            TimelineSource,
        )
        from users.models import Role

        registry.account_tabs.register(
            AccountTab(
                key="contracts", label=_("Contracts"), url_name="contracts:account_panel", order=30
            )
        )
        registry.timeline_sources.register(
            TimelineSource(key="contracts", events=contracts_timeline.events)
        )
        registry.nav_links.register(
            NavLink(
                key="contracts",
                label=_("Contracts"),
                url_name="contracts:list",
                order=50,
                nav="contracts",
            )
        )
        registry.demo_steps.register(DemoStep(key="contracts", seed=demo.seed, order=20))
        registry.home_blocks.register(
            HomeBlock(
                key="notice_deadlines",
                label=_("Notice deadlines"),
                fetch=home.notice_deadlines,
                template="home/notice_deadlines.html",
                roles=frozenset({Role.KEY_ACCOUNT_MANAGER, Role.HEAD_OF_SALES}),
                url_name="contracts:deadlines",
                order=30,
            )
        )
        registry.history_kinds.register(
            HistoryKind(
                key="contract",
                model=Contract,
                sources=history.contract_sources,
                url=lambda record: reverse("contracts:detail", args=[record.pk]),
            )
        )
