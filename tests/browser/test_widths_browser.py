"""Every main page fits a laptop (1366 px) and a phone (390 px): the document is never
wider than the window, so nothing needs sideways scrolling of the page itself."""

from datetime import timedelta

import pytest
from django.utils import timezone

from activities import services as activity_services
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/accounts/",
    "/accounts/{account}/",
    "/accounts/contacts/",
    "/activities/",
    "/activities/my-work/",
    "/deals/",
    "/deals/list/",
    "/contracts/",
    "/contracts/deadlines/",
    "/care/issues/",
    "/planning/",
    "/profile/",
]


@pytest.mark.parametrize("width", [1366, 390])
def test_no_main_page_is_wider_than_the_window(page, sign_in, kam, width):
    ensure_default_stages()
    account = make_account(
        owner=kam,
        name="Brenner Fahrzeugwerke GmbH & Co. KG Niederlassung Süd",
        status="key_account",
    )
    make_contact(account=account, first_name="Hannelore", last_name="Schmidt-Rottluff")
    activity_services.follow_up_create(
        actor=kam,
        account=account,
        owner=kam,
        title="Überarbeitetes Angebot für die Rahmenvereinbarung schicken",
        due_on=timezone.localdate() - timedelta(days=1),
    )
    make_opportunity(account=account, stage="proposal", title="Antriebseinheiten Werk Ingolstadt")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(kam)

    too_wide = {}
    for path in PAGES:
        page.goto(path.format(account=account.pk))
        page.wait_for_load_state("networkidle")
        document_width = page.evaluate("document.documentElement.scrollWidth")
        if document_width > width:
            too_wide[path] = document_width
    assert too_wide == {}
