from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Annual reviews")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time. The agreements
        # of a review reach "My work" as follow-ups (activities); the reviews to prepare
        # have a section of their own.
        from django.db.models.signals import post_delete

        from kam import registry
        from kam.registry import (
            AccountTab,
            DemoStep,
            MyWorkSection,
            NavLink,
            SearchProvider,
            TimelineSource,
        )
        from reviews import demo, pdf, selectors
        from reviews import timeline as reviews_timeline
        from reviews.models import FolderVersion

        registry.account_tabs.register(
            AccountTab(
                key="reviews", label=_("Reviews"), url_name="reviews:account_panel", order=70
            )
        )
        registry.timeline_sources.register(
            TimelineSource(key="reviews", events=reviews_timeline.events)
        )
        registry.nav_links.register(
            NavLink(key="reviews", label=_("Reviews"), url_name="reviews:list", order=70,
                    nav="reviews")
        )  # fmt: skip
        registry.demo_steps.register(DemoStep(key="reviews", seed=demo.seed, order=60))
        registry.my_work_sections.register(
            MyWorkSection(
                key="reviews_to_prepare",
                fetch=selectors.my_work_reviews,
                template="reviews/partials/my_work.html",
                order=60,
            )
        )
        registry.search_providers.register(
            SearchProvider(key="reviews", label=_("Annual reviews"), search=selectors.search)
        )
        # A signal, not a service step: a version also goes when its review or its account
        # is deleted (cascade, admin), and its PDF must go with it.
        post_delete.connect(
            pdf.forget_file, sender=FolderVersion, dispatch_uid="reviews_folder_file"
        )

        from kam.registry import PersonalDataSource
        from reviews import gdpr

        registry.personal_data_sources.register(
            PersonalDataSource(key="reviews", collect=gdpr.collect, redact=gdpr.redact, order=30)
        )
