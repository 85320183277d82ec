"""A record deleted in the Django admin leaves the same tombstone as its delete service,
so an integration reading `/api/v1/changes/` hears of it."""

from decimal import Decimal

import pytest
from django.contrib.admin import helpers
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import TeamMembership, YearlyFigures
from activities import services as activity_services
from tests.conftest import client_for
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


def client_api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def changes(user, since) -> list[tuple[str, int, int | None]]:
    rows = client_api(user).get("/api/v1/changes/", {"since": since.isoformat()}).json()["results"]
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


def admin_post_data(response) -> dict[str, object]:
    """What the admin's change page sends back unchanged: the object's form, and each
    inline's management form and rows."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data: dict[str, object] = {}
    for form in forms:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(v) for v in value]
            else:
                value = bound.field.widget.format_value(value) or ""
            if hasattr(bound.field.widget, "widgets"):  # split date and time
                for index, part in enumerate(bound.field.widget.decompress(value)):
                    data[f"{bound.html_name}_{index}"] = part or ""
            else:
                data[bound.html_name] = value
    return data


def test_a_team_member_removed_as_an_inline_of_the_account_is_listed_as_deleted(
    admin_user, kam, other_kam, account
):
    membership, _ = account_services.team_member_set(
        actor=kam, account=account, user=other_kam, role="sales_rep", can_edit=False
    )
    url = reverse("admin:accounts_account_change", args=[account.pk])
    client = client_for(admin_user)
    data = admin_post_data(client.get(url))
    row = next(k for k, v in data.items() if k.endswith("-id") and v == str(membership.pk))
    data[row.removesuffix("-id") + "-DELETE"] = "on"
    since = timezone.now()
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert not TeamMembership.objects.filter(pk=membership.pk).exists()
    assert changes(kam, since) == [("team_member", membership.pk, account.pk)]


def test_an_account_and_a_contact_deleted_in_the_admin_are_listed_as_deleted(
    admin_user, kam, account
):
    contact = make_contact(account=account, first_name="Eva", last_name="Schulz")
    doomed = make_account(owner=kam, name="Alt GmbH", external_id="ERP-9")
    since = timezone.now()
    client = client_for(admin_user)
    contact_url = reverse("admin:accounts_contact_delete", args=[contact.pk])
    assert client.post(contact_url, {"post": "yes"}).status_code == 302
    account_url = reverse("admin:accounts_account_delete", args=[doomed.pk])
    assert client.post(account_url, {"post": "yes"}).status_code == 302
    assert changes(admin_user, since) == [
        ("contact", contact.pk, account.pk),
        ("account", doomed.pk, None),
    ]
    rows = client_api(admin_user).get("/api/v1/changes/", {"since": since.isoformat()}).json()
    assert rows["results"][1]["external_id"] == "ERP-9"
