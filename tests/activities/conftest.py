"""Shared fixtures for the contact log: an account with contacts, a reader on its team,
and helpers that log activities through the service."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services as account_services
from activities import services
from tests.conftest import client_for
from tests.factories import make_account, make_contact


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


@pytest.fixture
def foreign_contact(other_account):
    return make_contact(account=other_account, first_name="Otto", last_name="Fremd")


def log(account, *, actor=None, days_ago: float = 1, **fields):
    """An activity as its account's owner logs it, `days_ago` days back."""
    fields.setdefault("kind", "call")
    fields.setdefault("subject", "Telefonat")
    return services.activity_log(
        actor=actor or account.owner,
        account=account,
        occurred_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


def follow_up(account, *, owner=None, days: int = 3, **fields):
    fields.setdefault("title", "Angebot nachfassen")
    return services.follow_up_create(
        actor=account.owner,
        account=account,
        owner=owner or account.owner,
        due_on=timezone.localdate() + timedelta(days=days),
        **fields,
    )
