from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and contacts")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from accounts import history, home, revenue_key
        from accounts.models import Account
        from kam import events, registry, versioned_cache
        from kam.registry import HistoryKind, HomeBlock
        from users.models import Role

        events.subscribe(events.FiguresChanged, revenue_key.figures_changed, batch=True)
        # The team figures (and the portfolio's) change with these, not with a contact.
        versioned_cache.rest_on(
            versioned_cache.FIGURES,
            events.AccountEvent, events.FiguresChanged, events.TeamChanged, events.UserChanged,
        )  # fmt: skip
        registry.home_blocks.register(
            HomeBlock(
                key="key_accounts",
                label=_("My key accounts"),
                fetch=home.my_key_accounts,
                template="home/key_accounts.html",
                roles=frozenset({Role.KEY_ACCOUNT_MANAGER}),
                url_name="accounts:list",
                order=35,
            )
        )
        registry.home_blocks.register(
            HomeBlock(
                key="team_figures",
                label=_("Team figures against target"),
                fetch=home.team_figures,
                template="home/team_figures.html",
                roles=frozenset({Role.HEAD_OF_SALES}),
                url_name="accounts:list",
                order=10,
            )
        )
        registry.history_kinds.register(
            HistoryKind(
                key="account",
                model=Account,
                sources=history.account_sources,
                extra=history.account_merges,
                url=lambda account: reverse("accounts:tab", args=[account.pk, "history"]),
            )
        )
