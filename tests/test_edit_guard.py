"""Pages and API views change records only through the one edit guard.

A page view fetches what it changes with `accounts.access.get_editable_or_404` (404
outside the scope, 403 for a reader); an API view through its scoped queryset and the
DRF permission `accounts.api.permissions.CanEditAccount`. Neither writes its own
`if not can_edit_account(...): raise ...`, so the rule and its answers live in one place.
This test reads the source of every view module and fails on a hand-written copy."""

import ast
from pathlib import Path

import pytest

from tests.test_architecture import LAYER_OF, ROOT, _tree

# The predicate behind the guard; view modules may use it for flags (`can_edit` in a
# template's context), not to refuse.
PREDICATES = {"can_edit_account"}
# The guard itself and the DRF face of it.
OWNERS = {"accounts/access.py", "accounts/api/permissions.py"}
REFUSALS = {"PermissionDenied", "Http404", "HttpResponseForbidden", "NotFound"}


def _is_view_module(where: Path) -> bool:
    return where.name == "views.py" or where.name.endswith("_views.py") or "api" in where.parts


def _calls_predicate(node: ast.AST) -> bool:
    return any(
        isinstance(sub, ast.Call)
        and (getattr(sub.func, "id", None) or getattr(sub.func, "attr", None)) in PREDICATES
        for sub in ast.walk(node)
    )


def _names(node: ast.AST) -> set[str]:
    return {sub.id for sub in ast.walk(node) if isinstance(sub, ast.Name)}


def _refuses(body: list[ast.stmt]) -> bool:
    """The branch raises a 403/404 or answers with status 403."""
    for statement in body:
        for sub in ast.walk(statement):
            if isinstance(sub, ast.Raise) and sub.exc is not None and _names(sub.exc) & REFUSALS:
                return True
            if isinstance(sub, ast.Raise) and getattr(sub.exc, "attr", None) in REFUSALS:
                return True
            if isinstance(sub, ast.Call) and _names(sub.func) & REFUSALS:
                return True
            if isinstance(sub, ast.keyword) and sub.arg == "status":
                value = sub.value
                if isinstance(value, ast.Constant) and value.value == 403:
                    return True
                if isinstance(value, ast.Attribute) and "403" in value.attr:
                    return True
    return False


def hand_written_edit_checks(root: Path) -> list[str]:
    """`if not can_edit_account(...): raise PermissionDenied` (directly or through a
    variable holding the predicate's answer) and DRF permission classes that ask the
    predicate themselves, in the view modules of every app."""
    found = []
    for app in sorted(LAYER_OF):
        for path in sorted((root / app).rglob("*.py")):
            where = path.relative_to(root)
            if where.as_posix() in OWNERS or not _is_view_module(where):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            answers = {
                target.id
                for node in ast.walk(tree)
                if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None
                if _calls_predicate(node.value)
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                if isinstance(target, ast.Name)
            }
            for node in ast.walk(tree):
                if isinstance(node, ast.If) and _refuses(node.body):
                    if _calls_predicate(node.test) or _names(node.test) & answers:
                        found.append(f"{where}:{node.lineno}: hand-written edit check")
                elif (
                    isinstance(node, ast.ClassDef)
                    and _calls_predicate(node)
                    and any("Permission" in ast.unparse(base) for base in node.bases)
                ):
                    found.append(f"{where}:{node.lineno}: own permission class {node.name}")
    return found


def test_no_view_copies_the_edit_check():
    assert hand_written_edit_checks(ROOT) == []


@pytest.mark.parametrize(
    ("path", "source"),
    [
        (
            "contracts/views.py",
            "def edit(request, pk):\n"
            "    contract = get_contract_for(request.user, pk)\n"
            "    if not can_edit_account(request.user, contract.account):\n"
            "        raise PermissionDenied\n",
        ),
        (
            "planning/coaching/views.py",
            "def edit(request, pk):\n"
            "    plan = get_plan(request.user, pk)\n"
            "    may = access.can_edit_account(request.user, plan.account)\n"
            "    if not may:\n"
            "        raise Http404\n",
        ),
        (
            "reviews/api/views.py",
            "def patch(request, pk):\n"
            "    review = get_review(request, pk)\n"
            "    if not can_edit_account(actor(request), review.account):\n"
            "        return Response(status=403)\n",
        ),
        (
            "deals/api/views.py",
            "class CanEditDeal(permissions.BasePermission):\n"
            "    def has_object_permission(self, request, view, obj):\n"
            "        return can_edit_account(request.user, obj.account)\n",
        ),
    ],
)
def test_the_check_finds_a_planted_copy(tmp_path, path, source):
    root = _tree(tmp_path, {path: source})
    assert len(hand_written_edit_checks(root)) == 1


def test_the_check_lets_flags_services_and_the_guard_pass(tmp_path):
    root = _tree(
        tmp_path,
        {
            "contracts/views.py": (
                "def detail(request, pk):\n"
                "    contract = get_contract_for(request.user, pk)\n"
                "    can_edit = can_edit_account(request.user, contract.account)\n"
                "    return render(request, 'x.html', {'can_edit': can_edit})\n"
            ),
            "contracts/services.py": (
                "def contract_update(*, actor, contract):\n"
                "    if not can_edit_account(actor, contract.account):\n"
                "        raise PermissionDenied\n"
            ),
            "accounts/access.py": (
                "def get_editable_or_404(user, queryset, pk):\n"
                "    if not can_edit_account(user, account):\n"
                "        raise PermissionDenied\n"
            ),
        },
    )
    assert hand_written_edit_checks(root) == []
