import importlib

import pytest
from django.apps import apps

from deals.models import Stage

_stages_migration = importlib.import_module("deals.migrations.0002_default_stages")


def ensure_default_stages() -> dict[str, Stage]:
    """The stages the data migration creates; transactional tests flush them away."""
    _stages_migration.create_stages(apps, None)
    return {stage.key: stage for stage in Stage.objects.all()}


@pytest.fixture(autouse=True)
def stages(db) -> dict[str, Stage]:
    return ensure_default_stages()
