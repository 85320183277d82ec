"""The demo data, seeded once for every test of this package (`manage.py seed_demo`, the
same command `make run` uses) inside a transaction that is rolled back after the package's
last test. Each test still runs in its own nested transaction through the `db` fixture.

All tests of the package run one after another in one test process (the xdist group
"demo", added in tests/conftest.py), so the demo is seeded once per suite run."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from users.demo import seed_users


@pytest.fixture(scope="package")
def _demo_seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    from kam.celery import app

    media = tmp_path_factory.mktemp("demo-media")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True  # folders render in process, as in `make run`
    # The transaction never commits: domain events run their subscribers at publish.
    with (
        override_settings(
            MEDIA_ROOT=media, CELERY_TASK_ALWAYS_EAGER=True, EVENTS_RUN_AT_PUBLISH=True
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
    app.conf.task_always_eager = eager


@pytest.fixture
def demo_users(_demo_seeded, db):
    """The demo users by user name, as the demo steps take them."""
    return seed_users()
