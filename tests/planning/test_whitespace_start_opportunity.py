"""Starting an opportunity from a whitespace cell links it back to that cell."""

from django.urls import reverse

from accounts.models import ProductLine
from deals.models import Opportunity, Stage
from planning.models import BusinessUnit, WhitespaceCell
from tests.factories import make_account


def _start_url(account, unit, line):
    return reverse("planning:whitespace_start_opportunity", args=[account.pk, unit.pk, line.pk])


def _post_new_opportunity(client, account, unit, line, kam, *, on_account=None):
    stage = Stage.objects.order_by("order").first()
    return client.post(
        _start_url(account, unit, line),
        {
            "account": (on_account or account).pk,
            "title": "Werk Nord – Sensorik",
            "stage": stage.pk,
            "value": "50000",
            "owner": kam.pk,
            "product_lines": [line.pk],
        },
    )


def test_the_form_is_filled_in_from_the_cell(kam_client, account):
    line = ProductLine.objects.create(name="Sensorik")
    unit = BusinessUnit.objects.create(account=account, name="Werk Nord")
    page = kam_client.get(_start_url(account, unit, line))
    assert 'value="Werk Nord – Sensorik"' in page.text


def test_opportunity_started_from_a_cell_is_linked_to_it(kam_client, kam, account):
    line = ProductLine.objects.create(name="Sensorik")
    unit = BusinessUnit.objects.create(account=account, name="Werk Nord")
    response = _post_new_opportunity(kam_client, account, unit, line, kam)
    assert response.status_code == 302
    opportunity = Opportunity.objects.get(title="Werk Nord – Sensorik")
    cell = WhitespaceCell.objects.get(business_unit=unit, product_line=line)
    assert (cell.state, cell.opportunity) == (WhitespaceCell.State.OPEN, opportunity)


def test_a_unit_of_another_account_is_not_found(kam_client, kam, account, other_kam):
    line = ProductLine.objects.create(name="Sensorik")
    foreign_unit = BusinessUnit.objects.create(account=make_account(owner=other_kam), name="X")
    response = _post_new_opportunity(kam_client, account, foreign_unit, line, kam)
    assert response.status_code == 404
    assert not Opportunity.objects.exists()
    assert not WhitespaceCell.objects.exists()


def test_an_opportunity_moved_to_another_account_is_not_linked(kam_client, kam, account):
    line = ProductLine.objects.create(name="Sensorik")
    unit = BusinessUnit.objects.create(account=account, name="Werk Nord")
    elsewhere = make_account(owner=kam)
    response = _post_new_opportunity(kam_client, account, unit, line, kam, on_account=elsewhere)
    assert response.status_code == 302
    assert Opportunity.objects.get().account == elsewhere
    assert not WhitespaceCell.objects.exists()


def test_ids_in_links_have_no_thousand_separator(kam_client, account):
    """German formatting must not turn id 4321 into "4.321" inside a link."""
    line = ProductLine.objects.create(pk=4321, name="Großanlagen")
    unit = BusinessUnit.objects.create(account=account, name="Werk Süd")
    html = kam_client.get(
        reverse("planning:whitespace_account_section", args=[account.pk]), HTTP_HX_REQUEST="true"
    ).text
    assert f"/{unit.pk}/{line.pk}/opportunity/" in html
    assert "4.321" not in html
