from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from accounts import merge
        from kam import events, registry, versioned_cache
        from kam.registry import AccountTab, DemoStep, HeaderFact, HomeBlock, NavLink
        from portfolio import demo, dependency, home, latest_health, selectors
        from portfolio.models import AccountPortfolio, HealthSnapshot, MatrixScore
        from users.models import Role

        # The cockpit's shares and ranks rest on the company totals and rules, too; the
        # dashboard, the suggestions and the drill-down counts on every event.
        versioned_cache.rest_on(
            versioned_cache.FIGURES, events.CompanyTotalsChanged, events.ClassificationChanged
        )
        versioned_cache.rest_on(versioned_cache.ALL, events.Event)
        latest_health.connect()
        # Crossing a dependency warning level is announced (webhooks), once per crossing.
        for event_type in (events.FiguresChanged, events.CompanyTotalsChanged):
            events.subscribe(event_type, dependency.after_figures, batch=True)
        # Scores are derived (the nightly tasks compute them again) and the portfolio row
        # of the account kept wins: a merge drops the merged account's clashing rows.
        for model in (AccountPortfolio, HealthSnapshot, MatrixScore):
            merge.keep_survivors_row_on_conflict(model)

        registry.nav_links.register(
            NavLink(
                key="portfolio",
                label=_("Portfolio"),
                url_name="portfolio:cockpit",
                order=80,
                nav="portfolio",
            )
        )
        registry.account_tabs.register(
            AccountTab(
                key="health", label=_("Health"), url_name="portfolio:account_health", order=90
            )
        )
        registry.header_facts.register(
            HeaderFact(
                key="portfolio",
                compute=selectors.health_header,
                template="portfolio/partials/header_fact.html",
                order=90,
            )
        )
        registry.demo_steps.register(DemoStep(key="portfolio", seed=demo.seed, order=90))
        registry.home_blocks.register(
            HomeBlock(
                key="key_account_health",
                label=_("Key accounts by health"),
                fetch=home.weakest_health,
                template="portfolio/home_health.html",
                roles=frozenset({Role.KEY_ACCOUNT_MANAGER, Role.HEAD_OF_SALES}),
                url_name="portfolio:dashboard",
                order=60,
            )
        )
