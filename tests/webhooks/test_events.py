"""The webhook events that no single record's save announces: a GDPR erasure, a contract's
notice deadline approaching or missed (from the reminder scan), a detractor survey, a
review folder rendered, and an account or group crossing a dependency warning level.
Each reaches a registered endpoint, signed, through the outbox."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from accounts import gdpr
from accounts import services as account_services
from contracts import services as contract_services
from customer_care import services as care_services
from deals import services as deal_services
from reminders.services import run_rule
from reviews import pdf, rendering
from reviews import services as review_services
from tests.deals.conftest import ensure_default_stages
from tests.factories import UserFactory, make_account, make_contact
from tests.reminders.conftest import at
from tests.webhooks.receiver import receiver
from users.models import Role
from webhooks import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # the receiver listens on 127.0.0.1
    with receiver() as state:
        yield state


@pytest.fixture
def hooked(admin_user, local_receiver, django_capture_on_commit_callbacks):
    """A function that registers an endpoint for the given types (the first call), runs a
    change (committing it) and answers the verified payloads the receiver got meanwhile."""
    secrets = []

    def run(types, change):
        if not secrets:
            _endpoint, secret = services.endpoint_create(
                actor=admin_user, url=local_receiver.url, event_types=list(types)
            )
            secrets.append(secret)
        secret = secrets[0]
        before = len(local_receiver.requests)
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return [Webhook(secret).verify(r.body, r.headers) for r in local_receiver.requests[before:]]

    return run


def test_an_erased_contact_is_announced_with_ids_only(hooked, admin_user, account):
    contact = make_contact(
        account=account, first_name="Eva", last_name="Schulz", external_id="CRM-7"
    )
    [payload] = hooked(
        ["contact.erased"],
        lambda: gdpr.contact_erase(actor=admin_user, contact=contact, reason="Art. 17 DSGVO"),
    )
    assert payload["type"] == "contact.erased"
    assert payload["data"] == {
        "contact_id": contact.pk,
        "account_id": account.pk,
        "external_id": "CRM-7",
    }  # no object: nothing of the person


@pytest.fixture
def contract(kam, account):
    today = timezone.localdate()
    return contract_services.contract_create(
        actor=kam, account=account, number="RV-1", title="Rahmenvertrag",
        start_on=today.replace(year=today.year - 1), end_on=today.replace(year=today.year + 1),
        notice_period_months=3, auto_renewal=True, status="active",
    )  # fmt: skip


def test_a_notice_deadline_is_announced_once_per_stage(hooked, contract, account, other_kam):
    # Two recipients of the reminder (contract and account owner), one announcement.
    contract_services.contract_update(actor=contract.owner, contract=contract, owner=other_kam)
    deadline = contract.computed_notice_deadline
    first_day = deadline - timedelta(days=90)

    def scans(*days):
        return lambda: [run_rule("contract_notice", when=at(day)) for day in days]

    found = hooked(
        ["contract.notice_approaching"],
        scans(first_day - timedelta(days=1), first_day, first_day + timedelta(days=1)),
    )
    [payload] = found
    assert payload["data"]["contract_id"] == contract.pk
    assert payload["data"]["account_id"] == account.pk
    assert payload["data"]["deadline_on"] == deadline.isoformat()
    assert payload["data"]["days_before"] == 90
    assert payload["data"]["object"]["number"] == "RV-1"  # the contract, as the API shows it
    # Later scans: the 30-day stage once, the 7-day stage once, nothing in between.
    later = hooked([], scans(*(deadline - timedelta(days=n) for n in (31, 30, 29, 8, 7, 6))))
    assert [p["data"]["days_before"] for p in later] == [30, 7]


def test_a_missed_notice_deadline_is_announced_once_with_the_next_one(hooked, kam, account):
    today = timezone.localdate()
    contract = contract_services.contract_create(
        actor=kam, account=account, number="LV-2", title="Liefervertrag",
        start_on=today.replace(year=today.year - 2), end_on=today + timedelta(days=40),
        notice_period_months=3, auto_renewal=True, renewal_term_months=12, status="active",
    )  # fmt: skip
    missed = contract.computed_notice_deadline
    found = hooked(
        ["contract.notice_missed"],
        lambda: [
            run_rule("contract_notice_missed", when=at(day))
            for day in (today, today + timedelta(days=1))
        ],
    )
    [payload] = found
    assert payload["type"] == "contract.notice_missed"
    assert payload["data"]["contract_id"] == contract.pk
    assert payload["data"]["deadline_on"] == missed.isoformat()
    assert payload["data"]["next_deadline_on"] > today.isoformat()


def test_a_detractor_survey_is_announced_and_a_promoter_is_not(hooked, kam, account):
    def record():
        care_services.survey_record(actor=kam, account=account, nps=9)
        care_services.survey_record(actor=kam, account=account, nps=3)

    [payload] = hooked(["survey.detractor"], record)
    assert payload["type"] == "survey.detractor"
    assert payload["data"]["account_id"] == account.pk
    assert payload["data"]["object"]["nps"] == 3


def test_a_rendered_folder_version_is_announced(hooked, kam, account, monkeypatch):
    monkeypatch.setattr(pdf, "render_folder_pdf", lambda review, **kwargs: (b"%PDF-1.7 x", 1))
    review = review_services.review_create(
        actor=kam, account=account, year=timezone.localdate().year,
        meeting_on=timezone.localdate(), place="Stuttgart",
    )  # fmt: skip
    version, _new = review_services.folder_request(actor=kam, review=review)

    [payload] = hooked(
        ["folder_version.ready"],
        lambda: rendering.render_version(version_id=version.pk, task_id="t-1"),
    )
    data = payload["data"]
    assert (data["version_id"], data["review_id"], data["account_id"]) == (
        version.pk,
        review.pk,
        account.pk,
    )
    assert data["object"]["status"] == "done"
    assert data["object"]["download_url"].endswith(f"/{version.pk}/download/")


def test_a_dependency_warning_is_announced_once_per_crossing(hooked, kam):
    year = timezone.localdate().year
    big = make_account(owner=kam, name="Groß AG")
    small = make_account(owner=kam, name="Klein GmbH")

    def revenue(account, amount):
        return lambda: account_services.figures_put(
            actor=kam, account=account, year=year, revenue=Decimal(amount)
        )

    def raised(payloads):
        return [(p["data"]["account_id"], p["data"]["level"]) for p in payloads]

    types = ["dependency.warning_raised"]
    assert raised(hooked(types, revenue(big, 1000))) == [(big.pk, "red")]  # 100 %
    assert raised(hooked([], revenue(small, 100))) == []  # big stays red: no news
    # small grows past half of the revenue; big falls to the amber band (no news, down).
    assert raised(hooked([], revenue(small, 2000))) == [(small.pk, "red")]
    # small shrinks again: big crosses 50 % once more and is announced again.
    assert raised(hooked([], revenue(small, 100))) == [(big.pk, "red")]


def test_the_object_is_the_api_row_within_the_registering_administrators_scope(
    kam, other_kam, local_receiver, django_capture_on_commit_callbacks
):
    registrar = UserFactory(username="admin2", role=Role.ADMIN, is_staff=True)
    _endpoint, secret = services.endpoint_create(
        actor=registrar, url=local_receiver.url, event_types=["account.changed"]
    )
    group = make_account(owner=other_kam, name="Konzern AG")
    theirs = make_account(owner=kam, actor=other_kam, name="Tochter GmbH", parent=group)
    hidden = make_account(owner=other_kam, name="Fremd GmbH")
    account_services.team_member_set(
        actor=kam, account=theirs, user=registrar, role="sales_rep", can_edit=False
    )
    registrar.role = Role.KEY_ACCOUNT_MANAGER  # no longer sees every account
    registrar.save()

    with django_capture_on_commit_callbacks(execute=True):
        account_services.account_update(actor=kam, account=theirs, city="Ulm")
        account_services.account_update(actor=other_kam, account=hidden, city="Ulm")

    [received] = local_receiver.requests  # nothing of the account outside the scope
    data = Webhook(secret).verify(received.body, received.headers)["data"]
    assert data["object"]["city"] == "Ulm"
    assert data["object"]["parent"] is None  # the group is outside the scope
    api = APIClient()
    api.force_authenticate(registrar)
    [row] = [r for r in api.get("/api/v1/accounts/").json()["results"] if r["id"] == theirs.pk]
    assert data["object"] == row  # the API's serializer, as the registrar reads it


def test_figures_contacts_and_deals_carry_their_api_object(hooked, kam, account):
    ensure_default_stages()
    year = timezone.localdate().year

    def changes():
        account_services.figures_put(actor=kam, account=account, year=year, revenue=Decimal("12.5"))
        make_contact(account=account, first_name="Eva", last_name="Schulz")
        deal_services.opportunity_create(
            actor=kam, account=account, title="Rahmenvertrag", value=Decimal("1000")
        )

    types = ["figures.changed", "contact.created", "opportunity.created"]
    found = {p["type"]: p["data"]["object"] for p in hooked(types, changes)}
    assert found["figures.changed"]["year"] == year
    assert found["figures.changed"]["revenue"] == "12.50"
    assert found["contact.created"]["last_name"] == "Schulz"
    assert found["opportunity.created"]["title"] == "Rahmenvertrag"
    assert found["opportunity.created"]["value"] == "1000.00"
