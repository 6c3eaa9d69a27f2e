"""Every view runs a domain function from a form through
`core.forms.run_form_action`, so a refusal looks the same on every page: a
ValidationError on the form, a TransitionRefused and a StaleEdit (someone
saved first) in the error summary, with what the user typed kept. A view that
catches one of these itself, or builds its form from `request.POST or None`
(an empty submission would show no errors: use `core.forms.posted`), fails.

ALLOWED lists the only places that may catch them by hand, each with why.
"""

import ast
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "node_modules", "build", ".git", "tests"}
CAUGHT_BY_THE_HELPER = {"ValidationError", "TransitionRefused", "StaleEdit"}

ALLOWED = {
    # The background autosave answers JSON to autosave.js (a status code and a
    # message), not a page with an error summary.
    ("assessments/views.py", "_autosave"),
}


def views_modules():
    found = set()
    for pattern in ("*/views.py", "*/*_views.py", "*/views/*.py"):
        for path in BASE_DIR.glob(pattern):
            if path.relative_to(BASE_DIR).parts[0] not in SKIP_DIRS:
                found.add(path)
    return sorted(found)


def _names(node):
    """The exception class names an `except` clause catches."""
    if node is None:
        return set()
    if isinstance(node, ast.Tuple):
        return set().union(*(_names(element) for element in node.elts))
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.Name):
        return {node.id}
    return set()


def _is_request_post(node):
    return isinstance(node, ast.Attribute) and node.attr == "POST"


def _is_none(node):
    return isinstance(node, ast.Constant) and node.value is None


def _posted_by_hand(node):
    """`request.POST or None`, or `request.POST if ... else None`."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        return _is_request_post(node.values[0]) and _is_none(node.values[-1])
    if isinstance(node, ast.IfExp):
        return _is_request_post(node.body) and _is_none(node.orelse)
    return False


class _Finder(ast.NodeVisitor):
    def __init__(self, module):
        self.module = module
        self.function = None
        self.found = []

    def visit_FunctionDef(self, node):
        outer = self.function
        # A nested function belongs to the view it is written in.
        self.function = outer or node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def _report(self, node, what):
        if (self.module, self.function) not in ALLOWED:
            self.found.append(f"{self.module}:{node.lineno} in {self.function}(): {what}")

    def visit_ExceptHandler(self, node):
        caught = _names(node.type) & CAUGHT_BY_THE_HELPER
        if caught:
            self._report(node, f"catches {', '.join(sorted(caught))}")
        self.generic_visit(node)

    def generic_visit(self, node):
        if _posted_by_hand(node):
            self._report(node, "request.POST or None (use core.forms.posted)")
        super().generic_visit(node)


def findings(module, source):
    finder = _Finder(module)
    finder.visit(ast.parse(source))
    return finder.found


def test_no_view_catches_what_run_form_action_handles():
    found = []
    for path in views_modules():
        found += findings(str(path.relative_to(BASE_DIR)), path.read_text())
    assert found == [], (
        "Run the domain function with core.forms.run_form_action (see its docstring; "
        "on_stale= shows both versions) and build the form from core.forms.posted(request):\n"
        + "\n".join(found)
    )


def test_every_app_with_views_is_read():
    modules = {str(path.relative_to(BASE_DIR)) for path in views_modules()}
    assert {
        "accounts/views.py",
        "assessments/views.py",
        "episodes/request_views.py",
        "plans/views.py",
        "referrals/views.py",
    } <= modules


def test_the_check_finds_each_hand_written_way():
    source = """
def view(request):
    form = Form(request.POST or None)
    other = Form(request.POST if request.method == "POST" else None)
    try:
        services.act()
    except ValidationError as error:
        pass
    except (states.TransitionRefused, KeyError):
        pass
    except services.StaleEdit:
        pass
    except KeyError:
        pass
"""
    assert [line.split(": ", 1)[1] for line in findings("app/views.py", source)] == [
        "request.POST or None (use core.forms.posted)",
        "request.POST or None (use core.forms.posted)",
        "catches ValidationError",
        "catches TransitionRefused",
        "catches StaleEdit",
    ]


def test_every_allowed_place_still_exists():
    # An entry whose function is gone or no longer catches anything is removed.
    for module, function in ALLOWED:
        tree = ast.parse((BASE_DIR / module).read_text())
        view = next(
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name == function
        )
        assert any(
            _names(node.type) & CAUGHT_BY_THE_HELPER
            for node in ast.walk(view)
            if isinstance(node, ast.ExceptHandler)
        ), (module, function)
