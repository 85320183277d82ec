"""Load test of KAM CRM with the mix of a company of 200 key account managers:

- key account managers (70 %): home, My work, an account, logging a visit with a
  follow-up, moving a deal;
- heads of sales (10 %): cockpit, dashboard, pipeline, plans;
- integrations (20 %): paging through the API lists and pushing revenue figures.

Only against 127.0.0.1, headless, bounded by users and time, e.g. the smoke run (the
machine is shared: never a long run on it):

    KAM_LOAD_TOKEN=... .venv/bin/locust -f benchmarks/load/locustfile.py --headless \\
        --host http://127.0.0.1:8000 --users 5 --spawn-rate 5 --run-time 30s

Users sign in with the demo users (`manage.py seed_demo`, password DEMO_PASSWORD) or
KAM_LOAD_USERS / KAM_LOAD_HEADS / KAM_LOAD_PASSWORD; integrations use the API token in
KAM_LOAD_TOKEN (create one on the profile page).
"""

import os
import random
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("KAM_LOAD_PASSWORD", "demo-kam-2026")
KAMS = os.environ.get("KAM_LOAD_USERS", "kam,kam2").split(",")
HEADS = os.environ.get("KAM_LOAD_HEADS", "leitung").split(",")
TOKEN = os.environ.get("KAM_LOAD_TOKEN", "")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACCOUNT_LINK = re.compile(r'href="/accounts/(\d+)/"')
DEAL_LINK = re.compile(r'href="/deals/(\d+)/"')
STAGE_OPTION = re.compile(r'<option value="(\d+)"')


@events.init.add_listener
def only_local(environment, **kwargs) -> None:
    host = urlsplit(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"The load test runs only against 127.0.0.1, not {host!r}.")


class Browser(HttpUser):
    """A signed-in person in the browser (pages, htmx posts with the CSRF token)."""

    abstract = True
    wait_time = between(1, 5)
    usernames: list[str] = []

    def on_start(self) -> None:
        page = self.client.get("/login/", name="/login/")
        token = CSRF.search(page.text)
        self.client.post(
            "/login/",
            {"username": random.choice(self.usernames), "password": PASSWORD,
             "csrfmiddlewaretoken": token.group(1) if token else ""},
            name="/login/ (POST)",
        )  # fmt: skip
        self.accounts: list[str] = []

    def csrf(self) -> dict[str, str]:
        return {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "HX-Request": "true"}


class KeyAccountManager(Browser):
    weight = 70
    usernames = KAMS

    @task(4)
    def home(self) -> None:
        self.client.get("/", name="/ (home)")

    @task(3)
    def my_work(self) -> None:
        self.client.get("/activities/my-work/", name="/activities/my-work/")

    @task(4)
    def account(self) -> None:
        if not self.accounts:
            listing = self.client.get("/accounts/", name="/accounts/")
            self.accounts = ACCOUNT_LINK.findall(listing.text)[:20]
        if self.accounts:
            self.client.get(f"/accounts/{random.choice(self.accounts)}/", name="/accounts/[id]/")

    @task(2)
    def log_visit_with_follow_up(self) -> None:
        if not self.accounts:
            return
        account = random.choice(self.accounts)
        today = datetime.now(UTC).date().isoformat()
        self.client.post(
            f"/activities/account/{account}/log/",
            {"account": account, "kind": "visit", "occurred_at": f"{today}T10:00",
             "duration_minutes": 60, "subject": "Besuch (Lasttest)", "outcome": "Gespräch",
             "next_step": "Angebot nachfassen", "next_step_due_on": today},
            headers=self.csrf(),
            name="/activities/account/[id]/log/ (POST)",
        )  # fmt: skip

    @task(1)
    def move_deal(self) -> None:
        pipeline = self.client.get("/deals/list/", name="/deals/list/")
        deals = DEAL_LINK.findall(pipeline.text)
        if not deals:
            return
        deal = random.choice(deals)
        detail = self.client.get(f"/deals/{deal}/", name="/deals/[id]/")
        stages = STAGE_OPTION.findall(detail.text)
        if stages:
            self.client.post(
                f"/deals/{deal}/move/",
                {"stage": random.choice(stages[:3])},
                headers=self.csrf(),
                name="/deals/[id]/move/ (POST)",
            )


class HeadOfSales(Browser):
    weight = 10
    usernames = HEADS

    @task
    def cockpit(self) -> None:
        self.client.get("/portfolio/", name="/portfolio/ (cockpit)")

    @task
    def dashboard(self) -> None:
        self.client.get("/portfolio/dashboard/", name="/portfolio/dashboard/")

    @task
    def pipeline(self) -> None:
        self.client.get("/deals/", name="/deals/ (pipeline)")

    @task
    def plans(self) -> None:
        self.client.get("/planning/", name="/planning/ (plans)")


class Integration(HttpUser):
    """An ERP or BI system: pages through the lists and pushes figures (API token)."""

    weight = 20
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {TOKEN}"
        self.accounts: list[int] = []
        self.next_page = {"accounts": "/api/v1/accounts/", "contacts": "/api/v1/contacts/"}

    def page(self, kind: str) -> list[dict]:
        """The next page of a list, as a nightly sync follows `next`; then from the start."""
        answer = self.client.get(self.next_page[kind], name=f"/api/v1/{kind}/")
        body = answer.json() if answer.ok else {}
        self.next_page[kind] = body.get("next") or f"/api/v1/{kind}/"
        return body.get("results", [])

    @task(3)
    def page_accounts(self) -> None:
        rows = self.page("accounts")
        if rows:
            self.accounts = [row["id"] for row in rows][:20]

    @task(2)
    def page_contacts(self) -> None:
        self.page("contacts")

    @task(1)
    def push_figures(self) -> None:
        if not self.accounts:
            return
        account = random.choice(self.accounts)
        year = datetime.now(UTC).year
        self.client.patch(
            f"/api/v1/accounts/{account}/financials/{year}/",
            json={"revenue": str(random.randint(100_000, 5_000_000))},
            name="/api/v1/accounts/[id]/financials/[year]/ (PATCH)",
        )
