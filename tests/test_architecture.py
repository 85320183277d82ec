"""Apps import downward only.

users <- kam <- accounts <- (activities, deals, contracts, customer_care) <- planning
<- reviews <- (portfolio, reminders) <- imports <- webhooks. A module may import its own
app and the apps of lower layers; apps on one layer do not import each other, except for
the edges listed in ALLOWED_SIBLING_IMPORTS. Imports inside functions count like any
other, and so do `import_module("...")` and `import_string("...")` with a literal name. A
lower app that must show what an upper one has offers a registry in `kam/registry.py`
instead."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS: list[set[str]] = [
    {"users"},
    {"kam"},
    {"accounts"},
    {"activities", "deals", "contracts", "customer_care"},
    {"planning"},
    {"reviews"},
    {"portfolio", "reminders", "calendars"},
    {"imports"},
    {"webhooks"},
]

# (importer, imported) within one layer, one direction only.
ALLOWED_SIBLING_IMPORTS: dict[tuple[str, str], str] = {
    ("customer_care", "activities"): (
        "a detractor survey creates a follow-up in the contact log, in the same transaction"
    ),
}

LAYER_OF = {app: number for number, apps in enumerate(LAYERS) for app in apps}
DYNAMIC_IMPORTERS = {"import_module", "import_string", "__import__"}


def _imported_names(tree: ast.AST) -> list[tuple[int, str]]:
    names: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if (
                called in DYNAMIC_IMPORTERS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                names.append((node.lineno, first.value))
    return names


def import_violations(root: Path) -> list[str]:
    """Every import in the apps under `root` that goes up a layer or sideways."""
    violations = []
    for app in sorted(LAYER_OF):
        for path in sorted((root / app).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for line, name in _imported_names(tree):
                target = name.split(".")[0]
                if target == app or target not in LAYER_OF:
                    continue
                if LAYER_OF[target] < LAYER_OF[app]:
                    continue
                if (app, target) in ALLOWED_SIBLING_IMPORTS:
                    continue
                where = path.relative_to(root)
                direction = "up" if LAYER_OF[target] > LAYER_OF[app] else "sideways"
                violations.append(f"{where}:{line}: {app} imports {name} ({direction})")
    return violations


def swallowed_import_errors(root: Path) -> list[str]:
    """`except ImportError` (or ModuleNotFoundError) anywhere in the apps: a typo would
    silently drop a feature instead of failing."""
    found = []
    for app in sorted(LAYER_OF):
        for path in sorted((root / app).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ExceptHandler) or node.type is None:
                    continue
                types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                names = {getattr(t, "id", getattr(t, "attr", "")) for t in types}
                if names & {"ImportError", "ModuleNotFoundError"}:
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def module_rule_violations(root: Path) -> list[str]:
    """API modules do not import HTML view modules (shared code lives in services,
    selectors or kam/), and selectors do not import template tags (kam.formats has the
    formatting both use)."""
    found = []
    for app in sorted(LAYER_OF):
        for path in sorted((root / app).rglob("*.py")):
            where = path.relative_to(root)
            is_api = "api" in where.parts[:-1] or where.name == "api.py"
            is_selector = where.name == "selectors.py"
            if not (is_api or is_selector):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for line, name in _imported_names(tree):
                parts = name.split(".")
                own = parts[0] in LAYER_OF
                if is_api and own and parts[-1] == "views" and "api" not in parts:
                    found.append(f"{where}:{line}: API module imports {name}")
                if is_selector and "templatetags" in parts:
                    found.append(f"{where}:{line}: selector imports {name}")
    return found


def test_apps_import_downward_only():
    assert import_violations(ROOT) == []


def test_no_import_error_is_swallowed():
    assert swallowed_import_errors(ROOT) == []


def test_api_modules_and_selectors_keep_to_their_part():
    assert module_rule_violations(ROOT) == []


def test_allowed_sibling_imports_stay_on_one_layer_and_one_way():
    for importer, imported in ALLOWED_SIBLING_IMPORTS:
        assert LAYER_OF[importer] == LAYER_OF[imported]
        assert (imported, importer) not in ALLOWED_SIBLING_IMPORTS


def test_every_app_on_disk_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps - set(LAYER_OF) == set()


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return tmp_path


def test_the_check_passes_a_tree_that_imports_downward(tmp_path):
    root = _tree(
        tmp_path,
        {
            "accounts/views.py": "from kam import registry\nfrom users.models import User\n",
            "planning/views.py": "from deals.models import Opportunity\n",
            "reviews/apps.py": "def ready():\n    from reviews import demo\n",
        },
    )
    assert import_violations(root) == []


@pytest.mark.parametrize(
    ("path", "source", "expected"),
    [
        (
            "accounts/selectors.py",
            "from planning.models import Objective\n",
            "accounts/selectors.py:1: accounts imports planning.models (up)",
        ),
        (
            "accounts/selectors.py",
            "def figures():\n    from deals.selectors import totals\n",
            "accounts/selectors.py:2: accounts imports deals.selectors (up)",
        ),
        (
            "kam/timeline.py",
            "import importlib\nSOURCE = importlib.import_module('deals.timeline')\n",
            "kam/timeline.py:2: kam imports deals.timeline (up)",
        ),
        (
            "users/views.py",
            "import kam.htmx\n",
            "users/views.py:1: users imports kam.htmx (up)",
        ),
        (
            "deals/views.py",
            "from contracts.models import Contract\n",
            "deals/views.py:1: deals imports contracts.models (sideways)",
        ),
        (
            "activities/services.py",
            "from customer_care.models import Survey\n",
            "activities/services.py:1: activities imports customer_care.models (sideways)",
        ),
        (
            "reviews/pdf.py",
            "from portfolio.selectors import cockpit\n",
            "reviews/pdf.py:1: reviews imports portfolio.selectors (up)",
        ),
    ],
)
def test_the_check_fails_on_a_planted_upward_or_sideways_import(tmp_path, path, source, expected):
    root = _tree(tmp_path, {path: source})
    assert import_violations(root) == [expected]


def test_the_check_finds_a_swallowed_import_error(tmp_path):
    source = "try:\n    from deals import timeline\nexcept ImportError:\n    timeline = None\n"
    root = _tree(tmp_path, {"kam/timeline.py": source})
    assert swallowed_import_errors(root) == ["kam/timeline.py:3"]


def test_the_check_finds_an_api_importing_a_page_view_and_a_selector_importing_a_filter(
    tmp_path,
):
    root = _tree(
        tmp_path,
        {
            "contracts/api/views.py": (
                "from contracts.views import document_response\n"
                "from contracts.api.serializers import ContractSerializer\n"
            ),
            "planning/action_plan/selectors.py": "from kam.templatetags.kam import money\n",
        },
    )
    assert module_rule_violations(root) == [
        "contracts/api/views.py:1: API module imports contracts.views",
        "planning/action_plan/selectors.py:1: selector imports kam.templatetags.kam",
    ]
