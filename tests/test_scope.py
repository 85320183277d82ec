"""Nothing outside a user's scope shows through the records they may see.

A visible account sits in a group whose top account and sister account the user cannot
see; its records point at invisible ones (parent, reports-to, direct reports, activity
participants, a survey's answerer, the briefing sheet). Every page reachable from the
navigation, every URL pattern without arguments and every GET operation of the API
schema is walked as a key account manager and as a sales rep; no name or id of an
invisible record may appear, and nothing may answer 5xx.

The walk starts from the URL patterns and the schema and follows links, so pages of
apps added later are walked too.
"""

import io
import json
import re
from collections import deque
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from pypdf import PdfReader

from accounts import services as account_services
from accounts.models import Account, Contact
from activities import services as activity_services
from customer_care import services as care_services
from planning.coaching import services as coaching_services
from tests.conftest import client_for
from tests.factories import make_account, make_contact

# Distinctive ids: any of them in a response is a leak, whatever the field.
HIDDEN_TOP_ID, HIDDEN_SISTER_ID = 987001, 987002
HIDDEN_BOSS_ID, HIDDEN_SISTER_CONTACT_ID = 987011, 987012
HIDDEN = re.compile(r"Verborgen|Geheim|98700[12]|98701[12]")

SKIP_PREFIXES = ("/static/", "/admin/", "/logout", "/api/v1/docs", "/i18n/", "/health")
MAX_VARIANTS_PER_PATH = 3
MAX_REQUESTS = 600
LINK = re.compile(r'(?:href|hx-get|src)="(/[^"#]*)"')


@pytest.fixture
def world(admin_user, kam, other_kam, sales_rep):
    """`Sichtbar Werk GmbH` (kam's, sales_rep on the team) below a top account and beside
    a sister account that only other_kam sees."""
    top = Account.objects.create(
        pk=HIDDEN_TOP_ID, name="Verborgen Holding AG", owner=other_kam, path=f"/{HIDDEN_TOP_ID}/"
    )
    sister = Account.objects.create(
        pk=HIDDEN_SISTER_ID,
        name="Verborgen Schwester GmbH",
        owner=other_kam,
        parent=top,
        path=f"/{HIDDEN_TOP_ID}/{HIDDEN_SISTER_ID}/",
    )
    visible = make_account(owner=kam, actor=admin_user, parent=top, name="Sichtbar Werk GmbH")
    account_services.team_member_set(
        actor=kam, account=visible, user=sales_rep, role="sales_rep", can_edit=True
    )
    manager = make_contact(account=visible, first_name="Klara", last_name="Sichtbar")
    # Explicit ids after the automatic ones (SQLite continues after the highest id).
    boss = Contact.objects.create(
        pk=HIDDEN_BOSS_ID, account=top, first_name="Gerda", last_name="Geheimrat"
    )
    account_services.contact_update(actor=admin_user, contact=manager, reports_to=boss)
    Contact.objects.create(
        pk=HIDDEN_SISTER_CONTACT_ID,
        account=sister,
        first_name="Sven",
        last_name="Geheimschwester",
        reports_to=manager,
    )
    activity_services.activity_log(
        actor=admin_user,
        account=visible,
        kind="meeting",
        occurred_at=timezone.now() - timedelta(days=2),
        subject="Jahresgespräch",
        contacts=[manager, boss, Contact.objects.get(pk=HIDDEN_SISTER_CONTACT_ID)],
        users=[kam],
    )
    care_services.survey_record(actor=admin_user, account=visible, nps=9, contact=boss)
    coaching_services.coaching_plan_create(
        actor=admin_user, account=visible, title="Vorbereitung Jahresgespräch", reps=[sales_rep]
    )
    return visible


def _routes(resolver=None, prefix="") -> list[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _routes(entry, route)
        elif isinstance(entry, URLPattern):
            routes.append((route, entry))
    return routes


def _start_pages(account: Account) -> list[str]:
    pages = ["/" + route.lstrip("^").rstrip("$") for route, _ in _routes() if "<" not in route]
    pages = [page for page in pages if "(" not in page and "\\" not in page]
    pages.append(f"/accounts/{account.pk}/")
    return pages


def _text(response) -> str:
    kind = response.get("Content-Type", "")
    if "pdf" in kind:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _walk_pages(client, account: Account) -> tuple[dict[str, str], list[str]]:
    """GET every page reachable from the start pages; the leaks and 5xx found."""
    client.raise_request_exception = False  # collect every 500, not just the first
    queue = deque(_start_pages(account))
    seen: set[str] = set()
    variants: dict[str, int] = {}
    leaks, errors = {}, []
    while queue and len(seen) < MAX_REQUESTS:
        url = queue.popleft().replace("&amp;", "&")
        path = urlsplit(url).path
        if url in seen or path.startswith(SKIP_PREFIXES) or path.startswith("/api/"):
            continue
        if variants.get(path, 0) >= MAX_VARIANTS_PER_PATH:
            continue
        seen.add(url)
        variants[path] = variants.get(path, 0) + 1
        for htmx in (False, True):
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            response = client.get(url, **headers)
            if response.status_code >= 500:
                errors.append(url)
                continue
            text = _text(response)
            if match := HIDDEN.search(text):
                leaks[url] = text[max(0, match.start() - 120) : match.end() + 40]
            queue.extend(LINK.findall(text))
    return leaks, errors


def _api_urls(client, path: str) -> list[str]:
    """Concrete URLs for a schema path: each parameter filled, left to right, with values
    that the list endpoint before it returns (ids, years, ...), at most three each."""
    match = re.search(r"{(\w+)}", path)
    if match is None:
        return [path]
    head, tail = path[: match.start()], path[match.end() :]
    response = client.get(head)
    if response.status_code != 200 or "json" not in response.get("Content-Type", ""):
        return []
    body = response.json()
    rows = body.get("results", body) if isinstance(body, dict) else body
    if not isinstance(rows, list):
        return []
    name = match.group(1)
    values = [row.get(name, row.get("id")) for row in rows if isinstance(row, dict)]
    urls = []
    for value in [v for v in values if v is not None][:3]:
        urls += _api_urls(client, f"{head}{value}{tail}")
    return urls


def _walk_api(client) -> tuple[dict[str, str], list[str]]:
    client.raise_request_exception = False  # collect every 500, not just the first
    schema = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    leaks, errors = {}, []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        for url in _api_urls(client, path):
            response = client.get(url)
            if response.status_code >= 500:
                errors.append(url)
                continue
            text = _text(response)
            if match := HIDDEN.search(text):
                leaks[url] = text[max(0, match.start() - 120) : match.end() + 40]
    return leaks, errors


@pytest.mark.parametrize("role", ["kam", "sales_rep"])
def test_no_out_of_scope_name_or_id_on_any_page(request, world, role):
    client = client_for(request.getfixturevalue(role))
    leaks, errors = _walk_pages(client, world)
    assert errors == [], errors
    assert leaks == {}


@pytest.mark.parametrize("role", ["kam", "sales_rep"])
def test_no_out_of_scope_name_or_id_in_the_api(request, world, role):
    client = client_for(request.getfixturevalue(role))
    leaks, errors = _walk_api(client)
    assert errors == [], errors
    assert leaks == {}


def test_the_walk_reaches_the_records_that_point_outside(world, kam):
    """The walk is only worth something if it opens the pages where the links are."""
    client = client_for(kam)
    visited = []
    original = client.get

    def get(url, *args, **kwargs):
        visited.append(url)
        return original(url, *args, **kwargs)

    client.get = get
    _walk_pages(client, world)
    manager = Contact.objects.get(last_name="Sichtbar")
    for expected in (
        f"/accounts/contacts/{manager.pk}/",
        f"/accounts/{world.pk}/edit/",
        f"/accounts/contacts/{manager.pk}/edit/",
        f"/activities/account/{world.pk}/log/",
    ):
        assert any(url.split("?")[0] == expected for url in visited), expected


# --- Forms and API bodies accept only contacts and parents the user can see -------------


def _boss():
    return Contact.objects.get(pk=HIDDEN_BOSS_ID)


def test_activity_form_refuses_a_participant_outside_the_scope(world, sales_rep):
    from activities.models import Activity

    before = Activity.objects.count()
    response = client_for(sales_rep).post(
        f"/activities/account/{world.pk}/log/",
        {
            "account": world.pk,
            "kind": "call",
            "occurred_at": "2026-11-20T10:00",
            "duration_minutes": "30",
            "subject": "Anruf",
            "contacts": [str(HIDDEN_BOSS_ID)],
            "users": [str(sales_rep.pk)],
        },
    )
    assert response.status_code == 422
    assert Activity.objects.count() == before


def test_survey_form_refuses_a_contact_outside_the_scope(world, sales_rep):
    from customer_care.models import Survey

    before = Survey.objects.count()
    response = client_for(sales_rep).post(
        f"/care/account/{world.pk}/satisfaction/record/",
        {"surveyed_on": "2026-11-20", "method": "phone", "nps": "9", "contact": HIDDEN_BOSS_ID},
    )
    assert response.status_code == 422
    assert Survey.objects.count() == before


def test_contact_form_refuses_a_manager_outside_the_scope(world, sales_rep):
    before = Contact.objects.count()
    response = client_for(sales_rep).post(
        f"/accounts/{world.pk}/contacts/new/",
        {"first_name": "Neu", "last_name": "Person", "reports_to": HIDDEN_BOSS_ID},
    )
    assert response.status_code == 422
    assert Contact.objects.count() == before


def test_api_refuses_a_survey_contact_outside_the_scope(world, sales_rep):
    from customer_care.models import Survey

    before = Survey.objects.count()
    response = client_for(sales_rep).post(
        "/api/v1/surveys/",
        {"account": world.pk, "nps": 9, "contact": HIDDEN_BOSS_ID},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "contact" in response.json()["errors"]
    assert Survey.objects.count() == before


def test_saving_the_account_form_keeps_a_parent_the_user_cannot_see(world, kam):
    client = client_for(kam)
    page = client.get(f"/accounts/{world.pk}/edit/")
    assert "Verborgen" not in page.text
    assert 'name="parent"' not in page.text
    response = client.post(
        f"/accounts/{world.pk}/edit/",
        {
            "name": "Sichtbar Werk GmbH",
            "status": "key_account",
            "tier": "A",
            "owner": kam.pk,
            "customer_type": "corporation",
        },  # fmt: skip
    )
    assert response.status_code == 302
    world.refresh_from_db()
    assert world.parent_id == HIDDEN_TOP_ID


def test_api_round_trip_keeps_a_parent_and_manager_the_user_cannot_see(world, kam):
    client = client_for(kam)
    account = client.get(f"/api/v1/accounts/{world.pk}/").json()
    assert account["parent"] is None
    body = {k: v for k, v in account.items() if v is not None}
    assert (
        client.put(
            f"/api/v1/accounts/{world.pk}/",
            {**body, "parent": None},
            content_type="application/json",
        ).status_code
        == 200
    )
    world.refresh_from_db()
    assert world.parent_id == HIDDEN_TOP_ID

    manager = Contact.objects.get(last_name="Sichtbar")
    contact = client.get(f"/api/v1/contacts/{manager.pk}/").json()
    assert contact["reports_to"] is None
    response = client.patch(
        f"/api/v1/contacts/{manager.pk}/",
        {"reports_to": None, "job_title": "Leiterin"},
        content_type="application/json",
    )
    assert response.status_code == 200
    manager.refresh_from_db()
    assert (manager.reports_to_id, manager.job_title) == (HIDDEN_BOSS_ID, "Leiterin")


def test_editing_an_activity_keeps_participants_the_user_cannot_see(world, kam):
    from activities.models import Activity

    activity = Activity.objects.get(account=world)
    manager = Contact.objects.get(last_name="Sichtbar")
    response = client_for(kam).patch(
        f"/api/v1/activities/{activity.pk}/",
        {"contacts": [manager.pk], "subject": "Jahresgespräch 2026"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["contacts"] == [manager.pk]
    assert set(activity.contacts.values_list("pk", flat=True)) == {
        manager.pk,
        HIDDEN_BOSS_ID,
        HIDDEN_SISTER_CONTACT_ID,
    }
