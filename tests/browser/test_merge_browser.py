"""The merge screen, clicked through in Chromium by a head of sales: from the account
page to the likely duplicate, the survivor and the values chosen, the merge done."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Account
from tests.factories import make_account

pytestmark = pytest.mark.django_db(transaction=True)


def test_head_of_sales_merges_two_accounts(page, sign_in, head_of_sales, kam, other_kam):
    kept = make_account(owner=kam, name="Müller Maschinenbau GmbH", city="Stuttgart")
    merged = make_account(
        owner=other_kam, name="Müller Maschinenbau AG", city="Stuttgart", industry="Bau"
    )
    sign_in(head_of_sales)
    page.goto(reverse("accounts:detail", args=[kept.pk]))
    page.get_by_test_id("merge-start").click()
    page.get_by_test_id("merge-candidates").get_by_role("link", name=merged.name).click()

    fields = page.get_by_test_id("merge-fields")
    expect(fields.locator("tr[data-field='name']")).to_be_visible()
    assert fields.locator("tr[data-field='city']").count() == 0  # the same in both
    # The industry only the merged account has is offered first; keep the survivor's name.
    industry = fields.locator("tr[data-field='industry'] input[value='b']")
    expect(industry).to_be_checked()
    fields.locator("tr[data-field='owner'] input[value='b']").check()
    page.get_by_test_id("survivor-a").check()
    page.get_by_test_id("merge-submit").click()

    page.wait_for_url(f"**{reverse('accounts:detail', args=[kept.pk])}")
    expect(page.get_by_role("heading", level=1, name="Müller Maschinenbau GmbH")).to_be_visible()
    account = Account.objects.get()
    assert (account.pk, account.industry, account.owner) == (kept.pk, "Bau", other_kam)

    # The merged account's old address leads to the survivor.
    page.goto(reverse("accounts:detail", args=[merged.pk]))
    assert page.url.endswith(reverse("accounts:detail", args=[kept.pk]))


def test_merge_screen_fits_a_phone(page, sign_in, head_of_sales, kam):
    a = make_account(
        owner=kam, name="Weber Logistik GmbH", city="Ulm", website="https://weber.example"
    )
    b = make_account(
        owner=kam, name="Weber Logistik", city="Ulm", industry="Logistik und Lagerhaltung"
    )
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(head_of_sales)
    page.goto(reverse("accounts:merge", args=[a.pk, b.pk]))
    expect(page.get_by_test_id("merge-submit")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
