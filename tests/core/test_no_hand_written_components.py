"""Summary lists, tables, tags and buttons are written with the GOV.UK partials
(`{% govuk_summary_list %}`, `{% govuk_table %}`, `{% govuk_tag %}`,
`{% govuk_button %}`; see core/templatetags/govuk.py), which are checked
against govuk-frontend's own fixtures, never as hand-written markup.

NOT_YET_CONVERTED lists the templates that still have hand-written markup.
It may only shrink: a new template with hand-written markup fails, and so
does an entry whose template no longer needs it (remove the entry).
"""

import re
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SKIP_DIRS = {".venv", "node_modules", "build", ".git"}
# The partials themselves.
PARTIALS_DIR = BASE_DIR / "core/templates/govuk/components"

# Class names that only the partials may write.
COMPONENT_CLASS = re.compile(
    r"(?<![\w-])govuk-(summary-list|summary-card|table|tag|button)(?![\w-])"
)
CLASS_ATTRIBUTE = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")

_PRINT = "a printed document, styled by the print stylesheet"
NOT_YET_CONVERTED = {
    # The table has a class on its rows and an empty header cell, which the
    # GOV.UK table does not take.
    "matching/templates/matching/compare.html": "row classes",
    "privacy/templates/privacy/subject_access_document.html": _PRINT,
    "plans/templates/plans/document.html": _PRINT,
    "core/templates/print/family_document.html": _PRINT,
    "reviews/templates/reviews/document.html": _PRINT,
}


def hand_written_components(text):
    """The component class names a template writes in its own class attributes."""
    found = set()
    for match in CLASS_ATTRIBUTE.finditer(text):
        value = match.group(1) if match.group(1) is not None else match.group(2)
        found.update(f"govuk-{name}" for name in COMPONENT_CLASS.findall(value))
    return found


def templates():
    for path in BASE_DIR.rglob("*.html"):
        relative = path.relative_to(BASE_DIR)
        if SKIP_DIRS.intersection(relative.parts) or path.is_relative_to(PARTIALS_DIR):
            continue
        yield relative.as_posix(), path.read_text(encoding="utf-8")


def files_with_hand_written_components():
    return {name: found for name, text in templates() if (found := hand_written_components(text))}


def test_no_new_hand_written_summary_lists_tables_tags_or_buttons():
    new = {
        name: sorted(found)
        for name, found in files_with_hand_written_components().items()
        if name not in NOT_YET_CONVERTED
    }
    assert not new, (
        "Write these with the GOV.UK partials ({% govuk_summary_list %}, {% govuk_table %}, "
        f"{{% govuk_tag %}}, {{% govuk_button %}}), not by hand: {new}"
    )


def test_the_not_yet_converted_list_only_shrinks():
    converted = sorted(set(NOT_YET_CONVERTED) - set(files_with_hand_written_components()))
    assert not converted, f"No hand-written markup left: remove from NOT_YET_CONVERTED: {converted}"


def test_the_search_finds_component_classes_and_only_those():
    assert hand_written_components('<dl class="govuk-summary-list">') == {"govuk-summary-list"}
    assert hand_written_components(
        "<strong class='app-x govuk-tag govuk-tag--red'>"
        '<a class="govuk-button govuk-button--secondary" href="#">'
        '<table class="govuk-table app-compare">'
    ) == {"govuk-tag", "govuk-button", "govuk-table"}
    # Parts of a component the partial writes around a hand-written cell are fine;
    # so are button groups and class names passed to a partial.
    assert not hand_written_components(
        '<div class="govuk-button-group"><span class="govuk-tag__x govuk-table__cell">'
        '{% govuk_button label "govuk-button--warning" %}<p class="govuk-body">govuk-tag</p>'
    )
    assert "templates/base.html" in dict(templates())
    assert not any(name.startswith("core/templates/govuk/components/") for name, _ in templates())
