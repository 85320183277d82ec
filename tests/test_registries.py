"""The account header, My work and the search show what other apps register in
kam.registry, in the order given, and nothing of an app that returns None."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from kam import registry
from kam.registry import HeaderFact, MyWorkSection, SearchProvider


@dataclass
class Result:
    title: str
    detail: str
    url: str


@pytest.fixture
def registered():
    """Entries registered for one test and removed afterwards."""
    added = []

    def add(entries, entry):
        entries.register(entry)
        added.append((entries, entry.key))

    yield add
    for entries, key in added:
        entries.unregister(key)


def test_the_header_shows_the_registered_facts_in_order(kam_client, account):
    page = kam_client.get(reverse("accounts:detail", args=[account.pk])).text
    assert page.index('data-testid="open-pipeline"') < page.index("Offene Anliegen")
    assert page.index("Offene Anliegen") < page.index('data-testid="fact-follow-ups"')
    keys = [fact.key for fact in registry.header_facts]
    assert keys == ["pipeline", "open_issues", "follow_ups", "portfolio"]


def test_a_header_fact_returning_none_shows_nothing(kam_client, account, registered):
    registered(
        registry.header_facts,
        HeaderFact(
            key="nothing",
            compute=lambda **kwargs: None,
            template="no/such/template.html",
        ),
    )
    assert kam_client.get(reverse("accounts:detail", args=[account.pk])).status_code == 200


def test_my_work_shows_the_registered_sections_in_order(kam_client):
    page = kam_client.get(reverse("activities:my_work")).text
    follow_ups = page.index('data-testid="open-follow-ups"')
    actions = page.index('data-testid="open-plan-actions"')
    issues = page.index('data-testid="my-issues"')
    stale = page.index('data-testid="stale-contacts"')
    assert follow_ups < actions < issues < stale


def test_my_work_leaves_out_a_section_with_nothing_to_say(kam_client, registered):
    registered(
        registry.my_work_sections,
        MyWorkSection(key="nothing", fetch=lambda **kwargs: None, template="no/such.html"),
    )
    assert kam_client.get(reverse("activities:my_work")).status_code == 200


def test_search_shows_the_results_of_registered_providers(kam_client, kam, registered):
    seen = {}

    def search(*, user, query, limit):
        seen.update(user=user, query=query, limit=limit)
        return [Result(title="Rahmenvertrag 2026", detail="Müller", url="/contracts/7/")]

    registered(registry.search_providers, SearchProvider(key="c", label="Verträge", search=search))
    page = kam_client.get(reverse("accounts:search"), {"q": " Rahmen "}).text
    assert '<a href="/contracts/7/">Rahmenvertrag 2026</a> <small>Müller</small>' in page
    assert "<h2>Verträge</h2>" in page
    assert seen == {"user": kam, "query": "Rahmen", "limit": 8}


def test_search_asks_no_provider_for_a_one_letter_query(kam_client, registered):
    def search(**kwargs):
        raise AssertionError("not asked")

    registered(registry.search_providers, SearchProvider(key="c", label="Verträge", search=search))
    assert kam_client.get(reverse("accounts:search"), {"q": "R"}).status_code == 200
