"""`make types` checks every domain service module: a new `services.py` (or
another module of domain functions) is typed from the start, because mypy
only checks the files listed under [tool.mypy] in pyproject.toml."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Domain functions that live outside a services.py.
OTHER_DOMAIN_MODULES = {
    "core/councils.py",
    "core/policy.py",
    "episodes/states.py",
    "episodes/lead_professional.py",
    "episodes/chronology.py",
    "episodes/next_button.py",
    "episodes/progress.py",
    "episodes/work_owed.py",
    "assessments/scoring.py",
    "people/restrictions.py",
    "people/search.py",
    "matching/engine.py",
    "matching/scoring.py",
    "matching/batch.py",
    "matching/rows.py",
    "matching/merging.py",
    "matching/duplicates.py",
    "privacy/retention.py",
    "privacy/subject_access.py",
}


def _checked_files() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["mypy"]["files"])


def test_every_services_module_is_type_checked():
    services = {
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("*/services.py")
        if (path.parent / "apps.py").exists()
    }
    assert services, "no services.py found: the test is looking in the wrong place"
    assert services - _checked_files() == set()


def test_the_other_domain_modules_are_type_checked():
    assert OTHER_DOMAIN_MODULES - _checked_files() == set()


def test_every_checked_file_exists():
    missing = {name for name in _checked_files() if not (ROOT / name).is_file()}
    assert missing == set()
