"""Contract pages: list with filters, deadlines, forms, documents and scoped downloads."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from contracts import services
from contracts.models import Contract, ContractDocument
from contracts.terms import add_months
from tests.contracts.conftest import PDF_BYTES, de, make_contract, pdf_upload, stored_files
from tests.factories import make_account

HTMX = {"HTTP_HX_REQUEST": "true"}


def numbers(html: str) -> list[str]:
    return re.findall(r'href="/contracts/\d+/">([^<]+)</a>', html)


def test_list_shows_only_contracts_in_scope(kam_client, account, other_kam):
    make_contract(account=account, number="MINE-1")
    foreign = make_account(owner=other_kam, name="Fremd GmbH")
    make_contract(account=foreign, number="FOREIGN-1")
    response = kam_client.get(reverse("contracts:list"))
    assert response.status_code == 200
    assert numbers(response.text) == ["MINE-1"]


def test_list_filters_sorts_and_keeps_state_in_the_url(kam_client, account, kam):
    other = make_account(owner=kam, name="Zeta AG")
    make_contract(account=account, number="A-1", kind="service", annual_value=500)
    make_contract(account=account, number="A-2", kind="supply", annual_value=900)
    make_contract(account=other, number="Z-1", kind="service", annual_value=100)
    url = reverse("contracts:list")
    response = kam_client.get(url, {"kind": "service", "ordering": "-value"})
    assert numbers(response.text) == ["A-1", "Z-1"]
    response = kam_client.get(url, {"account": other.pk})
    assert numbers(response.text) == ["Z-1"]
    assert "Zeta AG" in response.text.split('data-testid="account-filter"')[1].split("</p>")[0]
    # The sort links keep the filters.
    assert "kind=service" in kam_client.get(url, {"kind": "service"}).text.split("ordering=")[0]


def test_list_filter_notice_within_days(kam_client, account):
    today = timezone.localdate()
    make_contract(
        account=account,
        number="SOON",
        auto_renewal=True,
        start_on=today - timedelta(days=400),
        end_on=add_months(today + timedelta(days=20), 3),
        notice_period_months=3,
    )
    make_contract(
        account=account,
        number="LATER",
        auto_renewal=True,
        start_on=today - timedelta(days=400),
        end_on=add_months(today + timedelta(days=200), 3),
        notice_period_months=3,
    )
    make_contract(account=account, number="OPEN", end_on=None)
    url = reverse("contracts:list")
    response = kam_client.get(url, {"notice_within": 90})
    assert numbers(response.text) == ["SOON"]
    # Sorted by deadline, open-ended contracts come last in both directions.
    by_deadline = kam_client.get(url, {"ordering": "notice_deadline"})
    assert numbers(by_deadline.text) == ["SOON", "LATER", "OPEN"]
    by_deadline_desc = kam_client.get(url, {"ordering": "-notice_deadline"})
    assert numbers(by_deadline_desc.text) == ["LATER", "SOON", "OPEN"]
    deadlines = kam_client.get(reverse("contracts:deadlines"))
    assert numbers(deadlines.text) == ["SOON"]
    assert 'data-testid="deadline-near"' in deadlines.text
    assert numbers(kam_client.get(reverse("contracts:deadlines"), {"within": 365}).text) == [
        "SOON",
        "LATER",
    ]


def test_htmx_filter_gets_only_the_results(kam_client, account):
    make_contract(account=account, number="X-1")
    response = kam_client.get(reverse("contracts:list"), {"q": "X-1"}, **HTMX)
    assert response.text.lstrip().startswith('<section id="results"')
    assert "<html" not in response.text


def test_pagination_keeps_the_filters(kam_client, account):
    for index in range(30):
        make_contract(account=account, number=f"P-{index:02d}", kind="service")
    make_contract(account=account, number="OTHER", kind="supply")
    first = kam_client.get(reverse("contracts:list"), {"kind": "service", "ordering": "-number"})
    assert numbers(first.text)[0] == "P-29"
    assert "?kind=service&amp;ordering=-number&amp;page=2" in first.text
    second = kam_client.get(
        reverse("contracts:list"), {"kind": "service", "ordering": "-number", "page": 2}
    )
    assert numbers(second.text) == ["P-04", "P-03", "P-02", "P-01", "P-00"]


@pytest.mark.parametrize("rows", [3, 15])
def test_list_query_count_does_not_grow_with_rows(kam, kam_client, django_assert_num_queries, rows):
    for index in range(rows):
        account = make_account(owner=kam, name=f"Kunde {index:02d}")
        contract = make_contract(account=account, number=f"N-{index:02d}")
        services.document_add(actor=kam, contract=contract, uploaded_file=pdf_upload())
    # The page's ids, then its rows; the day's first list also looks for contracts whose
    # stored dates went stale (contracts.terms.bring_up_to), later ones do not.
    with django_assert_num_queries(9):
        response = kam_client.get(reverse("contracts:list"))
    assert len(numbers(response.text)) == rows
    account = contract.account
    with django_assert_num_queries(8):
        panel = kam_client.get(reverse("contracts:account_panel", args=[account.pk]), **HTMX)
    assert len(numbers(panel.text)) == 1


@pytest.mark.parametrize("rows", [3, 15])
def test_account_panel_and_deadlines_query_counts_do_not_grow(
    kam, kam_client, account, django_assert_num_queries, rows
):
    today = timezone.localdate()
    for index in range(rows):
        contract = make_contract(
            account=account,
            number=f"D-{index:02d}",
            start_on=today - timedelta(days=400),
            end_on=add_months(today + timedelta(days=index + 1), 3),
            notice_period_months=3,
        )
        services.document_add(actor=kam, contract=contract, uploaded_file=pdf_upload())
    with django_assert_num_queries(9):  # with the day's first look for stale dates
        panel = kam_client.get(reverse("contracts:account_panel", args=[account.pk]), **HTMX)
    assert len(numbers(panel.text)) == rows
    with django_assert_num_queries(6):  # the page's ids, then its rows
        deadlines = kam_client.get(reverse("contracts:deadlines"))
    assert len(numbers(deadlines.text)) == rows


def test_create_contract_and_see_it(kam_client, account):
    response = kam_client.post(
        reverse("contracts:create"),
        {
            "account": account.pk,
            "number": "RV-9",
            "title": "Rahmenvertrag Sensorik",
            "kind": "framework",
            "status": "active",
            "start_on": "2026-01-01",
            "end_on": "2027-12-31",
            "notice_period_months": "3",
            "auto_renewal": "on",
            "renewal_term_months": "12",
            "annual_value": "250000",
            "owner": account.owner_id,
        },
    )
    contract = Contract.objects.get(number="RV-9")
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:detail", args=[contract.pk])
    page = kam_client.get(response["Location"])
    assert "Rahmenvertrag Sensorik" in page.text
    assert 'data-testid="notice-deadline"' in page.text


def test_create_with_end_before_start_shows_the_error_in_place(kam_client, account):
    response = kam_client.post(
        reverse("contracts:create"),
        {
            "account": account.pk,
            "number": "RV-9",
            "title": "Falsch",
            "kind": "supply",
            "status": "draft",
            "start_on": "2026-05-01",
            "end_on": "2026-04-01",
            "notice_period_months": "3",
            "renewal_term_months": "12",
            "annual_value": "1",
            "owner": account.owner_id,
        },
        **HTMX,
    )
    assert response.status_code == 422
    assert de("The end cannot be before the start.") in response.text
    assert 'id="contract-form"' in response.text and "<html" not in response.text
    assert 'value="Falsch"' in response.text
    assert not Contract.objects.exists()


def test_htmx_create_redirects_the_client(kam_client, account):
    response = kam_client.post(
        reverse("contracts:create"),
        {
            "account": account.pk,
            "number": "H-1",
            "title": "T",
            "kind": "supply",
            "status": "draft",
            "start_on": "2026-01-01",
            "notice_period_months": "0",
            "renewal_term_months": "12",
            "annual_value": "0",
            "owner": account.owner_id,
        },  # fmt: skip
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith("/contracts/")


def test_edit_contract(kam_client, contract):
    response = kam_client.get(reverse("contracts:edit", args=[contract.pk]))
    assert response.status_code == 200
    data = {
        "number": contract.number, "title": "Neuer Titel", "kind": contract.kind,
        "status": "renegotiation", "start_on": "2025-01-01", "end_on": "2027-12-31",
        "notice_period_months": "6", "renewal_term_months": "12", "annual_value": "1",
        "owner": contract.owner_id,
    }  # fmt: skip
    response = kam_client.post(reverse("contracts:edit", args=[contract.pk]), data)
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.title, contract.status) == ("Neuer Titel", "renegotiation")


def test_reader_sees_but_cannot_edit_or_upload(client, account, kam, sales_rep, contract):
    account_services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    client.force_login(sales_rep)
    page = client.get(reverse("contracts:detail", args=[contract.pk]))
    assert page.status_code == 200
    assert 'name="file"' not in page.text
    assert client.get(reverse("contracts:edit", args=[contract.pk])).status_code == 403
    response = client.post(
        reverse("contracts:document_upload", args=[contract.pk]), {"file": pdf_upload()}
    )
    assert response.status_code == 403


def test_upload_then_download_streams_the_file_as_attachment(kam_client, contract):
    response = kam_client.post(
        reverse("contracts:document_upload", args=[contract.pk]),
        {"file": pdf_upload("Rahmenvertrag 2026.pdf")},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Rahmenvertrag 2026.pdf" in response.text
    document = ContractDocument.objects.get()
    url = reverse("contracts:document_download", args=[contract.pk, document.pk])
    assert url in response.text
    download = kam_client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Rahmenvertrag 2026.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


def test_fake_pdf_upload_shows_the_error_in_place_and_stores_nothing(
    kam_client, contract, media_root
):
    fake = SimpleUploadedFile("Vertrag.pdf", b"kein pdf", content_type="application/pdf")
    response = kam_client.post(
        reverse("contracts:document_upload", args=[contract.pk]), {"file": fake}, **HTMX
    )
    assert response.status_code == 422
    assert de("This file is not a PDF or Office document.") in response.text
    assert response.text.lstrip().startswith('<section id="documents"')
    assert stored_files(media_root) == []
    assert not ContractDocument.objects.exists()


def test_oversize_upload_is_refused_on_the_page(kam_client, contract, settings, media_root):
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    big = SimpleUploadedFile("Gross.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024 + 1))
    response = kam_client.post(
        reverse("contracts:document_upload", args=[contract.pk]), {"file": big}
    )
    assert response.status_code == 422
    assert de("The file is larger than %(size)s MB.", size="10") in response.text
    assert stored_files(media_root) == []


def test_delete_document(kam_client, contract, kam):
    document = services.document_add(actor=kam, contract=contract, uploaded_file=pdf_upload())
    response = kam_client.post(
        reverse("contracts:document_delete", args=[contract.pk, document.pk]), **HTMX
    )
    assert response.status_code == 200
    assert not ContractDocument.objects.exists()


def test_outsider_gets_404_on_every_contract_page(outsider_client, contract, kam):
    document = services.document_add(actor=kam, contract=contract, uploaded_file=pdf_upload())
    urls = [
        reverse("contracts:detail", args=[contract.pk]),
        reverse("contracts:edit", args=[contract.pk]),
        reverse("contracts:document_download", args=[contract.pk, document.pk]),
        reverse("contracts:account_panel", args=[contract.account_id]),
    ]
    for url in urls:
        assert outsider_client.get(url, **HTMX).status_code == 404, url
    for url in [
        reverse("contracts:document_upload", args=[contract.pk]),
        reverse("contracts:document_delete", args=[contract.pk, document.pk]),
    ]:
        assert outsider_client.post(url, {"file": pdf_upload()}).status_code == 404, url
    assert ContractDocument.objects.count() == 1
    assert "RV-2025-01" not in outsider_client.get(reverse("contracts:list")).text


def test_download_of_a_document_through_another_contract_is_404(kam_client, account, kam):
    first = make_contract(account=account, number="F-1")
    second = make_contract(account=account, number="F-2")
    document = services.document_add(actor=kam, contract=first, uploaded_file=pdf_upload())
    url = reverse("contracts:document_download", args=[second.pk, document.pk])
    assert kam_client.get(url).status_code == 404


def test_account_panel_highlights_near_deadlines(kam_client, account):
    today = timezone.localdate()
    make_contract(
        account=account,
        number="NEAR",
        auto_renewal=True,
        start_on=today - timedelta(days=700),
        end_on=add_months(today + timedelta(days=30), 3),
        notice_period_months=3,
    )
    make_contract(account=account, number="FAR", end_on=add_months(today, 36))
    url = reverse("contracts:account_panel", args=[account.pk])
    response = kam_client.get(url, **HTMX)
    assert response.status_code == 200
    assert numbers(response.text) == ["NEAR", "FAR"]
    assert response.text.count('data-testid="deadline-near"') == 1
    plain = kam_client.get(url)
    assert plain.status_code == 302
    assert plain["Location"] == f"/accounts/{account.pk}/?tab=contracts"


def test_account_page_offers_the_contracts_tab(kam_client, account):
    response = kam_client.get(f"/accounts/{account.pk}/?tab=contracts")
    assert reverse("contracts:account_panel", args=[account.pk]) in response.text


def test_a_fixed_term_contract_shows_no_notice_deadline(kam_client, account):
    """A contract that ends without renewal has no notice to give: neither its page nor the
    lists name a notice deadline (a renewing one still does)."""
    today = timezone.localdate()
    end = add_months(today + timedelta(days=20), 3)
    fixed = make_contract(
        account=account, number="FIX", start_on=today - timedelta(days=400), end_on=end,
        notice_period_months=3,
    )  # fmt: skip
    renewing = make_contract(
        account=account, number="REN", start_on=today - timedelta(days=400), end_on=end,
        notice_period_months=3, auto_renewal=True,
    )  # fmt: skip
    page = kam_client.get(reverse("contracts:detail", args=[fixed.pk])).text
    assert 'data-testid="no-notice"' in page and "ohne Kündigung" in page
    assert 'data-testid="notice-deadline"' not in page
    assert 'data-testid="deadline-notice"' not in page  # no "Notice must be given by" banner
    renewing_page = kam_client.get(reverse("contracts:detail", args=[renewing.pk])).text
    assert 'data-testid="deadline-notice"' in renewing_page
    listed = kam_client.get(reverse("contracts:list"), {"ordering": "number"}).text
    fixed_row = listed.split(">FIX<")[1].split("</tr>")[0]
    renewing_row = listed.split(">REN<")[1].split("</tr>")[0]
    assert "keine (befristet)" in fixed_row and 'data-testid="deadline-near"' not in fixed_row
    assert 'data-testid="deadline-near"' in renewing_row
