from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CustomerCareConfig(AppConfig):
    name = "customer_care"
    verbose_name = _("Customer issues and satisfaction")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from customer_care import demo, history, selectors
        from customer_care import timeline as customer_care_timeline
        from customer_care.models import CustomerIssue
        from kam import registry
        from kam.registry import (
            AccountTab,
            DemoStep,
            HeaderFact,
            HistoryKind,
            MyWorkSection,
            NavLink,
            TimelineSource,
        )

        registry.account_tabs.register(
            AccountTab(
                key="issues",
                label=_("Issues"),
                url_name="customer_care:account_issues_panel",
                order=40,
            )
        )
        registry.account_tabs.register(
            AccountTab(
                key="satisfaction",
                label=_("Satisfaction"),
                url_name="customer_care:account_surveys_panel",
                order=50,
            )
        )
        registry.timeline_sources.register(
            TimelineSource(key="customer_care", events=customer_care_timeline.events)
        )
        registry.nav_links.register(
            NavLink(
                key="issues",
                label=_("Issues"),
                url_name="customer_care:issues",
                order=70,
                nav="issues",
            )
        )
        registry.header_facts.register(
            HeaderFact(
                key="open_issues",
                compute=selectors.header_open_issues,
                template="customer_care/partials/header_open_issues.html",
                order=20,
            )
        )
        registry.my_work_sections.register(
            MyWorkSection(
                key="issues",
                fetch=selectors.my_work_issues,
                template="customer_care/partials/my_work_issues.html",
                order=20,
            )
        )
        registry.demo_steps.register(DemoStep(key="customer_care", seed=demo.seed, order=40))

        from customer_care import gdpr
        from kam.registry import PersonalDataSource

        registry.personal_data_sources.register(
            PersonalDataSource(
                key="customer_care", collect=gdpr.collect, redact=gdpr.redact, order=20
            )
        )
        registry.history_kinds.register(
            HistoryKind(
                key="issue",
                model=CustomerIssue,
                sources=history.issue_sources,
                url=lambda record: reverse("customer_care:issue_detail", args=[record.pk]),
            )
        )
