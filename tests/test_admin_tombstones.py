"""A record deleted in the Django admin leaves the same tombstone as its delete service,
so an integration reading `/api/v1/changes/` hears of it."""

from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import YearlyFigures
from activities import services as activity_services
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def changes(user, since) -> list[tuple[str, int, int | None]]:
    client = APIClient()
    client.force_authenticate(user)
    rows = client.get("/api/v1/changes/", {"since": since.isoformat()}).json()["results"]
    return [(row["kind"], row["id"], row["account"]) for row in rows]


def test_an_activity_deleted_in_the_admin_is_listed_as_deleted(admin_user, kam, account):
    activity = activity_services.activity_log(
        actor=kam, account=account, occurred_at=timezone.now(), subject="Jahresgespräch"
    )
    since = timezone.now()
    response = client_for(admin_user).post(
        reverse("admin:activities_activity_delete", args=[activity.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert changes(kam, since) == [("activity", activity.pk, account.pk)]


def test_figures_deleted_with_the_admin_action_are_listed_as_deleted(admin_user, kam, account):
    for year in (2025, 2026):
        account_services.figures_put(actor=kam, account=account, year=year, revenue=Decimal("1000"))
    rows = list(YearlyFigures.objects.filter(account=account).order_by("year"))
    since = timezone.now()
    response = client_for(admin_user).post(
        reverse("admin:accounts_yearlyfigures_changelist"),
        {
            "action": "delete_selected",
            helpers.ACTION_CHECKBOX_NAME: [row.pk for row in rows],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not YearlyFigures.objects.filter(account=account).exists()
    assert sorted(changes(kam, since)) == [("financials", row.pk, account.pk) for row in rows]
