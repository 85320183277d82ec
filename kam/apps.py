from django.apps import AppConfig


class KamConfig(AppConfig):
    name = "kam"
    verbose_name = "KAM CRM"

    def ready(self) -> None:
        # Imported here because models are not ready at module import time.
        from simple_history.signals import pre_create_historical_record

        from kam.history import set_author

        pre_create_historical_record.connect(set_author, dispatch_uid="kam.history.set_author")
