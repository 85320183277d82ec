from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from django.apps import apps
        from django.conf import settings
        from django.db.models.signals import post_save

        from kam import registry as kam_registry
        from kam.celery import app as celery_app
        from kam.registry import DemoStep
        from reminders import demo, registry, signals
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

        for model_label in {rule.model for rule in registry.rules if rule.settled}:
            post_save.connect(
                signals.clear_settled,
                sender=apps.get_model(model_label),
                dispatch_uid=f"reminders-clear-{model_label}",
            )

        # Last demo step: what the demo data makes due shows in the bell at once.
        kam_registry.demo_steps.register(DemoStep(key="reminders", seed=demo.seed, order=900))

        # One beat entry per rule; the digest every quarter of an hour (it sends only what
        # is due, see reminders.digests).
        schedule = {
            f"reminders-{rule.key}": {
                "task": "reminders.tasks.scan",
                "schedule": settings.REMINDER_SCAN_SECONDS,
                "args": (rule.key,),
            }
            for rule in registry.rules
        }
        schedule["reminders-digests"] = {
            "task": "reminders.tasks.send_digests",
            "schedule": 15 * 60,
        }
        settings.CELERY_BEAT_SCHEDULE.update(schedule)
        celery_app.conf.beat_schedule = {**celery_app.conf.beat_schedule, **schedule}
