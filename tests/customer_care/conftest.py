"""Shared fixtures for customer issues and surveys: departments, a reader on the account's
team, and helpers that write through the services."""

from datetime import date

import pytest

from accounts import services as account_services
from customer_care import services
from customer_care.models import CustomerIssue, Department, Survey, ensure_default_departments
from tests.conftest import client_for
from tests.factories import make_account, make_contact


@pytest.fixture(autouse=True)
def _default_departments(db):
    """The data migration creates them, but a live-server test run earlier in the session
    flushes the database; bring them back."""
    ensure_default_departments()


@pytest.fixture
def quality(db) -> Department:
    """One of the departments the data migration creates."""
    return Department.objects.get(key="quality")


@pytest.fixture
def reader(kam, account, sales_rep):
    """On the account's team without "may edit"."""
    account_services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    return sales_rep


@pytest.fixture
def reader_client(reader):
    return client_for(reader)


@pytest.fixture
def contact(account):
    return make_contact(account=account, first_name="Jana", last_name="Krüger")


@pytest.fixture
def other_account(other_kam):
    return make_account(owner=other_kam, name="Fremdfirma GmbH")


def open_issue(account, *, actor=None, department=None, **fields) -> CustomerIssue:
    """An issue as the account's owner opens it."""
    fields.setdefault("title", "Lieferung verspätet")
    return services.issue_create(
        actor=actor or account.owner,
        account=account,
        department=department or Department.objects.get(key="logistics"),
        **fields,
    )


def record(account, *, actor=None, surveyed_on: date | None = None, **fields) -> Survey:
    return services.survey_record(
        actor=actor or account.owner, account=account, surveyed_on=surveyed_on, **fields
    )
