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
KAM_LOAD_USERS / KAM_LOAD_HEADS / KAM_LOAD_PASSWORD, or start signed in with the session
keys in KAM_LOAD_SESSIONS (JSON, user name to key), as people who signed in earlier in the
day: a sign-in costs a deliberately slow password hash, and a hundred of them in the first
seconds would measure a sign-in storm, not the working mix; integrations use the API token in
KAM_LOAD_TOKEN (create one on the profile page; several, comma-separated, are shared out
among the simulated integrations, one budget of the API throttle each).

A write counts only when the app confirms it: the visit's dialog closes (`HX-Reswap:
delete`), the deal's move answers 200, the figures answer 200 with the value sent; anything
else is a failure in the statistics. With KAM_LOAD_WRITES set, every confirmed write is
appended to that file as a JSON line, with the time its request was sent (`sent`) and the
time its answer was read (`at`) (`benchmarks/load/run.py` compares them with the database
afterwards); KAM_LOAD_RUN tags the visits' subjects, to tell the runs apart.
"""

import json
import os
import random
import re
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("KAM_LOAD_PASSWORD", "demo-kam-2026")
KAMS = os.environ.get("KAM_LOAD_USERS", "kam,kam2").split(",")
HEADS = os.environ.get("KAM_LOAD_HEADS", "leitung").split(",")
TOKENS = os.environ.get("KAM_LOAD_TOKEN", "").split(",")
# {user name: session key}: people who signed in earlier today (benchmarks/load/run.py).
SESSIONS = json.loads(os.environ.get("KAM_LOAD_SESSIONS") or "{}")
WRITES = os.environ.get("KAM_LOAD_WRITES", "")
RUN = os.environ.get("KAM_LOAD_RUN", "")
_writes_lock = threading.Lock()
_integrations = iter(range(1_000_000))

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACCOUNT_LINK = re.compile(r'href="/accounts/(\d+)/"')
DEAL_LINK = re.compile(r'href="/deals/(\d+)/"')
STAGE_OPTION = re.compile(r'<option value="(\d+)"')


@events.init.add_listener
def only_local(environment, **kwargs) -> None:
    host = urlsplit(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"The load test runs only against 127.0.0.1, not {host!r}.")


def confirmed(kind: str, sent: float, **fields) -> None:
    """Note a write the app confirmed (KAM_LOAD_WRITES), with the times its request was
    sent and its answer read: two writes of one record whose requests overlap may be
    stored in either order (benchmarks/load/run.py)."""
    if not WRITES:
        return
    line = json.dumps({"kind": kind, "sent": sent, "at": time.time(), **fields})
    with _writes_lock, open(WRITES, "a", encoding="utf-8") as file:
        file.write(line + "\n")


class Browser(HttpUser):
    """A signed-in person in the browser (pages, htmx posts with the CSRF token)."""

    abstract = True
    wait_time = between(1, 5)
    usernames: list[str] = []

    def on_start(self) -> None:
        self.accounts: list[str] = []
        self.editable: set[str] = set()  # accounts whose page offered "Log contact"
        self.username = username = random.choice(self.usernames)
        if username in SESSIONS:
            # Signed in earlier: the session cookie, then a page for the CSRF cookie.
            host = urlsplit(self.host).hostname or ""
            self.client.cookies.set("sessionid", SESSIONS[username], domain=host)
            self.client.get("/", name="/ (home)")
            return
        page = self.client.get("/login/", name="/login/")
        token = CSRF.search(page.text)
        self.client.post(
            "/login/",
            {"username": username, "password": PASSWORD,
             "csrfmiddlewaretoken": token.group(1) if token else ""},
            name="/login/ (POST)",
        )  # fmt: skip

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
            account = random.choice(self.accounts)
            page = self.client.get(f"/accounts/{account}/", name="/accounts/[id]/")
            if f"/activities/account/{account}/log/" in page.text:
                self.editable.add(account)

    @task(2)
    def log_visit_with_follow_up(self) -> None:
        """On an account the person may change (its page offered "Log contact"); the next
        step's owner is the person, as the dialog fills it in."""
        if not self.editable:
            return
        account = random.choice(sorted(self.editable))
        today = datetime.now(UTC).date().isoformat()
        subject = f"Besuch (Lasttest {RUN})" if RUN else "Besuch (Lasttest)"
        sent = time.time()
        with self.client.post(
            f"/activities/account/{account}/log/",
            {"account": account, "kind": "visit", "occurred_at": f"{today}T10:00",
             "duration_minutes": 60, "subject": subject, "outcome": "Gespräch",
             "next_step": "Angebot nachfassen", "next_step_owner": self.username,
             "next_step_due_on": today},
            headers=self.csrf(),
            name="/activities/account/[id]/log/ (POST)",
            catch_response=True,
        ) as answer:  # fmt: skip
            if answer.status_code == 200 and answer.headers.get("HX-Reswap") == "delete":
                confirmed("visit", sent, account=int(account), subject=subject)
                answer.success()
            elif answer.ok:
                answer.failure(f"not logged (HTTP {answer.status_code}, the form came back)")

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
            stage = random.choice(stages[:3])
            sent = time.time()
            with self.client.post(
                f"/deals/{deal}/move/",
                {"stage": stage},
                headers=self.csrf(),
                name="/deals/[id]/move/ (POST)",
                catch_response=True,
            ) as answer:
                if answer.status_code == 200:
                    confirmed("move", sent, deal=int(deal), stage=int(stage))


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
        token = TOKENS[next(_integrations) % len(TOKENS)]
        self.client.headers["Authorization"] = f"Token {token}"
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
        revenue = random.randint(100_000, 5_000_000)
        sent = time.time()
        with self.client.patch(
            f"/api/v1/accounts/{account}/financials/{year}/",
            json={"revenue": str(revenue)},
            name="/api/v1/accounts/[id]/financials/[year]/ (PATCH)",
            catch_response=True,
        ) as answer:
            if answer.status_code == 200:
                stored = Decimal(answer.json().get("revenue") or 0)
                if stored == revenue:
                    confirmed("figures", sent, account=account, year=year, revenue=revenue)
                else:
                    answer.failure(f"revenue {stored} stored, {revenue} sent")
