from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from kam import registry as kam_registry
        from kam.registry import DemoStep, PersonalDataSource
        from reminders import demo, gdpr, registry, settled
        from reminders.rules import (
            accounts,
            activities,
            contracts,
            customer_care,
            deals,
            planning,
            reviews,
        )

        # The registration point for rules of further apps: a module in reminders/rules/
        # with a RULES list, added here.
        modules = (activities, deals, contracts, accounts, planning, customer_care, reviews)
        for module in modules:
            for rule in module.RULES:
                registry.rules.register(rule)

        settled.subscribe()
        kam_registry.personal_data_sources.register(
            PersonalDataSource(key="reminders", collect=gdpr.collect, redact=gdpr.redact, order=80)
        )

        # Last demo step: what the demo data makes due shows in the bell at once.
        kam_registry.demo_steps.register(DemoStep(key="reminders", seed=demo.seed, order=900))
