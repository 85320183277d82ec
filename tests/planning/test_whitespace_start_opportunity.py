"""Starting an opportunity from a whitespace cell links it back to that cell."""

from django.urls import reverse

from accounts.models import ProductLine
from deals.models import Opportunity, Stage
from planning.models import BusinessUnit, WhitespaceCell


def _post_new_opportunity(client, account, unit, line, kam):
    url = (
        reverse("deals:create")
        + f"?account={account.pk}&product_line={line.pk}&business_unit={unit.pk}"
    )
    page = client.get(url + "&title=Werk%20Nord%20%E2%80%93%20Sensorik")
    assert 'value="Werk Nord – Sensorik"' in page.text
    stage = Stage.objects.order_by("order").first()
    return client.post(
        url,
        {
            "account": account.pk,
            "title": "Werk Nord – Sensorik",
            "stage": stage.pk,
            "value": "50000",
            "owner": kam.pk,
            "product_lines": [line.pk],
        },
    )


def test_opportunity_started_from_a_cell_is_linked_to_it(kam_client, kam, account):
    line = ProductLine.objects.create(name="Sensorik")
    unit = BusinessUnit.objects.create(account=account, name="Werk Nord")
    response = _post_new_opportunity(kam_client, account, unit, line, kam)
    assert response.status_code == 302
    opportunity = Opportunity.objects.get(title="Werk Nord – Sensorik")
    cell = WhitespaceCell.objects.get(business_unit=unit, product_line=line)
    assert (cell.state, cell.opportunity) == (WhitespaceCell.State.OPEN, opportunity)


def test_a_unit_of_another_account_is_not_linked(kam_client, kam, account, other_kam):
    from tests.factories import make_account

    line = ProductLine.objects.create(name="Sensorik")
    foreign_unit = BusinessUnit.objects.create(account=make_account(owner=other_kam), name="X")
    response = _post_new_opportunity(kam_client, account, foreign_unit, line, kam)
    assert response.status_code == 302
    assert not WhitespaceCell.objects.exists()


def test_ids_in_links_have_no_thousand_separator(kam_client, account):
    """German formatting must not turn id 4321 into "4.321" inside a link."""
    line = ProductLine.objects.create(pk=4321, name="Großanlagen")
    BusinessUnit.objects.create(account=account, name="Werk Süd")
    html = kam_client.get(
        reverse("planning:whitespace_account_section", args=[account.pk]), HTTP_HX_REQUEST="true"
    ).text
    assert f"product_line={line.pk}&amp;" in html
    assert "4.321" not in html
