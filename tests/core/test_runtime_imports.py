"""The service imports at run time only what `pip install .` installs: the
project's dependencies and theirs. A package of the `dev` extra (the type
stubs, pytest, Hypothesis...) imported by a module of the service works in
every test run and fails in production, so each module's imports are read
here (those under `if TYPE_CHECKING:` are for the type checker only)."""

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PACKAGES = [
    name.rstrip("*") for name in CONFIG["tool"]["setuptools"]["packages"]["find"]["include"]
]


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _installed_with_the_service() -> set[str]:
    """Distribution names: the dependencies and everything they require."""
    todo = [_name(r) for r in CONFIG["project"]["dependencies"]]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [_name(r) for r in requires if "extra ==" not in r]
    return seen


def _runtime_imports(tree: ast.AST):
    def walk(node, type_checking=False):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                yield from walk(child, True)
            for child in node.orelse:
                yield from walk(child, type_checking)
            return
        if not type_checking and isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        if not type_checking and isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module.split(".")[0]
        for child in ast.iter_child_nodes(node):
            yield from walk(child, type_checking)

    yield from walk(tree)


def test_every_module_imports_only_what_the_service_installs():
    installed = _installed_with_the_service()
    distributions = metadata.packages_distributions()
    ours = set(PACKAGES)
    wrong = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for module in set(_runtime_imports(tree)):
                if module in ours or module in sys.stdlib_module_names or module == "__future__":
                    continue
                providers = {_name(d) for d in distributions.get(module, [])}
                if not providers & installed:
                    wrong.append(f"{path.relative_to(ROOT)}: {module}")
    assert wrong == []


def test_the_check_would_find_a_dev_only_import():
    tree = ast.parse("from django_stubs_ext import StrOrPromise\nimport hypothesis\n")
    assert set(_runtime_imports(tree)) == {"django_stubs_ext", "hypothesis"}
    guarded = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pytest\n")
    assert set(_runtime_imports(guarded)) == {"typing"}
    assert "hypothesis" not in _installed_with_the_service()
    assert "asgiref" in _installed_with_the_service()  # Django's own dependency
