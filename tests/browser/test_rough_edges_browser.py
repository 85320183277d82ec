"""Rough edges found by a walk through every page, checked in Chromium: the suggestions
of the "Log contact" dialog are readable (computed colours) and close after a choice;
the header shows every navigation link on one line, uncovered, at 1366 and 1280 px in
German and English; the open issue count in the account header follows an in-place
change; the bell is an icon with a spoken count; a planned visit's invitation buttons sit
side by side."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.services import activity_log
from customer_care.models import ensure_default_departments
from tests.factories import make_contact
from tests.reminders.test_views import remind

pytestmark = pytest.mark.browser

# The relative luminance contrast (WCAG 2) between an element's text colour and the first
# opaque background behind it.
CONTRAST = """(el) => {
  // Any CSS colour to sRGB bytes: paint it on a canvas and read the pixel back.
  const ctx = Object.assign(document.createElement('canvas'), {width: 1, height: 1})
    .getContext('2d', {willReadFrequently: true});
  const rgba = (colour) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = colour;
    ctx.fillRect(0, 0, 1, 1);
    return Array.from(ctx.getImageData(0, 0, 1, 1).data);
  };
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let node = el, bg = [255, 255, 255, 255];
  while (node && node.nodeType === 1) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c[3] > 230) { bg = c; break; }
    node = node.parentElement;
  }
  const fg = rgba(getComputedStyle(el).color);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return {ratio: (a + 0.05) / (b + 0.05), fg: fg.join(","), bg: bg.join(",")};
}"""


def contrast(locator) -> float:
    """The contrast once Pico's colour transition (0.2 s) has run: a busy machine may
    measure a freshly inserted suggestion in the middle of it."""
    for _ in range(15):
        measured = locator.evaluate(CONTRAST)
        if measured["ratio"] >= 4.5:
            return measured["ratio"]
        locator.page.wait_for_timeout(100)
    raise AssertionError((measured, locator.evaluate(STYLES)))


# What the contrast rests on, for the failure message.
STYLES = """(el) => {
  const out = [];
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const style = getComputedStyle(node);
    out.push(`${node.tagName}.${node.className} color=${style.color} bg=${style.backgroundColor}`);
  }
  return out.join(" | ");
}"""


def test_log_contact_suggestions_are_readable_and_close_after_a_choice(page, sign_in, kam, account):
    make_contact(account=account, first_name="Jana", last_name="Krüger")
    sign_in(kam)
    page.goto("/activities/my-work/")
    page.get_by_test_id("log-contact").click()
    dialog = page.locator("#modal-dialog")
    dialog.locator("#find-account").fill("Müller")
    suggestion = dialog.locator("#find-account-results [data-pick]").first
    expect(suggestion).to_contain_text(account.name)
    contrast(suggestion)
    suggestion.hover()  # under the mouse too
    contrast(suggestion)
    suggestion.click()
    expect(dialog.get_by_test_id("picker-account").locator(".chip")).to_contain_text(account.name)
    expect(dialog.locator("#find-account")).to_be_focused()
    page.wait_for_timeout(600)  # longer than the type-ahead's delay
    expect(dialog.locator("#find-account-results li")).to_have_count(0)

    dialog.locator("#find-contacts").fill("Krü")
    contact = dialog.locator("#find-contacts-results [data-pick]").first
    expect(contact).to_contain_text("Jana Krüger")
    contrast(contact)
    contact.focus()  # reached with the arrow key
    contrast(contact)
    contact.click()
    page.wait_for_timeout(600)
    expect(dialog.locator("#find-contacts-results li")).to_have_count(0)
    expect(dialog.get_by_test_id("picker-contacts").locator(".chip")).to_contain_text("Jana")


# Every navigation link is on screen, on the same line, and nothing of the header lies on
# top of it; the header items do not overlap one another.
HEADER = """() => {
  const links = Array.from(document.querySelectorAll('.nav-links a'));
  const hidden = [];
  for (const link of links) {
    const r = link.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const top = document.elementFromPoint(x, y);
    if (!r.width || r.right > window.innerWidth || !top || !link.contains(top)) {
      hidden.push(link.textContent.trim());
    }
    // Also the link's right end: a box that covers only its end hides letters.
    const end = document.elementFromPoint(r.right - 3, y);
    if (end && !link.contains(end) && !hidden.includes(link.textContent.trim())) {
      hidden.push(link.textContent.trim());
    }
  }
  const tops = new Set(links.map(l => Math.round(l.getBoundingClientRect().top)));
  const items = Array.from(document.querySelectorAll('.shell-bar > *'))
    .filter(el => el.getClientRects().length && el.offsetHeight > 0)
    .map(el => el.getBoundingClientRect());
  let overlaps = 0;
  for (let i = 1; i < items.length; i++) if (items[i].left < items[i - 1].right - 1) overlaps++;
  return {count: links.length, hidden, lines: tops.size, overlaps,
          right: Math.max(...items.map(r => r.right))};
}"""


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("width", [1366, 1280])
def test_header_shows_every_navigation_link_on_one_line(page, sign_in, kam, width, language):
    kam.language = language
    kam.save(update_fields=["language"])
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(kam)
    page.goto("/accounts/")
    page.wait_for_load_state("networkidle")
    measured = page.evaluate(HEADER)
    assert measured["count"] >= 9
    assert measured["hidden"] == []
    assert measured["lines"] == 1
    assert measured["overlaps"] == 0
    assert measured["right"] <= width


def test_bell_is_an_icon_with_a_spoken_count(page, sign_in, kam, account):
    for number in range(2):
        remind(kam, number)
    sign_in(kam)
    page.goto("/accounts/")
    bell = page.get_by_test_id("reminder-bell")
    expect(bell).to_have_attribute("aria-label", "2 ungelesene Erinnerungen")
    icon = bell.locator("svg")
    expect(icon).to_be_visible()
    assert icon.evaluate("el => el.getBoundingClientRect().width") >= 16


def test_issue_count_in_the_account_header_follows_an_in_place_change(page, sign_in, kam, account):
    ensure_default_departments()
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/?tab=issues")
    fact = page.get_by_test_id("fact-open-issues")
    expect(fact.locator("dd")).to_have_text("0")
    page.locator("details.inline-form > summary").click()
    form = page.locator("#issue-form")
    form.locator("#id_title").fill("Lieferung verspätet")
    form.locator("#id_department").select_option(index=1)
    form.get_by_role("button").last.click()
    expect(page.locator("#tab-panel")).to_contain_text("Lieferung verspätet")
    expect(fact.locator("dd")).to_have_text("1")  # without a reload

    # On the issue's page, a status change shows in the history at once.
    page.get_by_role("link", name="Lieferung verspätet").first.click()
    history = page.get_by_test_id("issue-history")
    before = history.locator("ol.history > li").count()
    page.locator("#status-form select[name=status]").select_option("in_progress")
    page.locator("#status-form button[type=submit]").click()
    expect(page.get_by_test_id("issue-status")).to_have_text("In Bearbeitung")
    expect(history.locator("ol.history > li")).to_have_count(before + 1)


def test_invitation_buttons_of_a_planned_visit_sit_side_by_side(page, sign_in, kam, account):
    visit = activity_log(
        actor=kam, account=account, kind="visit", subject="Werksbesuch",
        occurred_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    sign_in(kam)
    page.goto(f"/activities/{visit.pk}/")
    actions = page.get_by_test_id("invitation-actions")
    download = actions.get_by_test_id("invitation-download")
    send = actions.get_by_test_id("invitation-send")  # inside the box, not after it
    expect(send).to_be_visible()
    first, second = download.bounding_box(), send.bounding_box()
    assert first is not None and second is not None
    assert abs(first["y"] - second["y"]) < 4  # one row
    assert second["width"] < 400  # a button, not a bar across the page
