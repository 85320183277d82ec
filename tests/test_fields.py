"""One declaration of each model's writable fields (kam.fields).

A service takes its fields as `**fields: Unpack[XFields]`; forms and serializers hand their
input over through `service_fields()`, typed as that TypedDict. These tests keep the
TypedDict and its form and serializer naming the same fields, and look through the code
for input splatted into a service without the TypedDict (where mypy checks nothing)."""

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from accounts.api.serializers import (
    AccountSerializer,
    ContactSerializer,
    FiguresSerializer,
    TeamMemberSerializer,
)
from accounts.fields import AccountFields, ContactFields, FiguresFields, TeamMemberFields
from accounts.forms import AccountForm, ContactForm, FiguresForm, TeamMemberForm
from activities.api.serializers import (
    ActivitySerializer,
    ActivityUpdateSerializer,
    FollowUpSerializer,
    FollowUpUpdateSerializer,
)
from activities.fields import ActivityFields, ActivityLogFields, FollowUpFields
from activities.forms import ActivityForm, FollowUpForm
from contracts.api.serializers import ContractSerializer, ContractUpdateSerializer
from contracts.fields import ContractFields
from contracts.forms import ContractForm
from customer_care.api.serializers import (
    IssueSerializer,
    IssueUpdateSerializer,
    SurveySerializer,
)
from customer_care.fields import IssueFields, SurveyFields
from customer_care.forms import IssueForm, SurveyForm
from deals.api.serializers import (
    CompetitorSerializer,
    OpportunityCompetitorSerializer,
    OpportunitySerializer,
)
from deals.fields import CompetitorFields, CompetitorLinkFields, OpportunityFields
from deals.forms import CompetitorLinkForm, OpportunityForm
from kam.fields import as_fields, given_fields
from planning.account_plan.api.serializers import (
    AccountPlanSerializer,
    AccountPlanUpdateSerializer,
)
from planning.account_plan.fields import AccountPlanFields
from planning.account_plan.forms import PlanForm
from planning.action_plan.api.serializers import ActionSerializer, ObjectiveSerializer
from planning.action_plan.fields import ActionFields, ObjectiveFields
from planning.action_plan.forms import ActionForm, ObjectiveEditForm, ObjectiveForm
from planning.business_cases.api.serializers import (
    BusinessCaseSerializer,
    BusinessCaseUpdateSerializer,
    ScenarioSerializer,
)
from planning.business_cases.fields import BusinessCaseFields, ScenarioFields
from planning.business_cases.forms import BusinessCaseForm, ScenarioForm
from planning.coaching.api.serializers import CoachingPlanSerializer, CoachingPlanUpdateSerializer
from planning.coaching.fields import CoachingPlanFields, SessionFields
from planning.coaching.forms import CoachingPlanForm, SessionForm
from planning.whitespace.api.serializers import CellSerializer
from planning.whitespace.fields import CellFields
from planning.whitespace.forms import CellForm
from portfolio.api.serializers import CompanyTotalsSerializer
from portfolio.fields import CompanyTotalsFields, ReadinessFields
from portfolio.views import ReadinessForm
from reviews.api.serializers import ReviewUpdateSerializer
from reviews.fields import BrandingFields, ReviewFields, SectionFields
from reviews.forms import BrandingForm, ReviewForm, SectionForm
from users.fields import ProfileFields, check_profile_fields
from users.forms import ProfileForm
from webhooks.api.serializers import EndpointSerializer
from webhooks.fields import EndpointFields
from webhooks.views import EndpointForm

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Pair:
    """A TypedDict with a form and a serializer that write it. `*_extra`: inputs that are
    not among the fields (passed to the service on their own); `form_leaves_out`: fields
    the page form does not offer (the API does)."""

    fields: type
    form: type | None = None
    form_extra: set[str] = field(default_factory=set)
    form_leaves_out: set[str] = field(default_factory=set)
    serializer: type | None = None
    serializer_extra: set[str] = field(default_factory=set)


PAIRS = [
    Pair(
        AccountFields,
        form=AccountForm,
        form_extra={"product_lines"},
        serializer=AccountSerializer,
        serializer_extra={"product_lines"},
    ),
    Pair(
        ContactFields,
        form=ContactForm,
        form_leaves_out={"external_id", "is_active", "left_on"},
        serializer=ContactSerializer,
        serializer_extra={"account"},
    ),
    Pair(
        FiguresFields,
        form=FiguresForm,
        form_extra={"year"},
        form_leaves_out={"actuals_as_of"},
        serializer=FiguresSerializer,
    ),
    Pair(
        TeamMemberFields,
        form=TeamMemberForm,
        serializer=TeamMemberSerializer,
    ),
    Pair(
        ActivityLogFields,
        form=ActivityForm,
        form_extra={"account", "contacts", "users"},
        serializer=ActivitySerializer,
        serializer_extra={"account", "contacts", "users"},
    ),
    Pair(
        ActivityFields,
        serializer=ActivityUpdateSerializer,
        serializer_extra={"contacts", "users"},
    ),
    Pair(
        FollowUpFields,
        form=FollowUpForm,
        form_extra={"account"},
        serializer=FollowUpSerializer,
        serializer_extra={"account", "done", "source"},
    ),
    Pair(FollowUpFields, serializer=FollowUpUpdateSerializer, serializer_extra={"done"}),
    Pair(
        OpportunityFields,
        form=OpportunityForm,
        form_extra={"account", "product_lines"},
        form_leaves_out={"external_id", "lost_to"},
        serializer=OpportunitySerializer,
        serializer_extra={"account", "product_lines"},
    ),
    Pair(CompetitorFields, serializer=CompetitorSerializer),
    Pair(
        CompetitorLinkFields,
        form=CompetitorLinkForm,
        serializer=OpportunityCompetitorSerializer,
    ),
    Pair(
        ContractFields,
        form=ContractForm,
        form_extra={"account"},
        form_leaves_out={"external_id"},
        serializer=ContractSerializer,
        serializer_extra={"account"},
    ),
    Pair(ContractFields, serializer=ContractUpdateSerializer),
    Pair(
        IssueFields,
        form=IssueForm,
        form_extra={"account"},
        form_leaves_out={"status", "resolution", "opened_at"},  # status: a form of its own
        serializer=IssueSerializer,
        serializer_extra={"account"},
    ),
    Pair(IssueFields, serializer=IssueUpdateSerializer),
    Pair(EndpointFields, form=EndpointForm, serializer=EndpointSerializer),
    Pair(CompanyTotalsFields, serializer=CompanyTotalsSerializer),
    Pair(
        BusinessCaseFields,
        form=BusinessCaseForm,
        serializer=BusinessCaseSerializer,
        serializer_extra={"account"},
    ),
    Pair(BusinessCaseFields, serializer=BusinessCaseUpdateSerializer),
    Pair(
        ScenarioFields,
        form=ScenarioForm,
        form_leaves_out={"position"},
        serializer=ScenarioSerializer,
    ),
    Pair(ReadinessFields, form=ReadinessForm),
    Pair(
        AccountPlanFields,
        form=PlanForm,
        serializer=AccountPlanSerializer,
        serializer_extra={"account", "year", "status"},
    ),
    Pair(AccountPlanFields, serializer=AccountPlanUpdateSerializer, serializer_extra={"status"}),
    Pair(
        ObjectiveFields,
        form=ObjectiveForm,
        form_extra={"year"},
        form_leaves_out={"status"},
        serializer=ObjectiveSerializer,
        serializer_extra={"account", "year", "reason"},
    ),
    Pair(
        ObjectiveFields, form=ObjectiveEditForm, form_leaves_out={"kind", "target_value", "due_on"}
    ),
    Pair(CellFields, form=CellForm, serializer=CellSerializer),
    Pair(BrandingFields, form=BrandingForm),
    Pair(
        ReviewFields,
        form=ReviewForm,
        serializer=ReviewUpdateSerializer,
        serializer_extra={"account"},  # given, and left out: a review keeps its account
    ),
    Pair(SectionFields, form=SectionForm),
    Pair(ProfileFields, form=ProfileForm),  # users is below kam: its own ProfileFields
    Pair(
        ActionFields,
        form=ActionForm,
        form_leaves_out={"status"},
        serializer=ActionSerializer,
        serializer_extra={"objective"},
    ),
    Pair(
        CoachingPlanFields,
        form=CoachingPlanForm,
        form_extra={"reps"},
        serializer=CoachingPlanSerializer,
        serializer_extra={"account", "reps"},
    ),
    Pair(CoachingPlanFields, serializer=CoachingPlanUpdateSerializer, serializer_extra={"reps"}),
    Pair(SessionFields, form=SessionForm, form_extra={"participants"}),
    Pair(
        SurveyFields,
        form=SurveyForm,
        serializer=SurveySerializer,
        serializer_extra={"account"},
    ),
]


def _names(fields_type: type) -> set[str]:
    return set(fields_type.__annotations__)


def _writable(serializer_class: type) -> set[str]:
    # Some serializers scope a choice by the reader: any reader will do for the names.
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    serializer = serializer_class(context={"request": request})
    return {name for name, f in serializer.fields.items() if not f.read_only}


def _id(pair: Pair) -> str:
    return f"{pair.fields.__name__}-{(pair.form or pair.serializer).__name__}"


@pytest.mark.parametrize("pair", [pair for pair in PAIRS if pair.form], ids=_id)
def test_the_form_names_the_declared_fields(pair: Pair) -> None:
    assert pair.form is not None
    offered = set(pair.form.base_fields)
    assert offered - pair.form_extra == _names(pair.fields) - pair.form_leaves_out
    assert pair.form_extra <= offered


@pytest.mark.parametrize("pair", [pair for pair in PAIRS if pair.serializer], ids=_id)
def test_the_serializer_names_the_declared_fields(pair: Pair) -> None:
    assert pair.serializer is not None
    writable = _writable(pair.serializer)
    assert writable - pair.serializer_extra == _names(pair.fields)
    assert pair.serializer_extra <= writable


def test_an_undeclared_field_is_refused_at_run_time() -> None:
    with pytest.raises(TypeError, match="AccountFields has no field nmae"):
        as_fields(AccountFields, {"nmae": "Acme"})
    with pytest.raises(TypeError, match="ContactFields has no field nmae"):
        given_fields(ContactFields, {"nmae": "Acme"})
    assert as_fields(AccountFields, {"name": "Acme", "x": 1}, without=["x"]) == {"name": "Acme"}
    with pytest.raises(TypeError, match="ProfileFields has no field nmae"):
        check_profile_fields({"nmae": "Ada"})


# Input splatted into a service without its TypedDict, not typed yet: (file, function,
# callee). The list only shrinks; an entry that is gone fails the test, so remove it.
UNTYPED_SPLATS: set[tuple[str, str, str]] = set()

INPUTS = {"cleaned_data", "validated_data"}


def _mentions_input(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr in INPUTS for n in ast.walk(node))


def _modules():
    for path in sorted(ROOT.glob("*/**/*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {"tests", ".venv", "benchmarks", "scripts", "node_modules"}:
            continue
        if "migrations" in relative.parts:
            continue
        yield relative.as_posix(), ast.parse(path.read_text())


def _splats() -> set[tuple[str, str, str]]:
    """Calls with `**` of cleaned_data / validated_data, directly or through a local name
    that was assigned from it."""
    found = set()
    for name, tree in _modules():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            tainted = {
                target.id
                for node in ast.walk(function)
                if isinstance(node, ast.Assign) and _mentions_input(node.value)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                for keyword in node.keywords:
                    value = keyword.value
                    if keyword.arg is None and (
                        _mentions_input(value)
                        or (isinstance(value, ast.Name) and value.id in tainted)
                    ):
                        found.add((name, function.name, ast.unparse(node.func)))
    return found


def test_no_input_is_splatted_into_a_service_untyped() -> None:
    found = _splats()
    assert found - UNTYPED_SPLATS == set(), "pass `**form.service_fields()` (a TypedDict)"
    assert UNTYPED_SPLATS - found == set(), "typed now: take it off UNTYPED_SPLATS"


# service_fields() still returning a plain dict; the list only shrinks.
UNTYPED_SERVICE_FIELDS: set[str] = set()


def test_service_fields_return_a_declared_field_set() -> None:
    """`service_fields()` is how a form or serializer hands its input to a service: it
    returns the TypedDict, not a plain dict."""
    untyped = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "service_fields":
                returns = ast.unparse(node.returns) if node.returns else ""
                if not returns.endswith("Fields"):
                    untyped.append(name)
    assert set(untyped) - UNTYPED_SERVICE_FIELDS == set()
    assert UNTYPED_SERVICE_FIELDS - set(untyped) == set(), "typed now: take it off the list"


def test_edit_pages_write_the_changes_as_a_declared_field_set() -> None:
    """An edit page hands the changed fields to its service through
    `concurrency.save_fields(form, XFields, write)`, so the write is typed."""
    found = {
        (name, function.name)
        for name, tree in _modules()
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "concurrency.save"
    }
    assert found == set(), "use concurrency.save_fields"
