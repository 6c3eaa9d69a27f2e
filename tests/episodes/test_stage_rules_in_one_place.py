"""What each stage of a case allows is decided in one place,
episodes/states.py (`allows`, `why_not`, `statuses_allowing`, the `allows`
template filter): no view, service or template compares a case's status."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# The state machine itself, and the model that declares the statuses.
ALLOWED = {"episodes/states.py", "episodes/models.py"}
# Demo data builds cases at each stage; it decides nothing.
DATA = {"core/demo.py", "core/demo_need_to_know.py", "core/demo_matching.py"}
CASE = r"(?:episode|current|case|stepped_down|\w+_episode)"
RULES = [
    re.compile(rf"\b{CASE}\.status\s*(?:==|!=|\bin\b|\bnot in\b)"),
    re.compile(
        r"(?:==|!=|\bin\b)\s*\(?\s*Status\.(?:REQUESTED|ASSESSMENT|MEETING|PLAN|STEPPED_UP|CLOSED)\b"
    ),
    re.compile(rf"\b{CASE}\.is_open\b"),
    re.compile(r"\bOPEN_STATUSES\b"),
    re.compile(r"status__in\s*=\s*\(?\s*(?:\[|\(|OPEN|Status)"),
]


def sources():
    apps = {path.parent for path in ROOT.glob("*/apps.py")}
    for app in sorted(apps):
        for path in app.rglob("*"):
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix not in {".py", ".html"} or "migrations" in path.parts:
                continue
            if relative in ALLOWED | DATA:
                continue
            yield relative, path.read_text(encoding="utf-8")
    for path in (ROOT / "templates").rglob("*.html"):
        yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def comparisons(text):
    return [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), 1)
        if any(rule.search(line) for rule in RULES)
    ]


def test_no_view_service_or_template_compares_a_case_status():
    found = [
        f"{name}:{number}: {line}" for name, text in sources() for number, line in comparisons(text)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("line", "compares"),
    [
        ("if episode.status != Status.PLAN:", True),
        ("if current.status == Status.REQUESTED:", True),
        ('{% elif episode.status == "requested" %}', True),
        ("if not episode.is_open:", True),
        ("Episode.objects.filter(status__in=OPEN_STATUSES)", True),
        ("return episode.status in MEETING_STATUSES", True),
        ('if states.allows(episode, "record_review"):', False),
        ('status__in=states.statuses_allowing("list_as_open")', False),
        ("if action.status == ActionStatus.NOT_DONE:", False),
        ("if panel.is_open:", False),
    ],
)
def test_the_check_finds_comparisons_and_only_those(line, compares):
    assert bool(comparisons(line)) is compares
