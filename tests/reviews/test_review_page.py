"""The review page's navigation: it names every part of the folder, marks which are
filled, and its progress line counts the parts, the items going to the customer and the
last render."""

import re

from django.urls import reverse

from reviews import services
from tests.reviews.helpers import render


def _nav(client, review) -> str:
    page = client.get(reverse("reviews:detail", args=[review.pk])).text
    return page.split('data-testid="review-nav"')[1].split("</nav>")[0]


def _filled(nav: str) -> dict[str, str]:
    return {
        label.strip(): filled
        for filled, label in re.findall(
            r'data-filled="(\d)"><span aria-hidden="true">[^<]*</span> ([^<]+)', nav
        )
    }


def test_navigation_marks_filled_parts_and_counts_them(kam_client, kam, review):
    nav = _nav(kam_client, review)
    before = _filled(nav)
    assert before["Marktdaten"] == "0" and before["Kennzahlen"] == "1"
    assert 'href="#review-market"' in nav
    assert "noch nicht erstellt" in nav
    filled = int(re.search(r"(\d+) von 7 Teilen gefüllt", nav).group(1))

    services.market_figure_save(actor=kam, review=review, topic="Marktvolumen", figure="4 Mrd")
    nav = _nav(kam_client, review)
    assert _filled(nav)["Marktdaten"] == "1"
    assert f"{filled + 1} von 7 Teilen gefüllt" in nav


def test_progress_counts_customer_items_and_names_the_last_render(
    kam_client, kam, review, django_capture_on_commit_callbacks
):
    render(review, kam, django_capture_on_commit_callbacks)
    nav = _nav(kam_client, review)
    shown, total = map(int, re.search(r"(\d+) von (\d+) Einträgen für den Kunden", nav).groups())
    assert 0 < shown <= total
    assert "zuletzt erstellt: Version 1" in nav


HTMX = {"HTTP_HX_REQUEST": "true"}


def _oob_nav(response) -> str:
    """The navigation an in-place change sends along to replace the page's one."""
    text = response.text
    assert 'id="review-nav" hx-swap-oob="true"' in text
    return text.split('id="review-nav" hx-swap-oob="true"')[1].split("</nav>")[0]


def test_in_place_changes_bring_the_progress_line_up_to_date(kam_client, kam, review):
    nav = _nav(kam_client, review)
    shown, total = map(int, re.search(r"(\d+) von (\d+) Einträgen für den Kunden", nav).groups())
    filled = int(re.search(r"(\d+) von 7 Teilen gefüllt", nav).group(1))

    # Hiding every row of the key figures: the count of items for the customer drops at once.
    rows = len(review.sections.get(kind="figures").data["rows"])
    response = kam_client.post(
        reverse("reviews:section_shown", args=[review.pk, "figures"]), {"all": "0"}, **HTMX
    )
    assert response.status_code == 200
    assert f"{shown - rows} von {total} Einträgen für den Kunden" in _oob_nav(response)

    # Adding market data fills a part, without reloading the page.
    response = kam_client.post(
        reverse("reviews:item_add", args=[review.pk, "market"]),
        {"market-topic": "Marktvolumen", "market-figure": "4 Mrd"},
        **HTMX,
    )
    assert response.status_code == 200, response.text[:500]
    nav = _oob_nav(response)
    assert f"{filled + 1} von 7 Teilen gefüllt" in nav
    assert _filled(nav)["Marktdaten"] == "1"
