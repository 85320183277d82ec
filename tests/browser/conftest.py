"""Playwright in Debian's Chromium, against Django's live server."""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    # The live server serves files from the finders under their plain names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    # A CSP violation or a script error is a bug: collect them and fail the test.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}") if r.status == 404 or r.status >= 500 else None
        ),
    )
    yield page
    context.close()
    if any(e.startswith("htmx:sendAbort") for e in errors):
        # A request htmx dropped because the page moved on (the element it would fill was
        # replaced): htmx reports it as an error pair, but nothing failed.
        errors = [e for e in errors if not e.startswith(("htmx:sendAbort", "htmx:afterRequest"))]
    assert not [e for e in errors if "favicon" not in e and "Failed to load" not in e], errors


@pytest.fixture
def sign_in(page):
    def sign_in_as(user, password: str = PASSWORD):
        page.goto("/login/")
        page.get_by_label("Benutzername").fill(user.username)
        page.get_by_label("Passwort").fill(password)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    return sign_in_as
