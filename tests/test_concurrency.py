"""No lost update: two people editing the same record (kam.concurrency), on the pages and
in the API."""

import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from accounts.services import team_member_set
from planning.account_plan import services
from planning.models import AccountPlan
from reviews import services as review_services
from tests.conftest import client_for
from tests.contracts.conftest import make_contract
from tests.deals.helpers import make_opportunity
from tests.planning.action_plan_helpers import make_action, make_objective

HTMX = {"HTTP_HX_REQUEST": "true"}


class FormReader(HTMLParser):
    """The fields of the form posting to `action`, as a browser would send them."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.data = action, False, {}
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            # action "": the page's own address (a form without an action).
            self.inside = attrs.get("action", "") == self.action and (
                self.action or attrs.get("method") == "post"
            )
        elif self.inside and tag == "input" and attrs.get("name"):
            if attrs.get("type") not in {"submit", "checkbox"} or "checked" in attrs:
                self.data[attrs["name"]] = attrs.get("value") or ""
        elif self.inside and tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""
        elif self.inside and tag == "select":
            self._select = attrs["name"]
            self.data.setdefault(self._select, [])
        elif self.inside and tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_on(html: str, action: str) -> dict[str, str]:
    reader = FormReader(action)
    reader.feed(html)
    data = {
        name: value if isinstance(value, list) else unescape(value).removeprefix("\n")
        for name, value in reader.data.items()
    }
    assert data, f"no form posting to {action}"
    return data


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def plan(account) -> AccountPlan:
    return services.plan_create(
        actor=account.owner, account=account, year=2026,
        strengths="Long relationship", weaknesses="Slow approvals",
    )  # fmt: skip


@pytest.fixture
def colleague(account, other_kam):
    team_member_set(
        actor=account.owner,
        account=account,
        user=other_kam,
        role="key_account_manager",
        can_edit=True,
    )
    other_kam.language = "en"
    other_kam.save(update_fields=["language"])
    return other_kam


def two_sessions(plan, kam, colleague):
    """Both open the plan page and its edit form."""
    page = reverse("planning:account_plan_detail", args=[plan.pk])
    edit = reverse("planning:account_plan_edit", args=[plan.pk])
    kam.language = "en"
    kam.save(update_fields=["language"])
    mine, theirs = client_for(kam), client_for(colleague)
    return (
        (mine, form_on(mine.get(page).text, edit)),
        (theirs, form_on(theirs.get(page).text, edit)),
        edit,
    )


# --- Pages -----------------------------------------------------------------------------------


def test_two_people_changing_different_fields_of_a_plan_both_keep_their_change(
    plan, kam, colleague
):
    (mine, my_form), (theirs, their_form), edit = two_sessions(plan, kam, colleague)
    their_form["strengths"] = "Long relationship\nLocal service team"
    assert theirs.post(edit, their_form, **HTMX).status_code == 200
    # My form was filled before their save: it still shows the old strengths.
    my_form["weaknesses"] = "Slow approvals\nNo budget for 2027"
    response = mine.post(edit, my_form, **HTMX)
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.strengths == "Long relationship\nLocal service team"
    assert plan.weaknesses == "Slow approvals\nNo budget for 2027"


def test_a_save_writes_only_the_fields_that_changed(plan, kam, colleague):
    (mine, my_form), _theirs, edit = two_sessions(plan, kam, colleague)
    my_form["threats"] = "A new competitor"
    mine.post(edit, my_form, **HTMX)
    changes = plan.history.first().diff_against(plan.history.all()[1]).changed_fields
    assert changes == ["threats"]


def test_both_changing_the_same_field_shows_the_conflict_and_keeps_what_i_typed(
    plan, kam, colleague
):
    (mine, my_form), (theirs, their_form), edit = two_sessions(plan, kam, colleague)
    their_form["strengths"] = "Their strengths"
    theirs.post(edit, their_form, **HTMX)
    my_form["strengths"] = "My strengths"
    my_form["threats"] = "A new competitor"
    response = mine.post(edit, my_form, **HTMX)
    assert response.status_code == 409
    page = text(response.text)
    assert "Someone else saved this while you were editing it" in page
    assert "Take theirs" in page and "Keep mine" in page and "Merge" in page
    assert 'data-testid="theirs-strengths"' in response.text
    assert "Their strengths" in page and "My strengths" in page
    plan.refresh_from_db()
    assert (plan.strengths, plan.threats) == ("Their strengths", "")  # nothing written

    # The conflict screen is a fresh form: "Keep mine" saves what I typed, both fields.
    conflict_form = form_on(response.text, edit)
    assert conflict_form["threats"] == "A new competitor"
    assert conflict_form["strengths"] == "My strengths"
    response = mine.post(edit, conflict_form | {"_resolve": "mine"}, **HTMX)
    assert response.status_code == 200
    plan.refresh_from_db()
    assert (plan.strengths, plan.threats) == ("My strengths", "A new competitor")


def test_take_theirs_keeps_their_text_and_my_other_changes(plan, kam, colleague):
    (mine, my_form), (theirs, their_form), edit = two_sessions(plan, kam, colleague)
    their_form["strengths"] = "Their strengths"
    theirs.post(edit, their_form, **HTMX)
    response = mine.post(edit, my_form | {"strengths": "Mine", "threats": "Price war"}, **HTMX)
    conflict_form = form_on(response.text, edit)
    mine.post(edit, conflict_form | {"_resolve": "theirs"}, **HTMX)
    plan.refresh_from_db()
    assert (plan.strengths, plan.threats) == ("Their strengths", "Price war")


def test_merge_saves_the_merged_text(plan, kam, colleague):
    (mine, my_form), (theirs, their_form), edit = two_sessions(plan, kam, colleague)
    their_form["strengths"] = "Long relationship\nTheirs"
    theirs.post(edit, their_form, **HTMX)
    response = mine.post(edit, my_form | {"strengths": "Long relationship\nMine"}, **HTMX)
    conflict_form = form_on(response.text, edit)
    # The proposal: their lines, then mine that they do not have; the user may edit it.
    assert conflict_form["_merged_strengths"] == "Long relationship\nTheirs\nMine"
    mine.post(edit, conflict_form | {"_resolve": "merge"}, **HTMX)
    plan.refresh_from_db()
    assert plan.strengths == "Long relationship\nTheirs\nMine"


def test_a_conflict_on_a_full_page_post_shows_the_plan_page_with_409(plan, kam, colleague):
    (mine, my_form), (theirs, their_form), edit = two_sessions(plan, kam, colleague)
    theirs.post(edit, their_form | {"strengths": "Theirs"})
    response = mine.post(edit, my_form | {"strengths": "Mine"})
    assert response.status_code == 409
    assert 'data-testid="edit-conflict"' in response.text


# --- API -------------------------------------------------------------------------------------


def test_the_plan_detail_answers_an_etag(plan, kam_client):
    response = kam_client.get(f"/api/v1/account-plans/{plan.pk}/")
    assert response.status_code == 200
    assert re.fullmatch(r'"\d+"', response["ETag"])


def test_a_write_with_a_stale_if_match_answers_409_and_changes_nothing(plan, kam_client):
    url = f"/api/v1/account-plans/{plan.pk}/"
    etag = kam_client.get(url)["ETag"]
    fresh = kam_client.patch(
        url, {"strengths": "New"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag
    stale = kam_client.patch(
        url, {"weaknesses": "Stale"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    plan.refresh_from_db()
    assert (plan.strengths, plan.weaknesses) == ("New", "Slow approvals")
    again = kam_client.patch(
        url, {"weaknesses": "Now"}, content_type="application/json", HTTP_IF_MATCH=fresh["ETag"]
    )
    assert again.status_code == 200


def test_a_write_without_if_match_still_works(plan, kam_client):
    """Documented in docs/reliability.md: without If-Match the last write wins."""
    url = f"/api/v1/account-plans/{plan.pk}/"
    response = kam_client.patch(url, {"threats": "Any"}, content_type="application/json")
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.threats == "Any"


def test_if_match_star_and_weak_tags_are_understood(plan, kam_client):
    url = f"/api/v1/account-plans/{plan.pk}/"
    etag = kam_client.get(url)["ETag"]
    body = {"threats": "Weak"}
    assert (
        kam_client.patch(
            url, body, content_type="application/json", HTTP_IF_MATCH=f"W/{etag}"
        ).status_code
        == 200
    )
    assert (
        kam_client.patch(
            url, {"threats": "Star"}, content_type="application/json", HTTP_IF_MATCH="*"
        ).status_code
        == 200
    )


def _records(account) -> dict[str, tuple[str, dict]]:
    """Each record several people edit: its API address and a change to send."""
    objective = make_objective(account)
    review = review_services.review_create(actor=account.owner, account=account, year=2026)
    return {
        "account": (f"/api/v1/accounts/{account.pk}/", {"name": "Renamed AG"}),
        "objective": (f"/api/v1/objectives/{objective.pk}/", {"title": "Grow"}),
        "action": (f"/api/v1/actions/{make_action(objective).pk}/", {"title": "Call"}),
        "review": (f"/api/v1/reviews/{review.pk}/", {"place": "Ulm"}),
        "section": (f"/api/v1/reviews/{review.pk}/sections/relationship/", {"text": "Good"}),
        "contract": (f"/api/v1/contracts/{make_contract(account=account).pk}/", {"title": "T"}),
        "opportunity": (
            f"/api/v1/opportunities/{make_opportunity(account=account).pk}/",
            {"title": "Line 2"},
        ),
    }


@pytest.mark.parametrize(
    "record", ["account", "objective", "action", "review", "section", "contract", "opportunity"]
)
def test_every_record_people_share_refuses_a_stale_write_with_409(record, account, kam_client):
    url, change = _records(account)[record]
    read = kam_client.get(url)
    assert read.status_code == 200
    etag = read["ETag"]
    assert re.fullmatch(r'"\d+"', etag)
    first = kam_client.patch(url, change, content_type="application/json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200, first.json()
    assert first["ETag"] != etag
    stale = kam_client.patch(url, change, content_type="application/json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    assert kam_client.get(url)["ETag"] == first["ETag"]  # nothing written


def test_the_schema_documents_if_match_etag_and_409():
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(public=True)))
    patch = document["paths"]["/api/v1/account-plans/{id}/"]["patch"]
    assert "If-Match" in [parameter["name"] for parameter in patch["parameters"]]
    assert "ETag" in patch["responses"]["200"]["headers"]
    assert "If-Match" in patch["responses"]["409"]["description"]
    get = document["paths"]["/api/v1/accounts/{id}/"]["get"]
    assert "ETag" in get["responses"]["200"]["headers"]


# --- Review sections and the review itself ---------------------------------------------------


@pytest.fixture
def review(account):
    return review_services.review_create(actor=account.owner, account=account, year=2026)


def test_two_people_saving_the_same_review_section_do_not_lose_an_update(review, kam, colleague):
    page = reverse("reviews:detail", args=[review.pk])
    save = reverse("reviews:section_save", args=[review.pk, "relationship"])
    mine, theirs = client_for(kam), client_for(colleague)
    my_form, their_form = form_on(mine.get(page).text, save), form_on(theirs.get(page).text, save)
    assert (
        theirs.post(save, their_form | {"relationship-text": "Theirs"}, **HTMX).status_code == 200
    )
    response = mine.post(save, my_form | {"relationship-text": "Mine"}, **HTMX)
    assert response.status_code == 409
    assert 'data-testid="theirs-text"' in response.text
    assert review.sections.get(kind="relationship").text == "Theirs"
    conflict_form = form_on(response.text, save)
    assert conflict_form["relationship-text"] == "Mine"
    response = mine.post(save, conflict_form | {"relationship-_resolve": "merge"}, **HTMX)
    assert response.status_code == 200
    assert review.sections.get(kind="relationship").text == "Theirs\nMine"


def test_review_form_saves_only_what_changed(review, kam, colleague):
    page = reverse("reviews:detail", args=[review.pk])
    edit = reverse("reviews:edit", args=[review.pk])
    mine, theirs = client_for(kam), client_for(colleague)
    my_form, their_form = form_on(mine.get(page).text, edit), form_on(theirs.get(page).text, edit)
    assert theirs.post(edit, their_form | {"review-place": "Ulm"}, **HTMX).status_code == 200
    response = mine.post(edit, my_form | {"review-minutes": "Agreed on prices"}, **HTMX)
    assert response.status_code == 200
    review.refresh_from_db()
    assert (review.place, review.minutes) == ("Ulm", "Agreed on prices")


def _edit_pages(account) -> dict[str, tuple[str, str, str, object]]:
    """Each edit page: its address, the form's action, two fields to change, the record."""
    objective = make_objective(account)
    contract = make_contract(account=account)
    opportunity = make_opportunity(account=account)
    objective_page = reverse("planning:action_plan_account_section", args=[account.pk])
    objective_edit = reverse("planning:action_plan_objective_edit", args=[objective.pk])
    prefix = f"edit-{objective.pk}-"
    return {
        "account": (reverse("accounts:edit", args=[account.pk]), "", "city", "region", account),
        "contract": (
            reverse("contracts:edit", args=[contract.pk]),
            reverse("contracts:edit", args=[contract.pk]),
            "title", "prices_and_terms", contract,
        ),
        "opportunity": (
            reverse("deals:edit", args=[opportunity.pk]), "", "title", "description", opportunity
        ),
        "objective": (objective_page, objective_edit, prefix + "title", None, objective),
    }  # fmt: skip


@pytest.mark.parametrize("record", ["account", "contract", "opportunity", "objective"])
def test_every_edit_form_keeps_both_changes_and_shows_a_clash(record, account, kam, colleague):
    page, action, first, second, instance = _edit_pages(account)[record]
    mine, theirs = client_for(kam), client_for(colleague)
    target = action or page
    my_form = form_on(mine.get(page, **HTMX).text, action)
    their_form = form_on(theirs.get(page, **HTMX).text, action)
    assert "_version" in " ".join(my_form)
    answer = theirs.post(target, their_form | {first: "Theirs"}, **HTMX)
    assert answer.status_code in {200, 302}, answer.content[:2000]
    if second:
        answer = mine.post(target, my_form | {second: "Mine"}, **HTMX)
        assert answer.status_code in {200, 302}, answer.content[:2000]
        instance.refresh_from_db()
        field = first.rsplit("-", 1)[-1]
        assert (getattr(instance, field), getattr(instance, second)) == ("Theirs", "Mine")
    clash = mine.post(target, my_form | {first: "Mine too"}, **HTMX)
    assert clash.status_code == 409
    assert 'data-testid="edit-conflict"' in clash.text
    instance.refresh_from_db()
    assert getattr(instance, first.rsplit("-", 1)[-1]) == "Theirs"
