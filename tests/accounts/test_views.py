"""Account and contact pages: scope, permissions, forms, htmx partials and query counts.

Three users throughout: the owner (`kam`), a team member who may only read (`reader`), and
an outsider on no team.
"""

import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Account, Contact, ProfileSection, TeamMembership, YearlyFigures
from tests.conftest import client_for
from tests.factories import UserFactory, make_account, make_contact
from users.models import Role

HTMX = {"HTTP_HX_REQUEST": "true"}
TABS = ["profile", "team", "figures", "contacts", "map", "history"]
REQUIRED = "Dieses Feld ist zwingend erforderlich."


@pytest.fixture
def reader(kam, account, sales_rep):
    """On the account's team, without "may edit"."""
    services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    return sales_rep


@pytest.fixture
def reader_client(reader) -> Client:
    return client_for(reader)


@pytest.fixture
def contact(account):
    return make_contact(account=account, first_name="Jana", last_name="Krüger")


def account_data(owner, **overrides) -> dict:
    data = {
        "name": "Neukunde GmbH",
        "legal_name": "",
        "external_id": "",
        "parent": "",
        "status": "prospect",
        "tier": "C",
        "owner": owner.pk,
        "industry": "",
        "customer_type": "other",
        "country": "Deutschland",
        "city": "",
        "region": "",
        "website": "",
    }
    return data | overrides


def account_data_of(account: Account, **overrides) -> dict:
    data = account_data(
        account.owner,
        name=account.name,
        parent=account.parent_id or "",
        status=account.status,
        tier=account.tier,
        customer_type=account.customer_type,
        country=account.country,
        city=account.city,
    )
    return data | overrides


def contact_data(**overrides) -> dict:
    data = {
        "first_name": "Max",
        "last_name": "Neumann",
        "job_title": "Einkaufsleiter",
        "email": "max.neumann@example.com",
        "preferred_language": "de",
        "reports_to": "",
        "buying_role": "",
        "influence": "medium",
        "attitude": "neutral",
        "relationship_strength": "3",
        "relationship_owner": "",
        "legal_basis": "unknown",
    }
    return data | overrides


def figures_data(**overrides) -> dict:
    return {"year": "2025", "revenue": "1000", "contribution_margin": "200"} | overrides


def field_block(html: str, field_id: str) -> str:
    """The form_fields.html wrapper of one field: its label, input and errors."""
    match = re.search(
        rf'<div class="field[^"]*">(?:(?!<div class="field).)*?id="{field_id}".*?</div>',
        html,
        re.DOTALL,
    )
    assert match, f"no field {field_id} in the page"
    return match.group(0)


class _FormValues(HTMLParser):
    """What a browser would submit for a form as rendered: inputs, selects, textareas."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.values[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self.values[self._select] = value
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            self.values.setdefault(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_values(html: str) -> dict[str, str]:
    """The values the page's main form would send unchanged."""
    start = html.index('<form method="post" novalidate class="form-grid">')
    parser = _FormValues()
    parser.feed(html[start : html.index("</form>", start)])
    return parser.values


def result_names(html: str) -> list[str]:
    """Account names linked in the list's results table, in order."""
    section = html[html.index('id="results"') :]
    return re.findall(r'<td><a href="/accounts/\d+/">([^<]+)</a>', section)


# --- The account list -------------------------------------------------------------------


@pytest.fixture
def portfolio(kam):
    return {
        "alpha": make_account(
            owner=kam, name="Alpha Werke", status="key_account", tier="A", city="Berlin"
        ),
        "beta": make_account(
            owner=kam, name="Beta Handel", status="prospect", tier="A", city="Köln"
        ),
        "gamma": make_account(
            owner=kam, name="Gamma Bau", status="key_account", tier="C", city="Berlin"
        ),
    }


def test_list_shows_own_accounts_sorted_by_name(kam_client, portfolio):
    response = kam_client.get(reverse("accounts:list"))
    assert response.status_code == 200
    assert result_names(response.text) == ["Alpha Werke", "Beta Handel", "Gamma Bau"]
    assert "3 Kunden" in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "key_account"}, ["Alpha Werke", "Gamma Bau"]),
        ({"tier": "A"}, ["Alpha Werke", "Beta Handel"]),
        ({"status": "key_account", "tier": "C"}, ["Gamma Bau"]),
        ({"q": "köln"}, ["Beta Handel"]),
        ({"q": "Werke"}, ["Alpha Werke"]),
        ({"q": "berlin", "tier": "A"}, ["Alpha Werke"]),
        ({"status": "former"}, []),
    ],
)
def test_list_filters(kam_client, portfolio, query, expected):
    response = kam_client.get(reverse("accounts:list"), query)
    assert result_names(response.text) == expected
    if not expected:
        assert "Keine Kunden entsprechen diesen Filtern." in response.text


def test_list_filter_form_keeps_the_chosen_values(kam_client, portfolio):
    response = kam_client.get(reverse("accounts:list"), {"status": "key_account", "q": "Bau"})
    assert re.search(r'<option value="key_account" selected>', response.text)
    assert re.search(r'<input type="text" name="q" value="Bau"', response.text)


def test_htmx_filter_gets_only_the_results_partial(kam_client, portfolio):
    response = kam_client.get(reverse("accounts:list"), {"status": "prospect"}, **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="results"')
    assert result_names(response.text) == ["Beta Handel"]
    assert "HX-Request" in response["Vary"]


def test_plain_request_gets_the_whole_page_and_varies_on_htmx(kam_client, portfolio):
    response = kam_client.get(reverse("accounts:list"), {"status": "prospect"})
    assert "<html" in response.text
    assert 'class="filters"' in response.text
    assert "HX-Request" in response["Vary"]


def test_list_pages_by_25_and_paging_links_keep_the_filter(kam, kam_client):
    for number in range(1, 31):
        make_account(owner=kam, name=f"Firma {number:02d}", status="key_account")
    make_account(owner=kam, name="Firma 99 Interessent", status="prospect")

    first = kam_client.get(reverse("accounts:list"), {"status": "key_account"})
    assert result_names(first.text) == [f"Firma {n:02d}" for n in range(1, 26)]
    assert "Seite 1 von 2" in first.text
    next_link = re.search(r'<a href="\?([^"]+)"[^>]*rel="next"', first.text)
    assert next_link, "no link to the next page"
    assert next_link.group(1).replace("&amp;", "&") == "status=key_account&page=2"

    second = kam_client.get(reverse("accounts:list"), {"status": "key_account", "page": "2"})
    assert result_names(second.text) == [f"Firma {n:02d}" for n in range(26, 31)]
    assert "Seite 2 von 2" in second.text
    assert 'rel="prev"' in second.text


@pytest.mark.parametrize("rows", [3, 30])
def test_account_list_query_count_does_not_grow_with_rows(
    kam, other_kam, kam_client, django_assert_num_queries, rows
):
    group = make_account(owner=kam, name="Aaa Konzern")
    for number in range(rows - 1):
        account = make_account(owner=kam, name=f"Firma {number:02d}", parent=group)
        services.figures_put(
            actor=kam,
            account=account,
            year=timezone.localdate().year,
            revenue=100,
            revenue_target=200,
            revenue_potential=400,
        )
        services.team_member_set(
            actor=kam, account=account, user=other_kam, role="sales_rep", can_edit=False
        )
    with django_assert_num_queries(6):
        response = kam_client.get(reverse("accounts:list"))
    assert len(result_names(response.text)) == min(rows, 25)


@pytest.mark.parametrize("rows", [3, 30])
def test_contact_list_query_count_does_not_grow_with_rows(
    kam, kam_client, account, django_assert_num_queries, rows
):
    boss = make_contact(account=account, last_name="Aaa Chefin")
    for number in range(rows - 1):
        make_contact(
            account=account, last_name=f"Kontakt {number:02d}", reports_to=boss,
            relationship_owner=kam,
        )  # fmt: skip
    with django_assert_num_queries(7):
        response = kam_client.get(reverse("accounts:contacts"))
    assert len(re.findall(r'href="/accounts/contacts/\d+/"', response.text)) == rows
    assert "Aaa Chefin" in response.text


def test_contact_list_htmx_filter_gets_only_the_results(kam_client, account, contact):
    make_contact(account=account, last_name="Zander", email="zander@example.com")
    response = kam_client.get(reverse("accounts:contacts"), {"q": "zander@"}, **HTMX)
    assert "<html" not in response.text
    assert "Zander" in response.text
    assert "Krüger" not in response.text
    assert "HX-Request" in response["Vary"]


# --- The account page and its tabs ------------------------------------------------------

TAB_MARKERS = {
    "profile": 'id="profile-strategy"',
    "team": 'action="/accounts/{pk}/team/"',
    "figures": 'data-testid="own-figures"',
    "contacts": 'id="contact-form-slot"',
    "map": 'data-gap="no_decision_maker"',
    "history": '<ol class="history">',
}


@pytest.mark.parametrize("tab", TABS)
def test_owner_sees_every_tab_as_a_page_and_as_an_htmx_partial(kam_client, account, tab):
    marker = TAB_MARKERS[tab].format(pk=account.pk)

    page = kam_client.get(reverse("accounts:detail", args=[account.pk]), {"tab": tab})
    assert page.status_code == 200
    assert marker in page.text
    assert re.search(rf'id="tab-{tab}" aria-selected="true"', page.text)

    partial = kam_client.get(reverse("accounts:tab", args=[account.pk, tab]), **HTMX)
    assert partial.status_code == 200
    assert marker in partial.text
    assert "<html" not in partial.text


@pytest.mark.parametrize("tab", TABS)
def test_tab_url_without_htmx_redirects_to_the_page_with_the_tab(kam_client, account, tab):
    """A reload after htmx pushed a tab URL, or an opened link, lands on the full page."""
    response = kam_client.get(reverse("accounts:tab", args=[account.pk, tab]))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{account.pk}/?tab={tab}"


def test_unknown_tab_is_404_and_falls_back_to_profile_on_the_page(kam_client, account):
    assert kam_client.get(f"/accounts/{account.pk}/tab/secrets/", **HTMX).status_code == 404
    page = kam_client.get(reverse("accounts:detail", args=[account.pk]), {"tab": "secrets"})
    assert 'id="profile-strategy"' in page.text


def test_subsidiary_page_shows_the_group_in_the_breadcrumb(kam, kam_client):
    group = make_account(owner=kam, name="Holding AG")
    child = make_account(owner=kam, name="Werk Ulm", parent=group)
    grandchild = make_account(owner=kam, name="Lager Ulm", parent=child)
    page = kam_client.get(reverse("accounts:detail", args=[grandchild.pk])).text
    crumbs = re.search(r'<nav aria-label="breadcrumb">(.*?)</nav>', page, re.DOTALL).group(1)
    assert re.findall(r"<li>(?:<a [^>]*>)?([^<]+)", crumbs) == [
        "Kunden",
        "Holding AG",
        "Werk Ulm",
        "Lager Ulm",
    ]


def test_group_figures_tab_shows_the_group_total(kam, kam_client):
    group = make_account(owner=kam, name="Holding AG")
    child = make_account(owner=kam, name="Werk Ulm", parent=group)
    grandchild = make_account(owner=kam, name="Lager Ulm", parent=child)
    services.figures_put(actor=kam, account=group, year=2025, revenue=Decimal("1000"))
    services.figures_put(actor=kam, account=grandchild, year=2025, revenue=Decimal("234"))

    page = kam_client.get(reverse("accounts:tab", args=[group.pk, "figures"]), **HTMX).text
    total = page[page.index('data-testid="group-figures"') :]
    assert re.search(r"<th scope=\"row\">2025</th><td class=\"num\">1\.234 €</td>", total)
    # The subsidiary's own page has no group total when it has nothing below it.
    leaf = kam_client.get(reverse("accounts:tab", args=[grandchild.pk, "figures"]), **HTMX)
    assert 'data-testid="group-figures"' not in leaf.text


# --- Outsiders and readers --------------------------------------------------------------


def outsider_urls(account, contact) -> list[str]:
    return [
        reverse("accounts:detail", args=[account.pk]),
        reverse("accounts:edit", args=[account.pk]),
        *[reverse("accounts:tab", args=[account.pk, tab]) for tab in TABS],
        reverse("accounts:contact_create", args=[account.pk]),
        reverse("accounts:contact_detail", args=[contact.pk]),
        reverse("accounts:contact_edit", args=[contact.pk]),
    ]


@pytest.mark.parametrize("htmx", [False, True])
def test_outsider_gets_404_on_every_page_of_the_account(outsider_client, account, contact, htmx):
    headers = HTMX if htmx else {}
    for url in outsider_urls(account, contact):
        response = outsider_client.get(url, **headers)
        assert response.status_code == 404, url
        assert account.name not in response.text


def test_outsider_gets_404_on_every_change(outsider_client, outsider, account, contact):
    posts = {
        reverse("accounts:edit", args=[account.pk]): account_data(account.owner, name="X"),
        reverse("accounts:figures_save", args=[account.pk]): figures_data(),
        reverse("accounts:team_add", args=[account.pk]): {
            "user": outsider.pk,
            "role": "sales_rep",
            "can_edit": "on",
        },  # fmt: skip
        reverse("accounts:profile_section", args=[account.pk, "strategy"]): {"text": "X"},
        reverse("accounts:contact_create", args=[account.pk]): contact_data(),
        reverse("accounts:contact_edit", args=[contact.pk]): contact_data(),
        reverse("accounts:contact_left", args=[contact.pk]): {"left_on": "2025-01-01"},
    }
    for url, data in posts.items():
        assert outsider_client.post(url, data).status_code == 404, url
    assert Account.objects.get(pk=account.pk).name == "Müller Maschinenbau AG"
    assert not TeamMembership.objects.filter(user=outsider).exists()
    assert not YearlyFigures.objects.exists()
    assert list(Contact.objects.values_list("last_name", "is_active")) == [("Krüger", True)]


def test_outsider_never_sees_the_account_in_list_or_search(outsider_client, account, contact):
    listing = outsider_client.get(reverse("accounts:list"))
    assert result_names(listing.text) == []
    assert account.name not in listing.text
    for query in ("Müller", "Stuttgart", "Krüger"):
        found = outsider_client.get(reverse("accounts:search"), {"q": query})
        assert found.status_code == 200
        assert account.name not in found.text
        assert f"/accounts/{account.pk}/" not in found.text
        assert f"/accounts/contacts/{contact.pk}/" not in found.text
    contacts = outsider_client.get(reverse("accounts:contacts"))
    assert "Krüger" not in contacts.text


def test_owner_finds_account_and_contact_in_search(kam_client, account, contact):
    found = kam_client.get(reverse("accounts:search"), {"q": "Stuttgart"}, **HTMX)
    assert f'href="/accounts/{account.pk}/"' in found.text
    assert "<html" not in found.text
    found = kam_client.get(reverse("accounts:search"), {"q": "Krüger"})
    assert f'href="/accounts/contacts/{contact.pk}/"' in found.text


def test_reader_sees_the_account_without_edit_controls(reader_client, account):
    page = reader_client.get(reverse("accounts:detail", args=[account.pk]))
    assert page.status_code == 200
    assert reverse("accounts:edit", args=[account.pk]) not in page.text
    assert "<textarea" not in page.text  # no profile edit forms
    figures = reader_client.get(reverse("accounts:tab", args=[account.pk, "figures"]), **HTMX)
    assert reverse("accounts:figures_save", args=[account.pk]) not in figures.text
    contacts = reader_client.get(reverse("accounts:tab", args=[account.pk, "contacts"]), **HTMX)
    assert reverse("accounts:contact_create", args=[account.pk]) not in contacts.text


def test_reader_gets_403_on_edit_pages(reader_client, account, contact):
    for url in (
        reverse("accounts:edit", args=[account.pk]),
        reverse("accounts:contact_create", args=[account.pk]),
        reverse("accounts:contact_edit", args=[contact.pk]),
    ):
        assert reader_client.get(url).status_code == 403, url


def test_reader_cannot_change_anything(reader_client, reader, account, contact):
    posts = {
        reverse("accounts:edit", args=[account.pk]): account_data_of(account, name="Geändert"),
        reverse("accounts:figures_save", args=[account.pk]): figures_data(),
        reverse("accounts:team_add", args=[account.pk]): {
            "user": reader.pk,
            "role": "sales_rep",
            "can_edit": "on",
        },  # fmt: skip
        reverse("accounts:profile_section", args=[account.pk, "strategy"]): {"text": "X"},
        reverse("accounts:contact_create", args=[account.pk]): contact_data(),
        reverse("accounts:contact_edit", args=[contact.pk]): contact_data(),
        reverse("accounts:contact_left", args=[contact.pk]): {"left_on": "2025-01-01"},
    }
    for url, data in posts.items():
        assert reader_client.post(url, data, **HTMX).status_code == 403, url
    assert Account.objects.get(pk=account.pk).name == "Müller Maschinenbau AG"
    assert not TeamMembership.objects.get(user=reader).can_edit
    assert not YearlyFigures.objects.exists()
    assert not ProfileSection.objects.exists()
    assert list(Contact.objects.values_list("last_name", "is_active")) == [("Krüger", True)]


def test_team_member_with_may_edit_can_save_figures(kam, account, sales_rep):
    services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=True
    )
    response = client_for(sales_rep).post(
        reverse("accounts:figures_save", args=[account.pk]), figures_data(), **HTMX
    )
    assert response.status_code == 200
    assert YearlyFigures.objects.get(account=account).revenue == Decimal("1000")


# --- Creating and editing accounts ------------------------------------------------------


def test_create_account_and_land_on_its_page(kam, kam_client):
    response = kam_client.post(
        reverse("accounts:create"), account_data(kam, name="Neukunde GmbH", city="Hamburg")
    )
    account = Account.objects.get(name="Neukunde GmbH")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:detail", args=[account.pk])
    assert account.owner == kam
    assert account.path == f"/{account.pk}/"
    page = kam_client.get(response["Location"])
    assert "Neukunde GmbH" in page.text


def test_create_account_with_errors_shows_them_in_place_and_keeps_input(kam, kam_client):
    before = Account.objects.count()
    response = kam_client.post(
        reverse("accounts:create"),
        account_data(kam, name="", city="Hamburg", website="kein-link", tier="A"),
    )
    assert response.status_code == 422
    assert Account.objects.count() == before
    assert REQUIRED in field_block(response.text, "id_name")
    assert "Bitte geben Sie eine gültige URL ein." in field_block(response.text, "id_website")
    assert 'value="Hamburg"' in field_block(response.text, "id_city")
    assert 'value="kein-link"' in field_block(response.text, "id_website")
    assert re.search(r'<option value="A" selected>', field_block(response.text, "id_tier"))


def test_create_account_with_a_parent_one_may_only_read_is_refused_on_the_form(
    kam, account, reader, reader_client
):
    response = reader_client.post(
        reverse("accounts:create"),
        account_data(kam, name="Tochter ohne Recht", parent=account.pk),
    )
    assert response.status_code == 422
    assert "Sie dürfen dieser Gruppe keine Kunden hinzufügen." in field_block(
        response.text, "id_parent"
    )
    assert not Account.objects.filter(name="Tochter ohne Recht").exists()


def test_create_account_with_an_invisible_parent_is_refused(kam, account, outsider_client):
    response = outsider_client.post(
        reverse("accounts:create"), account_data(kam, name="Fremd", parent=account.pk)
    )
    assert response.status_code == 422
    assert "has-error" in field_block(response.text, "id_parent")
    assert account.name not in response.text  # not even offered as a choice
    assert not Account.objects.filter(name="Fremd").exists()


def test_edit_cannot_make_a_subsidiary_the_parent(kam, kam_client):
    group = make_account(owner=kam, name="Holding AG")
    child = make_account(owner=kam, name="Werk Ulm", parent=group)

    form = kam_client.get(reverse("accounts:edit", args=[group.pk]))
    parent_choices = field_block(form.text, "id_parent")
    assert "Werk Ulm" not in parent_choices and "Holding AG" not in parent_choices

    response = kam_client.post(
        reverse("accounts:edit", args=[group.pk]), account_data_of(group, parent=child.pk)
    )
    assert response.status_code == 422
    assert "has-error" in field_block(response.text, "id_parent")
    group.refresh_from_db()
    assert group.parent_id is None
    assert group.path == f"/{group.pk}/"


def test_edit_cannot_move_the_account_into_a_group_one_may_only_read(
    kam, other_kam, kam_client, account
):
    foreign = make_account(owner=other_kam, name="Fremdkonzern")
    services.team_member_set(
        actor=other_kam, account=foreign, user=kam, role="sales_rep", can_edit=False
    )
    response = kam_client.post(
        reverse("accounts:edit", args=[account.pk]), account_data_of(account, parent=foreign.pk)
    )
    assert response.status_code == 422
    assert "Sie dürfen dieser Gruppe keine Kunden hinzufügen." in field_block(
        response.text, "id_parent"
    )
    account.refresh_from_db()
    assert (account.parent_id, account.path) == (None, f"/{account.pk}/")


def test_edit_records_history_with_the_acting_user(kam, kam_client, account):
    response = kam_client.post(
        reverse("accounts:edit", args=[account.pk]),
        account_data_of(account, status="key_account", tier="A"),
    )
    assert response.status_code == 302
    latest = Account.history.filter(id=account.pk).latest("history_date")
    assert latest.history_type == "~"
    assert latest.history_user == kam

    history = kam_client.get(reverse("accounts:tab", args=[account.pk, "history"]), **HTMX).text
    first_entry = history[history.index("<li>") : history.index("</li>\n")]
    assert str(kam) in first_entry
    assert "geändert" in first_entry
    assert "Status: <del>Interessent</del> → <ins>Key Account</ins>" in first_entry


@pytest.fixture
def subsidiary_owner(kam, other_kam, account):
    """`other_kam` owns a subsidiary of `kam`'s group and cannot see the group itself."""
    child = make_account(owner=kam, name="Werk Ulm", parent=account)
    return services.account_update(actor=kam, account=child, owner=other_kam)


def test_subsidiary_owner_does_not_see_the_group_in_the_breadcrumb(other_kam, subsidiary_owner):
    page = client_for(other_kam).get(reverse("accounts:detail", args=[subsidiary_owner.pk]))
    assert page.status_code == 200
    assert "Müller Maschinenbau AG" not in page.text


def test_subsidiary_owner_does_not_see_the_group_name_in_the_list(other_kam, subsidiary_owner):
    listing = client_for(other_kam).get(reverse("accounts:list"))
    assert result_names(listing.text) == ["Werk Ulm"]
    assert "Müller Maschinenbau AG" not in listing.text


def test_saving_the_edit_form_unchanged_keeps_everything(kam, kam_client, subsidiary_owner):
    url = reverse("accounts:edit", args=[subsidiary_owner.pk])
    data = form_values(kam_client.get(url).text)
    assert kam_client.post(url, data).status_code == 302
    child = Account.objects.get(pk=subsidiary_owner.pk)
    assert (child.parent_id, child.name, child.owner_id) == (
        subsidiary_owner.parent_id,
        "Werk Ulm",
        subsidiary_owner.owner_id,
    )


def test_subsidiary_owner_editing_the_city_keeps_it_in_the_group(
    other_kam, account, subsidiary_owner
):
    client = client_for(other_kam)
    url = reverse("accounts:edit", args=[subsidiary_owner.pk])
    data = form_values(client.get(url).text) | {"city": "Ulm"}

    response = client.post(url, data)

    assert response.status_code == 302
    child = Account.objects.get(pk=subsidiary_owner.pk)
    assert child.city == "Ulm"
    assert child.parent_id == account.pk
    assert child.path == f"/{account.pk}/{child.pk}/"


# --- Figures ----------------------------------------------------------------------------


def test_figures_form_saves_and_shows_the_new_row(kam_client, account):
    response = kam_client.post(
        reverse("accounts:figures_save", args=[account.pk]),
        figures_data(revenue="1500", revenue_target="2000"),
        **HTMX,
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "1.500 €" in response.text
    assert "75,0 %" in response.text  # attainment
    assert "Kennzahlen für 2025 wurden gespeichert" in response["HX-Trigger"].encode().decode(
        "unicode_escape"
    )


@pytest.mark.parametrize("htmx", [True, False])
def test_figures_form_with_negative_revenue_is_refused(kam_client, account, htmx):
    response = kam_client.post(
        reverse("accounts:figures_save", args=[account.pk]),
        figures_data(revenue="-5"),
        **(HTMX if htmx else {}),
    )
    assert response.status_code == 422
    assert "Darf nicht negativ sein." in field_block(response.text, "id_revenue")
    assert 'value="-5"' in field_block(response.text, "id_revenue")
    assert not YearlyFigures.objects.exists()


def test_figures_form_with_year_1800_is_refused(kam_client, account):
    response = kam_client.post(
        reverse("accounts:figures_save", args=[account.pk]), figures_data(year="1800"), **HTMX
    )
    assert response.status_code == 422
    assert "Das Jahr muss 2000 oder später sein." in field_block(response.text, "id_year")
    assert not YearlyFigures.objects.exists()


# --- Contacts ---------------------------------------------------------------------------


def test_contact_created_inline_appears_in_the_contacts_tab(kam_client, account):
    form = kam_client.get(reverse("accounts:contact_create", args=[account.pk]), **HTMX)
    assert form.text.lstrip().startswith('<article id="contact-form">')

    response = kam_client.post(
        reverse("accounts:contact_create", args=[account.pk]), contact_data(), **HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="contact-form-slot"' in response.text
    assert "Max Neumann" in response.text
    assert "HX-Retarget" not in response
    assert Contact.objects.get(account=account).email == "max.neumann@example.com"


def test_contact_with_bad_email_reshows_the_form_in_place(kam_client, account):
    response = kam_client.post(
        reverse("accounts:contact_create", args=[account.pk]),
        contact_data(email="kein-mail", last_name="Fehler"),
        **HTMX,
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#contact-form"
    assert response["HX-Reswap"] == "outerHTML"
    assert response.text.lstrip().startswith('<article id="contact-form">')
    email = field_block(response.text, "id_email")
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in email
    assert 'value="kein-mail"' in email
    assert 'value="Fehler"' in field_block(response.text, "id_last_name")
    assert not Contact.objects.exists()


def test_contact_cannot_report_to_a_contact_of_another_group(kam, kam_client, account):
    stranger = make_contact(account=make_account(owner=kam, name="Anderer Konzern"))
    response = kam_client.post(
        reverse("accounts:contact_create", args=[account.pk]),
        contact_data(reports_to=stranger.pk),
        **HTMX,
    )
    assert response.status_code == 422
    assert "has-error" in field_block(response.text, "id_reports_to")
    assert not Contact.objects.filter(account=account).exists()


def test_contact_marked_left_is_flagged_everywhere(kam_client, account):
    boss = make_contact(
        account=account, first_name="Petra", last_name="Vogel", buying_role="decision_maker"
    )
    left_on = timezone.localdate() - timedelta(days=10)

    response = kam_client.post(
        reverse("accounts:contact_left", args=[boss.pk]), {"left_on": left_on.isoformat()}
    )

    assert response.status_code == 302
    boss.refresh_from_db()
    assert (boss.is_active, boss.left_on) == (False, left_on)
    detail = kam_client.get(reverse("accounts:contact_detail", args=[boss.pk])).text
    assert "Ausgeschieden" in detail
    assert "Kontakt hat das Unternehmen verlassen" not in detail  # the form is gone
    tab = kam_client.get(reverse("accounts:tab", args=[account.pk, "contacts"]), **HTMX).text
    assert re.search(r"Petra Vogel</a> <span class=\"badge[^\"]*\">ausgeschieden</span>", tab)
    listing = kam_client.get(reverse("accounts:contacts")).text
    assert re.search(r"Petra Vogel</a> <span class=\"badge[^\"]*\">ausgeschieden</span>", listing)
    relationship_map = kam_client.get(
        reverse("accounts:tab", args=[account.pk, "map"]), **HTMX
    ).text
    assert 'data-gap="key_player_left"' in relationship_map
    assert 'data-gap="no_decision_maker"' in relationship_map  # she was the only one
    assert f"Petra Vogel ({left_on:%d.%m.%Y})" in relationship_map


def test_contact_left_in_the_future_is_refused_with_a_message(kam_client, account, contact):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = kam_client.post(
        reverse("accounts:contact_left", args=[contact.pk]),
        {"left_on": tomorrow.isoformat()},
        follow=True,
    )
    assert "Das Austrittsdatum darf nicht in der Zukunft liegen." in response.text
    assert Contact.objects.get(pk=contact.pk).is_active


def gaps(client, account) -> set[str]:
    """The missing roles the map names (contradictions are tested on their own)."""
    html = client.get(reverse("accounts:tab", args=[account.pk, "map"]), **HTMX).text
    return {code for code in re.findall(r'data-gap="([a-z_]+)"', html) if code.startswith("no_")}


def test_relationship_map_flags_missing_key_roles(kam_client, account):
    make_contact(account=account, last_name="Ohne Rolle")
    assert gaps(kam_client, account) == {
        "no_decision_maker",
        "no_champion",
        "no_executive_sponsor",
    }
    make_contact(account=account, last_name="Entscheider", buying_role="decision_maker")
    make_contact(account=account, last_name="Fan", buying_role="champion")
    assert gaps(kam_client, account) == {"no_executive_sponsor"}
    make_contact(account=account, last_name="Pate", buying_role="executive_sponsor")
    assert gaps(kam_client, account) == set()


def test_relationship_map_draws_the_reporting_lines(kam_client, account):
    boss = make_contact(account=account, first_name="Anna", last_name="Chef")
    make_contact(account=account, first_name="Bernd", last_name="Team", reports_to=boss)
    html = kam_client.get(reverse("accounts:tab", args=[account.pk, "map"]), **HTMX).text
    chart = html[html.index('<ul class="org-chart">') :]
    # Bernd is drawn inside Anna's node, one level down.
    assert re.search(r"Anna Chef.*?<ul>\s*<li>.*?Bernd Team", chart, re.DOTALL)
    assert chart.count('class="person') == 2


def test_relationship_map_of_a_group_includes_subsidiaries(kam, kam_client, account):
    child = make_account(owner=kam, name="Werk Ulm", parent=account)
    make_contact(account=child, first_name="Uwe", last_name="Werk", buying_role="champion")
    html = kam_client.get(reverse("accounts:tab", args=[account.pk, "map"]), **HTMX).text
    assert "Uwe Werk" in html
    assert "(Werk Ulm)" in html
    # Roles are checked per account: Ulm's champion does not stand in for the holding's.
    assert "Kein Champion (Fürsprecher) auf Kundenseite bei Müller Maschinenbau AG." in html
    assert "Kein Champion (Fürsprecher) auf Kundenseite bei Werk Ulm." not in html


def test_pages_need_sign_in(account):
    response = Client().get(reverse("accounts:detail", args=[account.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_head_of_sales_sees_every_account(head_client, account, other_kam):
    other = make_account(owner=other_kam, name="Fremdkunde")
    names = result_names(head_client.get(reverse("accounts:list")).text)
    assert names == ["Fremdkunde", "Müller Maschinenbau AG"]
    assert head_client.get(reverse("accounts:edit", args=[other.pk])).status_code == 200


def test_sales_rep_on_no_team_sees_an_empty_list(db):
    rep = UserFactory(role=Role.SALES_REP)
    make_account(owner=UserFactory(role=Role.KEY_ACCOUNT_MANAGER), name="Irgendwer")
    assert result_names(client_for(rep).get(reverse("accounts:list")).text) == []


def test_deep_page_shows_its_own_rows_in_order_with_their_figures(kam, kam_client):
    for number in range(30):
        account = make_account(owner=kam, name=f"Firma {number:02d}")
        services.figures_put(
            actor=kam, account=account, year=timezone.localdate().year, revenue=1000 + number
        )
    response = kam_client.get(reverse("accounts:list"), {"page": "2", "ordering": "-revenue"})
    assert result_names(response.text) == [f"Firma {n:02d}" for n in range(4, -1, -1)]
    assert "1.004" in response.text


def test_owner_filter_is_a_type_ahead_not_a_select_of_every_user(kam, other_kam, kam_client):
    make_account(owner=kam, name="Eigene GmbH")
    html = kam_client.get(reverse("accounts:list")).text
    assert 'name="owner"' in html and '<select name="owner"' not in html
    assert str(other_kam.get_full_name()) not in html  # no user list in the page


def test_owner_suggestions_are_account_owners_matching_what_was_typed(
    kam, other_kam, kam_client, django_assert_num_queries
):
    make_account(owner=kam, name="Eigene GmbH")  # other_kam owns no account
    url = reverse("accounts:user_options")
    with django_assert_num_queries(3):  # session, user, suggestions
        html = kam_client.get(url, {"field": "owner", "owner": kam.last_name[:3]}, **HTMX).text
    assert f'<option value="{kam.get_full_name()} ({kam.username})">' in html
    assert other_kam.username not in kam_client.get(url, {"field": "owner"}).text
    everyone = kam_client.get(url, {"field": "owner", "scope": "all"}).text
    assert other_kam.username in everyone


def test_owner_filter_takes_a_username_or_an_id(kam, other_kam, kam_client):
    make_account(owner=kam, name="Eigene GmbH")
    make_account(owner=other_kam, actor=other_kam, name="Fremde GmbH")
    services_visible = {"owner": kam.username}
    assert result_names(kam_client.get(reverse("accounts:list"), services_visible).text) == [
        "Eigene GmbH"
    ]
    by_id = kam_client.get(reverse("accounts:list"), {"owner": kam.pk}).text
    assert result_names(by_id) == ["Eigene GmbH"]
    unknown = kam_client.get(reverse("accounts:list"), {"owner": "niemand"}).text
    assert "Kein aktiver Benutzer mit diesem Namen." in unknown
