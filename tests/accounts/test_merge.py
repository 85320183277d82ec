"""Merging accounts and contacts: the survivor keeps the chosen values, everything moves,
figures of the same year are added (or one kept), the history tells, the merged id
redirects on the page and is gone from the API; only heads of sales and administrators
merge."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import merge, services
from accounts.models import (
    Account,
    Contact,
    Merge,
    ProductLine,
    ProfileSection,
    TeamMembership,
    YearlyFigures,
)
from contracts import services as contract_services
from kam import events
from tests.accounts.test_api import api_as
from tests.conftest import client_for
from tests.factories import UserFactory, make_account, make_contact
from users.models import Role

YEAR = 2025


def figures(account: Account, year: int, revenue: str, target: str | None = None) -> None:
    services.figures_put(
        actor=account.owner,
        account=account,
        year=year,
        revenue=Decimal(revenue),
        contribution_margin=Decimal(revenue) / 4,
        revenue_target=Decimal(target) if target else None,
    )


@pytest.fixture
def pair(kam, other_kam):
    survivor = make_account(owner=kam, name="Müller Maschinenbau GmbH", city="Stuttgart")
    merged = make_account(
        owner=other_kam, name="Müller Maschinenbau AG", city="Stuttgart", external_id="K-7"
    )
    return survivor, merged


def test_figures_of_the_same_year_are_added_and_totals_kept(head_of_sales, pair):
    survivor, merged = pair
    figures(survivor, YEAR, "1000", target="1500")
    figures(merged, YEAR, "250", target="500")
    figures(merged, YEAR - 1, "300")
    total = sum(YearlyFigures.objects.values_list("revenue", flat=True))

    merge.account_merge(actor=head_of_sales, survivor=survivor, merged=merged)

    rows = {f.year: f for f in YearlyFigures.objects.filter(account=survivor)}
    assert rows[YEAR].revenue == Decimal("1250")
    assert rows[YEAR].contribution_margin == Decimal("312.50")
    assert rows[YEAR].revenue_target == Decimal("2000")
    assert rows[YEAR - 1].revenue == Decimal("300")
    assert sum(YearlyFigures.objects.values_list("revenue", flat=True)) == total
    assert not Account.objects.filter(pk=merged.pk).exists()


def test_the_user_may_keep_one_accounts_figures_of_a_year(head_of_sales, pair):
    survivor, merged = pair
    figures(survivor, YEAR, "1000")
    figures(merged, YEAR, "250")
    merge.account_merge(
        actor=head_of_sales, survivor=survivor, merged=merged, figures={YEAR: "merged"}
    )
    assert YearlyFigures.objects.get(account=survivor, year=YEAR).revenue == Decimal("250")
    assert YearlyFigures.objects.filter(year=YEAR).count() == 1


def test_chosen_values_are_kept_and_the_rest_stays(head_of_sales, pair):
    survivor, merged = pair
    merge.account_merge(
        actor=head_of_sales,
        survivor=survivor,
        merged=merged,
        keep_merged={"owner", "external_id"},
    )
    survivor.refresh_from_db()
    assert survivor.name == "Müller Maschinenbau GmbH"
    assert survivor.owner == merged.owner
    assert survivor.external_id == "K-7"


def test_clashing_team_product_lines_and_profile_are_combined(head_of_sales, kam, pair):
    survivor, merged = pair
    rep = UserFactory(role=Role.SALES_REP)
    line = ProductLine.objects.create(name="Ersatzteile")
    for account, can_edit in ((survivor, False), (merged, True)):
        services.team_member_set(
            actor=head_of_sales, account=account, user=rep, role="sales_rep", can_edit=can_edit
        )
        account.product_lines.add(line)
    services.profile_section_update(
        actor=kam, account=survivor, kind="strategy", text="Wachstum im Export."
    )
    services.profile_section_update(
        actor=head_of_sales, account=merged, kind="strategy", text="Neue Werke in Polen."
    )

    merge.account_merge(actor=head_of_sales, survivor=survivor, merged=merged)

    membership = TeamMembership.objects.get(account=survivor, user=rep)
    assert membership.can_edit
    assert list(survivor.product_lines.all()) == [line]
    text = ProfileSection.objects.get(account=survivor, kind="strategy").text
    assert "Wachstum im Export." in text and "Neue Werke in Polen." in text


def test_a_clash_that_cannot_be_settled_refuses_and_changes_nothing(head_of_sales, pair):
    survivor, merged = pair
    for account in pair:
        contract_services.contract_create(
            actor=head_of_sales,
            account=account,
            number="RV-1",
            title="Rahmenvertrag",
            start_on=date(2025, 1, 1),
        )
    contact = make_contact(account=merged)
    with pytest.raises(ValidationError, match="RV-1"):
        merge.account_merge(actor=head_of_sales, survivor=survivor, merged=merged)
    assert Account.objects.filter(pk=merged.pk).exists()
    assert Contact.objects.get(pk=contact.pk).account_id == merged.pk
    assert not Merge.objects.exists()


def test_subsidiaries_move_below_the_survivor_with_their_paths(head_of_sales, pair):
    survivor, merged = pair
    child = make_account(owner=merged.owner, parent=merged)
    grandchild = make_account(owner=merged.owner, parent=child)
    merge.account_merge(actor=head_of_sales, survivor=survivor, merged=merged)
    child.refresh_from_db()
    grandchild.refresh_from_db()
    assert child.parent == survivor
    assert child.path == f"{survivor.path}{child.pk}/"
    assert grandchild.path == f"{survivor.path}{child.pk}/{grandchild.pk}/"


def test_a_kam_cannot_merge(kam, pair):
    survivor, merged = pair
    with pytest.raises(PermissionDenied):
        merge.account_merge(actor=kam, survivor=survivor, merged=merged)
    assert Account.objects.count() == 2
    page = client_for(kam).get(reverse("accounts:merge", args=[survivor.pk, merged.pk]))
    assert page.status_code == 403
    response = client_for(kam).post(
        reverse("accounts:merge", args=[survivor.pk, merged.pk]), {"survivor": "a"}
    )
    assert response.status_code == 403
    assert Account.objects.count() == 2


def test_the_merge_page_shows_differing_fields_and_merges(head_client, head_of_sales, pair):
    survivor, merged = pair
    figures(survivor, YEAR, "1000")
    figures(merged, YEAR, "250")
    url = reverse("accounts:merge", args=[survivor.pk, merged.pk])
    page = head_client.get(url).content.decode()
    assert 'name="field_name"' in page and "Müller Maschinenbau AG" in page
    assert 'name="field_city"' not in page  # the same in both
    assert f'name="year_{YEAR}"' in page

    response = head_client.post(
        url, {"survivor": "b", "field_name": "a", "field_owner": "b", f"year_{YEAR}": "add"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:detail", args=[merged.pk])
    kept = Account.objects.get()
    assert kept.pk == merged.pk
    assert kept.name == "Müller Maschinenbau GmbH"
    assert kept.owner == merged.owner
    assert kept.figures.get(year=YEAR).revenue == Decimal("1250")


def test_history_records_the_merge_readably(head_client, head_of_sales, pair):
    survivor, merged = pair
    merge.account_merge(
        actor=head_of_sales, survivor=survivor, merged=merged, keep_merged={"external_id"}
    )
    page = head_client.get(
        reverse("accounts:tab", args=[survivor.pk, "history"]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Account „Müller Maschinenbau AG“ mit diesem zusammengeführt" in page
    assert "K-7" in page
    assert str(head_of_sales) in page


def test_merged_id_redirects_on_the_page_and_is_gone_in_the_api(
    head_client, head_of_sales, kam, other_kam, outsider, pair
):
    survivor, merged = pair
    merge.account_merge(actor=head_of_sales, survivor=survivor, merged=merged)
    response = head_client.get(reverse("accounts:detail", args=[merged.pk]) + "?tab=team")
    assert response.status_code == 301
    assert response["Location"] == reverse("accounts:detail", args=[survivor.pk]) + "?tab=team"
    assert api_as(head_of_sales).get(f"/api/v1/accounts/{merged.pk}/").status_code == 404
    # Who may not see the survivor learns nothing.
    assert client_for(outsider).get(f"/accounts/{merged.pk}/").status_code == 404


def test_merge_publishes_the_domain_events(head_of_sales, pair):
    survivor, merged = pair
    figures(merged, YEAR, "250")
    seen: list[events.Event] = []
    for event_type in (events.AccountsMerged, events.AccountDeleted, events.FiguresChanged):
        events.subscribe(event_type, seen.append)
    try:
        merge.account_merge(actor=head_of_sales, survivor=survivor, merged=merged)
    finally:
        for event_type in (events.AccountsMerged, events.AccountDeleted, events.FiguresChanged):
            events.unsubscribe(event_type, seen.append)
    assert events.AccountsMerged(account_id=survivor.pk, merged_id=merged.pk) in seen
    assert any(isinstance(e, events.AccountDeleted) and e.account_id == merged.pk for e in seen)
    assert events.FiguresChanged(account_id=survivor.pk, year=YEAR) in seen


def test_contacts_merge_moves_reports_and_redirects(head_client, head_of_sales, account):
    survivor = make_contact(account=account, first_name="Anna", last_name="Schäfer")
    merged = make_contact(
        account=account, first_name="Anna", last_name="Schaefer", email="anna@x.de"
    )
    report = make_contact(account=account, reports_to=merged)
    services.contact_update(actor=account.owner, contact=survivor, reports_to=merged)

    response = head_client.post(
        reverse("accounts:contact_merge", args=[survivor.pk, merged.pk]),
        {"survivor": "a", "field_email": "b", "field_last_name": "a"},
    )
    assert response.status_code == 302
    kept = Contact.objects.get(pk=survivor.pk)
    assert kept.email == "anna@x.de" and kept.last_name == "Schäfer"
    assert kept.reports_to is None  # never their own manager
    assert Contact.objects.get(pk=report.pk).reports_to_id == survivor.pk
    assert not Contact.objects.filter(pk=merged.pk).exists()
    moved = head_client.get(reverse("accounts:contact_detail", args=[merged.pk]))
    assert moved.status_code == 301
    assert moved["Location"] == reverse("accounts:contact_detail", args=[survivor.pk])
    assert api_as(head_of_sales).get(f"/api/v1/contacts/{merged.pk}/").status_code == 404


def test_duplicate_pairs_page_lists_likely_pairs(head_client, kam_client, pair, account):
    survivor, merged = pair
    make_account(owner=survivor.owner, name="MÜLLER MASCHINENBAU", city="Stuttgart")
    make_contact(account=account, email="same@x.de")
    make_contact(account=survivor, email="Same@X.de")
    page = head_client.get(reverse("accounts:duplicates"))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("accounts/") and 'data-testid="account-pairs"' in text
    assert 'data-testid="contact-pairs"' in text
    assert kam_client.get(reverse("accounts:duplicates")).status_code == 403


def test_merge_pick_offers_only_candidates_in_scope(head_client, pair):
    survivor, merged = pair
    page = head_client.get(reverse("accounts:merge_pick", args=[survivor.pk])).content.decode()
    assert reverse("accounts:merge", args=[survivor.pk, merged.pk]) in page
