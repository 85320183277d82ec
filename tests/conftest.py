"""Shared fixtures: one user per role, an outsider, and a signed-in client per role."""

import os

import pytest
from django.test import Client

from tests.factories import PASSWORD, UserFactory, make_account
from users.models import Role

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would
# otherwise refuse database access in live-server tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin1", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def head_of_sales(db):
    return UserFactory(username="leitung1", role=Role.HEAD_OF_SALES)


@pytest.fixture
def kam(db):
    return UserFactory(username="kam1", role=Role.KEY_ACCOUNT_MANAGER)


@pytest.fixture
def other_kam(db):
    return UserFactory(username="kam2", role=Role.KEY_ACCOUNT_MANAGER)


@pytest.fixture
def sales_rep(db):
    return UserFactory(username="rep1", role=Role.SALES_REP)


@pytest.fixture
def outsider(db):
    """A sales rep on no team: sees nothing of anybody's accounts."""
    return UserFactory(username="outsider1", role=Role.SALES_REP)


@pytest.fixture
def account(kam):
    return make_account(owner=kam, name="Müller Maschinenbau AG", city="Stuttgart")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def kam_client(kam) -> Client:
    return client_for(kam)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return client_for(outsider)


@pytest.fixture
def head_client(head_of_sales) -> Client:
    return client_for(head_of_sales)


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request, settings):
    """Tasks run in the test's own process and transaction, except in worker tests."""
    from kam.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    settings.CELERY_TASK_ALWAYS_EAGER = True
    app.conf.task_always_eager = True
    yield


@pytest.fixture(autouse=True)
def _events_run_at_publish(request, settings):
    """Domain events (kam/events.py) run their subscribers after commit, but a test runs
    in one transaction that never commits: here they run at publish instead. Tests marked
    `django_db(transaction=True)` commit for real and see the after-commit delivery."""
    database = request.node.get_closest_marker("django_db")
    settings.EVENTS_RUN_AT_PUBLISH = database is None or not database.kwargs.get(
        "transaction", False
    )
    yield


@pytest.fixture(scope="session", autouse=True)
def _cache_of_this_test_process(worker_id):
    """With REDIS_URL the parallel test processes share one Redis: each uses a database of
    its own (gw0: 1, gw1: 2, ...), since every test clears its cache (FLUSHDB) and figures
    cached by one process (for a user id that exists in both test databases) must never
    answer the other."""
    from urllib.parse import urlsplit, urlunsplit

    from django.conf import settings
    from django.test.utils import override_settings

    default = settings.CACHES["default"]
    if "RedisCache" not in default["BACKEND"]:
        yield
        return
    number = int(worker_id[2:]) + 1 if worker_id.startswith("gw") else 1
    location = urlunsplit(urlsplit(default["LOCATION"])._replace(path=f"/{number}"))
    with override_settings(
        CACHES={**settings.CACHES, "default": {**default, "LOCATION": location}}
    ):
        yield


@pytest.fixture
def process_cache(settings):
    """A cache of this test alone (local memory, emptied), for tests that count what the
    versioned cache saves: writes of other tests never change its versions."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request signed in with a token
    activates its user's language in the thread, which would otherwise carry over into
    whichever test the same process runs next."""
    from django.utils import translation

    translation.deactivate()  # no language active: the default, LANGUAGE_CODE
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing_and_clean_cache(settings):
    # Hashing cost is not under test; it dominated the fixture set-up time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    cache.clear()  # API throttle counters must not leak from one test into the next
    yield


# Tests that one parallel test process must run together, one after another: the tests of
# tests/demo share one seeded demo (a package fixture), and the worker tests' Celery
# workers share one broker queue.
TEST_GROUPS = {
    "tests/demo/": "demo",
    "tests/test_worker.py": "celery_worker",
    "tests/reviews/test_worker.py": "celery_worker",
    "tests/reminders/test_worker.py": "celery_worker",
    "tests/storage/test_worker_files.py": "celery_worker",
    "tests/portfolio/test_dependency_worker.py": "celery_worker",
}


def pytest_xdist_make_scheduler(config, log):
    """Distribute tests one by one in collection order, except the groups above, each sent
    whole to one process. (xdist's own `loadgroup` marks tests by renaming their node ids,
    which pytest 9 no longer allows.)"""
    if config.getvalue("dist") not in ("load", "loadgroup"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupedScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for prefix, group in TEST_GROUPS.items():
                if nodeid.startswith(prefix):
                    return group
            return nodeid

    config.option.loadscopereorder = False  # keep the order below: flushing tests last
    return GroupedScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """Run live-server, worker and other transactional tests last: they flush the database
    afterwards, which also removes rows that data migrations created (default stages,
    departments)."""
    flushing = {"browser", "worker"}

    def flushes(item) -> bool:
        database = item.get_closest_marker("django_db")
        transactional = database is not None and database.kwargs.get("transaction", False)
        return transactional or any(item.get_closest_marker(m) for m in flushing)

    items.sort(key=flushes)
