"""Coaching in Chromium: the rep opens the briefing sheet from the coaching plan, sees the
buying center and the do's and don'ts, confirms, and the KAM sees the confirmation."""

import pytest
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import TeamMembership
from planning.coaching import services
from tests.factories import UserFactory, make_account, make_contact
from users.models import Role

pytestmark = pytest.mark.browser


@pytest.fixture
def setting(kam):
    account = make_account(owner=kam, name="Hanse Logistik AG")
    rep = UserFactory(username="vertrieb1", role=Role.SALES_REP, first_name="Vera", last_name="Rep")
    account_services.team_member_set(
        actor=kam,
        account=account,
        user=rep,
        role=TeamMembership.TeamRole.SALES_REP,
        can_edit=False,
    )
    make_contact(
        account=account,
        first_name="Dora",
        last_name="Entscheider",
        buying_role="decision_maker",
        attitude="critic",
    )
    plan = services.coaching_plan_create(
        actor=kam,
        account=account,
        reps=[rep],
        title="Briefing Jahresgespräch",
        dos_and_donts="+ Verfügbarkeit mit Zahlen belegen\n- Keine Preiszusagen machen",
    )
    return plan, rep


def test_rep_confirms_the_briefing_and_the_kam_sees_it(page, sign_in, kam, setting):
    plan, rep = setting
    sign_in(kam)
    page.goto(f"/planning/coaching/{plan.pk}/")
    status = page.locator(f'[data-testid=confirmations] li[data-rep="{rep.username}"]')
    expect(status).to_have_attribute("data-confirmed", "no")

    page.context.clear_cookies()
    sign_in(rep)
    # From the account's Planning tab: the coaching section lists the plan.
    page.goto(f"/accounts/{plan.account_id}/?tab=planning")
    section = page.locator("[data-testid=coaching-section]")
    expect(section.locator("tr", has_text="Briefing Jahresgespräch")).to_have_count(1)
    expect(section.locator("form")).to_have_count(0)  # a rep reads, the KAM plans
    section.locator(f'a[href="/planning/coaching/{plan.pk}/briefing/"]').click()
    sheet = page.locator("[data-testid=briefing-sheet]")
    expect(sheet).to_be_visible()
    buying_center = page.locator("[data-testid=buying-center]")
    expect(buying_center).to_contain_text("Dora Entscheider")
    expect(buying_center.locator("tr", has_text="Dora Entscheider")).to_have_count(1)
    expect(page.locator("[data-testid=dos]")).to_contain_text("Verfügbarkeit mit Zahlen belegen")
    expect(page.locator("[data-testid=donts]")).to_contain_text("Keine Preiszusagen machen")
    expect(page.locator("[data-print]")).to_be_visible()

    # Printed, the sheet keeps its content but drops buttons and navigation.
    page.emulate_media(media="print")
    expect(page.locator("[data-print]")).to_be_hidden()
    expect(page.locator("#briefing-confirm")).to_be_hidden()
    expect(buying_center).to_be_visible()
    page.emulate_media(media="screen")

    page.locator("#briefing-confirm button[type=submit]").click()
    expect(page.locator("[data-testid=briefing-confirmed]")).to_be_visible()
    expect(page.locator("#briefing-confirm button[type=submit]")).to_have_count(0)

    page.context.clear_cookies()
    sign_in(kam)
    page.goto(f"/planning/coaching/{plan.pk}/")
    expect(status).to_have_attribute("data-confirmed", "yes")


def test_kam_creates_a_plan_in_the_planning_tab_and_adds_materials(
    page, sign_in, kam, setting, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan, rep = setting
    sign_in(kam)
    page.goto(f"/accounts/{plan.account_id}/?tab=planning")
    section = page.locator("[data-testid=coaching-section]")
    section.locator("summary").click()
    section.locator("button[type=submit]").click()  # no title: refused in place
    expect(section.locator(".field-error")).to_have_count(1)
    section.locator("input[name=title]").fill("Messe Hannover")
    section.locator(f'input[name=reps][value="{rep.pk}"]').check()
    section.locator("textarea[name=dos_and_donts]").fill("+ Standplan mitbringen")
    section.locator("button[type=submit]").click()
    expect(page.get_by_role("heading", level=1, name="Messe Hannover")).to_be_visible()

    materials = page.locator("#materials")
    materials.locator("input[name=file]").set_input_files(
        files=[{"name": "Standplan.pdf", "mimeType": "application/pdf", "buffer": b"kein PDF"}]
    )
    materials.locator("button[type=submit]").last.click()
    expect(page.locator("#materials .field-error")).to_have_count(1)
    expect(page.locator("#materials [data-testid=materials] a[download]")).to_have_count(0)

    page.locator("#materials input[name=file]").set_input_files([])
    page.locator("#materials input[name=title]").fill("Messeleitfaden")
    page.locator("#materials input[name=url]").fill("https://intranet.example.com/messe")
    page.locator("#materials button[type=submit]").last.click()
    expect(page.locator("#materials [data-testid=materials]")).to_contain_text("Messeleitfaden")
    expect(page.locator("#materials .field-error")).to_have_count(0)
