"""A reports-to manager at a group company the user cannot see is not named."""

from django.urls import reverse

from tests.factories import make_account, make_contact


def test_contacts_tab_hides_a_manager_the_user_cannot_see(kam, other_kam, kam_client):
    holding = make_account(owner=other_kam, name="Geheim Holding AG")
    subsidiary = make_account(owner=kam, parent=holding, name="Tochter GmbH", actor=other_kam)
    boss = make_contact(account=holding, last_name="Verborgen", actor=other_kam)
    make_contact(account=subsidiary, last_name="Sichtbar", reports_to=boss, actor=other_kam)
    url = reverse("accounts:detail", args=[subsidiary.pk])
    html = kam_client.get(url, {"tab": "contacts"}).text
    assert "Sichtbar" in html
    assert "Verborgen" not in html
    listing = kam_client.get(reverse("accounts:contacts")).text
    assert "Sichtbar" in listing and "Verborgen" not in listing


def test_contacts_tab_names_a_visible_manager(kam, account, kam_client):
    boss = make_contact(account=account, last_name="Chefin")
    make_contact(account=account, last_name="Mitarbeiter", reports_to=boss)
    html = kam_client.get(reverse("accounts:detail", args=[account.pk]), {"tab": "contacts"}).text
    row = html.split("Mitarbeiter")[1].split("</tr>")[0]
    assert "Chefin" in row
