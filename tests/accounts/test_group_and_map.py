"""The group structure tab and the relationship map: what each user sees, and in how
many queries."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import selectors, services
from tests.conftest import client_for
from tests.factories import make_account, make_contact

HTMX = {"HTTP_HX_REQUEST": "true"}


def year() -> int:
    return selectors.current_year()


def figures(kam, account, revenue: str, margin: str) -> None:
    services.figures_put(
        actor=kam,
        account=account,
        year=year(),
        revenue=Decimal(revenue),
        contribution_margin=Decimal(margin),
    )


def group_tab(client, account) -> str:
    return client.get(reverse("accounts:tab", args=[account.pk, "group"]), **HTMX).text


def tree_names(html: str) -> list[str]:
    """Account names in the tree, in order, with their depth (nested <ul> count)."""
    names, depth = [], 0
    for token in re.finditer(
        r"<ul>|</ul>|<strong aria-current=\"page\">([^<]+)<|"
        r"\?tab=group\">([^<]+)<",
        html,
    ):
        if token.group(0) == "<ul>":
            depth += 1
        elif token.group(0) == "</ul>":
            depth -= 1
        else:
            names.append((depth, token.group(1) or token.group(2)))
    return names


@pytest.fixture
def group(kam, account):
    ulm = make_account(owner=kam, name="Werk Ulm", parent=account)
    lyon = make_account(owner=kam, name="Usine Lyon", parent=account)
    press = make_account(owner=kam, name="Presswerk Ulm", parent=ulm)
    figures(kam, account, "1000000", "250000")
    figures(kam, ulm, "400000", "60000")
    figures(kam, press, "100000", "30000")
    return {"ulm": ulm, "lyon": lyon, "press": press}


def test_group_tab_draws_the_group_as_a_tree_with_this_years_figures(kam_client, account, group):
    html = group_tab(kam_client, group["ulm"])
    assert tree_names(html) == [
        (1, "Müller Maschinenbau AG"),
        (2, "Usine Lyon"),
        (2, "Werk Ulm"),
        (3, "Presswerk Ulm"),
    ]
    row = html.split("Presswerk Ulm")[1].split("</li>")[0]
    assert "100.000 €" in row and "30.000 €" in row and "30,0 %" in row
    assert "Werk Ulm</strong>" in html  # the page's own account is marked, not linked


def test_subsidiary_owner_sees_only_their_part_of_the_group(other_kam, account, group):
    services.account_update(actor=account.owner, account=group["ulm"], owner=other_kam)
    html = group_tab(client_for(other_kam), group["ulm"])
    assert tree_names(html) == [(1, "Werk Ulm"), (2, "Presswerk Ulm")]
    assert "Müller Maschinenbau AG" not in html
    assert "Usine Lyon" not in html
    assert "1.000.000" not in html


def test_group_tab_runs_a_constant_number_of_queries(
    kam, kam_client, account, group, django_assert_num_queries
):
    url = reverse("accounts:tab", args=[group["ulm"].pk, "group"])
    with CaptureQueriesContext(connection) as small:
        kam_client.get(url, **HTMX)
    # The same count with four more members (below).
    assert len(small.captured_queries) == 8
    for number in range(4):
        child = make_account(owner=kam, name=f"Niederlassung {number}", parent=group["press"])
        figures(kam, child, "1000", "100")
    with django_assert_num_queries(len(small.captured_queries)):
        html = kam_client.get(url, **HTMX).text
    assert html.count("Niederlassung") == 4


def test_a_standalone_account_has_no_group_tab(kam_client, kam):
    alone = make_account(owner=kam, name="Einzelkunde GmbH")
    html = kam_client.get(reverse("accounts:detail", args=[alone.pk])).text
    assert 'id="tab-group"' not in html
    page = kam_client.get(reverse("accounts:detail", args=[alone.pk]), {"tab": "group"}).text
    assert 'id="tab-profile" aria-selected="true"' in page


def test_a_group_member_has_the_group_tab(kam_client, group):
    html = kam_client.get(reverse("accounts:detail", args=[group["lyon"].pk])).text
    assert 'id="tab-group"' in html


def test_map_does_not_name_a_manager_outside_the_users_scope(kam, other_kam, kam_client):
    holding = make_account(owner=other_kam, name="Geheim Holding AG")
    subsidiary = make_account(owner=kam, parent=holding, name="Tochter GmbH", actor=other_kam)
    boss = make_contact(account=holding, last_name="Verborgen", actor=other_kam)
    make_contact(account=subsidiary, last_name="Sichtbar", reports_to=boss, actor=other_kam)
    html = kam_client.get(reverse("accounts:tab", args=[subsidiary.pk, "map"]), **HTMX).text
    assert "Sichtbar" in html
    assert "Verborgen" not in html
    assert "Geheim Holding" not in html


def test_map_stacks_a_wide_team_of_leaves_in_a_column(kam_client, account):
    boss = make_contact(account=account, first_name="Anna", last_name="Chef")
    for name in ["Eins", "Zwei", "Drei"]:
        make_contact(account=account, first_name="Team", last_name=name, reports_to=boss)
    html = kam_client.get(reverse("accounts:tab", args=[account.pk, "map"]), **HTMX).text
    assert re.search(r'<li class="has-stack">.*?Anna Chef.*?<ul class="stack-column">', html, re.S)


def test_map_runs_a_constant_number_of_queries(kam_client, account, django_assert_num_queries):
    boss = make_contact(account=account, last_name="Chef")
    make_contact(account=account, last_name="Eins", reports_to=boss)
    url = reverse("accounts:tab", args=[account.pk, "map"])
    with CaptureQueriesContext(connection) as small:
        kam_client.get(url, **HTMX)
    # The same count with four more contacts (below).
    assert len(small.captured_queries) == 8
    for name in ["Zwei", "Drei", "Vier", "Fünf"]:
        make_contact(account=account, last_name=name, reports_to=boss)
    with django_assert_num_queries(len(small.captured_queries)):
        html = kam_client.get(url, **HTMX).text
    assert html.count('class="person') == 6
