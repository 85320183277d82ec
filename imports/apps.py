from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from imports import gdpr
        from kam import registry
        from kam.registry import PersonalDataSource

        registry.personal_data_sources.register(
            PersonalDataSource(key="imports", collect=gdpr.collect, redact=gdpr.redact, order=90)
        )
