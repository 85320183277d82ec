"""Fixtures of the planning tests.

Uploaded files go to a temporary MEDIA_ROOT per test; in the coaching tests the account
has a sales rep on its team (may see, may not edit) who is the rep of the coaching plan.
"""

import pytest

from tests.deals.conftest import ensure_default_stages
from tests.planning.coaching_helpers import make_plan, put_on_team


@pytest.fixture
def stages(db):
    return ensure_default_stages()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rep(account, sales_rep):
    put_on_team(account, sales_rep)
    return sales_rep


@pytest.fixture
def plan(account, rep):
    return make_plan(account=account, reps=[rep])
