"""Our GOV.UK partials against the reference HTML of govuk-frontend.

Every component in the govuk-frontend package ships a `fixtures.json`: the
options given to the Nunjucks macro and the exact HTML it produces. We render
the same options through `render_component` and compare element trees (see
tests/core/html_compare.py).

A fixture is selected when every option it uses is one our partial supports,
as declared in SUPPORTED below. Fixtures that use anything else are left out
of the parametrisation (they are not skipped: they never become tests), and
test_selection_is_not_empty guards against the table silently selecting
nothing for a component.
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from core.govuk import render_component
from tests.core.html_compare import assert_html_equivalent, normalise

COMPONENTS_DIR = Path(settings.BASE_DIR) / "node_modules/govuk-frontend/dist/govuk/components"

_TEXT = ("text", "html")
_HINT = ("hint.text", "hint.html", "hint.classes", "hint.attributes.*")
_ERROR = (
    "errorMessage.text",
    "errorMessage.html",
    "errorMessage.classes",
    "errorMessage.visuallyHiddenText",
    "errorMessage.attributes.*",
)
_LABEL = ("label.text", "label.html", "label.classes", "label.isPageHeading", "label.attributes.*")
_FORM_GROUP = ("formGroup.classes", "formGroup.attributes.*")
_LEGEND = (
    "fieldset.legend.text",
    "fieldset.legend.html",
    "fieldset.legend.classes",
    "fieldset.legend.isPageHeading",
    "fieldset.classes",
    "fieldset.describedBy",
    "fieldset.attributes.*",
)
_CHOICE_ITEMS = (
    "items",  # a list may hold empty items, which are left out
    "items[].value",
    "items[].text",
    "items[].html",
    "items[].id",
    "items[].checked",
    "items[].disabled",
    "items[].divider",
    "items[].hint.text",
    "items[].hint.html",
    "items[].hint.classes",
    "items[].hint.attributes.*",
    "items[].label.classes",
    "items[].label.attributes.*",
    "items[].conditional.html",
    "items[].attributes.*",
)
_ACTION = ("href", *_TEXT, "visuallyHiddenText", "classes", "attributes.*")
_CELL = (*_TEXT, "format", "classes", "colspan", "rowspan", "attributes.*")
_DATE_PART = ("name", "label", "value", "classes", "id", "error", "autocomplete", "inputmode")

# Option paths each partial supports: `a.b` is a nested key, `items[]` an item
# of a list, and `x.*` anything under x (free-form attributes, keyed values).
SUPPORTED = {
    "input": {
        "id",
        "name",
        "type",
        "value",
        "disabled",
        "describedBy",
        "classes",
        "autocomplete",
        "autocapitalize",
        "pattern",
        "spellcheck",
        "inputmode",
        "attributes.*",
        *_LABEL,
        *_HINT,
        *_ERROR,
        *_FORM_GROUP,
        "prefix.text",
        "prefix.html",
        "prefix.classes",
        "prefix.attributes.*",
        "suffix.text",
        "suffix.html",
        "suffix.classes",
        "suffix.attributes.*",
        "inputWrapper.classes",
        "inputWrapper.attributes.*",
    },
    "textarea": {
        "id",
        "name",
        "rows",
        "value",
        "disabled",
        "describedBy",
        "classes",
        "spellcheck",
        "autocomplete",
        "attributes.*",
        *_LABEL,
        *_HINT,
        *_ERROR,
        *_FORM_GROUP,
    },
    "select": {
        "id",
        "name",
        "value",
        "disabled",
        "describedBy",
        "classes",
        "attributes.*",
        "items",
        "items[].value",
        "items[].text",
        "items[].selected",
        "items[].disabled",
        "items[].attributes.*",
        *_LABEL,
        *_HINT,
        *_ERROR,
        *_FORM_GROUP,
    },
    "radios": {
        "idPrefix",
        "name",
        "value",
        "classes",
        "attributes.*",
        *_CHOICE_ITEMS,
        *_LEGEND,
        *_HINT,
        *_ERROR,
        *_FORM_GROUP,
    },
    "checkboxes": {
        "idPrefix",
        "name",
        "values",
        "describedBy",
        "classes",
        "attributes.*",
        *_CHOICE_ITEMS,
        "items[].name",
        "items[].behaviour",
        *_LEGEND,
        *_HINT,
        *_ERROR,
        *_FORM_GROUP,
    },
    "date-input": {
        "id",
        "namePrefix",
        "classes",
        "attributes.*",
        "values.*",
        "items",
        *(f"items[].{key}" for key in (*_DATE_PART, "pattern", "attributes.*")),
        *("day", "month", "year"),  # false leaves the part out
        *(f"{part}.{key}" for part in ("day", "month", "year") for key in _DATE_PART),
        *_LEGEND,
        *_HINT,
        *_ERROR,
        *_FORM_GROUP,
    },
    "error-summary": {
        "titleText",
        "titleHtml",
        "descriptionText",
        "descriptionHtml",
        "classes",
        "disableAutoFocus",
        "attributes.*",
        "errorList",
        "errorList[].text",
        "errorList[].html",
        "errorList[].href",
        "errorList[].attributes.*",
    },
    "error-message": {"id", *_TEXT, "classes", "visuallyHiddenText", "attributes.*"},
    "hint": {"id", *_TEXT, "classes", "attributes.*"},
    "label": {*_TEXT, "for", "classes", "isPageHeading", "attributes.*"},
    "button": {
        *_TEXT,
        "id",
        "name",
        "type",
        "value",
        "href",
        "classes",
        "disabled",
        "preventDoubleClick",
        "isStartButton",
        "attributes.*",
    },
    "summary-list": {
        "classes",
        "attributes.*",
        "rows",  # a list may hold empty rows, which are left out
        "rows[].classes",
        *(f"rows[].{part}.{key}" for part in ("key", "value") for key in (*_TEXT, "classes")),
        "rows[].actions.classes",
        "rows[].actions.items",
        *(f"rows[].actions.items[].{key}" for key in _ACTION),
        "card.classes",
        "card.attributes.*",
        "card.title.text",
        "card.title.html",
        "card.title.classes",
        "card.title.headingLevel",
        "card.actions.classes",
        *(f"card.actions.items[].{key}" for key in _ACTION),
    },
    "table": {
        "caption",
        "captionClasses",
        "firstCellIsHeader",
        "classes",
        "attributes.*",
        *(f"head[].{key}" for key in _CELL),
        "rows",  # a list may hold empty rows, which are left out
        *(f"rows[][].{key}" for key in _CELL),
    },
    "tag": {*_TEXT, "classes", "attributes.*"},
}


def option_paths(value, prefix=""):
    """Every leaf option of a fixture as a path: `fieldset.legend.text`, `items[].hint.text`.

    An empty mapping or list, or an empty item of a list, is a leaf of its own.
    """
    if isinstance(value, dict) and value:
        for key, child in value.items():
            yield from option_paths(child, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list) and value:
        for child in value:
            if isinstance(child, dict | list) and child:
                yield from option_paths(child, f"{prefix}[]")
            else:
                yield prefix
    elif prefix:  # a fixture with no options at all uses nothing
        yield prefix


def is_supported(path, supported):
    if path in supported:
        return True
    return any(
        pattern.endswith(".*") and (path == pattern[:-2] or path.startswith(pattern[:-1]))
        for pattern in supported
    )


def unsupported_options(component, options):
    return sorted({p for p in option_paths(options) if not is_supported(p, SUPPORTED[component])})


def load_fixtures(component):
    with open(COMPONENTS_DIR / component / "fixtures.json", encoding="utf-8") as file:
        return json.load(file)["fixtures"]


def selected_fixtures():
    cases = []
    for component in SUPPORTED:
        for fixture in load_fixtures(component):
            if not unsupported_options(component, fixture["options"]):
                cases.append(pytest.param(component, fixture, id=f"{component}:{fixture['name']}"))
    return cases


SELECTED = selected_fixtures()


@pytest.mark.parametrize(("component", "fixture"), SELECTED)
def test_component_matches_govuk_frontend(component, fixture):
    html = render_component(component, fixture["options"])
    assert_html_equivalent(html, fixture["html"])


@pytest.mark.parametrize("component", sorted(SUPPORTED))
def test_selection_is_not_empty(component):
    selected = [case for case in SELECTED if case.values[0] == component]
    assert len(selected) >= 3, f"only {len(selected)} {component} fixtures selected"


# The selection itself and the comparison must be able to fail.


def test_option_paths_and_selection():
    options = {
        "name": "x",
        "items": [None, {"text": "A", "hint": {"text": "h"}}],
        "fieldset": {"legend": {"text": "L"}},
        "attributes": {"data-x": "1"},
    }
    assert sorted(set(option_paths(options))) == [
        "attributes.data-x",
        "fieldset.legend.text",
        "items",
        "items[].hint.text",
        "items[].text",
        "name",
    ]
    assert unsupported_options("radios", options) == []
    assert unsupported_options("radios", {**options, "fieldset": {"role": "x"}}) == [
        "fieldset.role"
    ]
    assert unsupported_options("input", {"formGroup": {"beforeInput": {"text": "£"}}}) == [
        "formGroup.beforeInput.text"
    ]


def test_normalise_treats_equivalent_html_as_equal():
    assert normalise('<input checked="" class="b a" type="radio">') == normalise(
        "<input type=radio class='a b  a' checked>"
    )
    assert normalise("<p>\n  It&#39;s\n   here  </p>") == normalise("<p>It's here</p>")
    assert normalise("<div>\n  <span>x</span>\n</div>") == normalise("<div><span>x</span></div>")


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ('<p class="a">x</p>', '<p class="a b">x</p>'),
        ("<p>x</p>", "<div>x</div>"),
        ("<p>x y</p>", "<p>xy</p>"),
        ('<input value="">', "<input>"),
        ("<p><b>x</b></p>", "<p><b>x</b><b></b></p>"),
        ('<a href="#a">x</a>', '<a href="#b">x</a>'),
    ],
)
def test_assert_html_equivalent_fails_on_real_differences(actual, expected):
    with pytest.raises(AssertionError, match="HTML differs") as failure:
        assert_html_equivalent(actual, expected)
    assert "--- expected (govuk-frontend)" in str(failure.value)
    assert "+++ actual (our partial)" in str(failure.value)


def test_normalise_rejects_broken_html():
    with pytest.raises(AssertionError, match="does not close"):
        normalise("<div><p>x</div>")
    with pytest.raises(AssertionError, match="unclosed"):
        normalise("<div><p>x</p>")


def test_label_hint_and_error_message_take_macro_options():
    assert render_component("label", {"text": "Name", "for": "name"}) == (
        '<label class="govuk-label" for="name">Name</label>'
    )
    assert render_component("hint", {"text": "Your full name", "id": "name-hint"}) == (
        '<div id="name-hint" class="govuk-hint">Your full name</div>'
    )
    assert render_component("error-message", {"text": "Enter a name", "id": "name-error"}) == (
        '<p id="name-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Enter a name</p>'
    )


def test_text_options_are_escaped_and_html_options_are_not():
    html = render_component(
        "input",
        {
            "name": "q",
            "label": {"text": "<b>x</b>"},
            "hint": {"html": "<b>y</b>"},
            "value": '"><script>',
        },
    )
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>y</b>" in html
    assert 'value="&quot;&gt;&lt;script&gt;"' in html


def test_selected_fixture_names_are_unique():
    ids = [case.id for case in SELECTED]
    assert len(ids) == len(set(ids))
    assert all(re.match(r"^[a-z-]+:", case_id) for case_id in ids)


# Our extension: the summary card around any content. It must be the card
# `govukSummaryList` writes: every selected fixture of a list in a card, written
# as the list without its card inside "summary-card", gives the fixture's HTML.
CARD_FIXTURES = [case for case in SELECTED if "card" in case.values[1]["options"]]


@pytest.mark.parametrize(("component", "fixture"), CARD_FIXTURES)
def test_summary_card_around_any_content_is_the_summary_lists_card(component, fixture):
    options = dict(fixture["options"])
    card = options.pop("card")
    inner = render_component(component, {**options, "inCard": card})
    html = render_component("summary-card", {**card, "html": inner})
    assert_html_equivalent(html, fixture["html"])


def test_card_fixtures_are_selected():
    assert len(CARD_FIXTURES) >= 3
    assert any(case.values[1]["options"]["card"].get("actions") for case in CARD_FIXTURES)


def test_a_row_action_that_is_not_a_link():
    """Our extension: `actions.html`, such as a form with a "Remove" button,
    in the actions column; the other rows keep the column, as for links."""
    html = render_component(
        "summary-list",
        {
            "rows": [
                {"key": {"text": "Ann"}, "value": {"text": "Mother"}},
                {
                    "key": {"text": "Bo"},
                    "value": {"text": "Son"},
                    "actions": {"html": "<form><button>Remove</button></form>"},
                },
            ]
        },
    )
    assert_html_equivalent(
        html,
        '<dl class="govuk-summary-list">'
        '<div class="govuk-summary-list__row govuk-summary-list__row--no-actions">'
        '<dt class="govuk-summary-list__key">Ann</dt>'
        '<dd class="govuk-summary-list__value">Mother</dd></div>'
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Bo</dt>'
        '<dd class="govuk-summary-list__value">Son</dd>'
        '<dd class="govuk-summary-list__actions"><form><button>Remove</button></form></dd>'
        "</div></dl>",
    )


def test_a_row_value_with_attributes():
    """Our extension: attributes on a row's value, such as the id a page finds it by."""
    html = render_component(
        "summary-list",
        {
            "rows": [
                {"key": {"text": "Status"}, "value": {"text": "Done", "attributes": {"id": "s"}}}
            ]
        },
    )
    assert '<dd class="govuk-summary-list__value" id="s">Done</dd>' in html


_TEXTS = st.text(
    alphabet=st.sampled_from(["a", "1", "<", "&", '"', "'", "é", " ", "\x00"]), max_size=4
)


@given(
    pairs=st.lists(st.tuples(_TEXTS, _TEXTS), min_size=50, max_size=60),
    value=st.one_of(
        st.none(), _TEXTS, st.integers(-2, 12), st.booleans(), st.sampled_from([1.0, 2.5])
    ),
)
def test_a_select_s_options_escaped_once_are_the_options_escaped_for_each(pairs, value):
    """The <option>s of plain items, escaped once for every select given
    them (a plan's form: the council's agencies for each goal and action),
    are byte for byte those written item by item: each escaped, the ones
    whose value is the select's value (as Nunjucks prints it) selected."""
    from core import govuk

    plain = [{"value": v, "text": t} for v, t in pairs]
    assert govuk._plain_pairs(plain) is not None and len(plain) >= govuk._LONG_SELECT
    # An item with a third option is not plain: written item by item.
    item_by_item = [{"value": v, "text": t, "disabled": False} for v, t in pairs]
    assert govuk._options_html(plain, value) == govuk._options_html(item_by_item, value)


WRITTEN_IN_PYTHON = [case for case in SELECTED if case.values[0] in ("tag", "summary-list")]


@pytest.mark.parametrize(("component", "fixture"), WRITTEN_IN_PYTHON)
def test_a_component_written_in_python_is_its_template_byte_for_byte(component, fixture):
    """core.govuk writes the tag and the summary list itself (a case page has
    dozens); its HTML is exactly what the component's template writes, so
    that pages are unchanged whichever writes it."""
    from django.template.loader import render_to_string

    from core import govuk

    context = govuk._component(component, fixture["options"])
    template = render_to_string(f"govuk/components/{component}.html", context).strip()
    assert render_component(component, fixture["options"]) == template


def _our_own_options():
    """Summary lists and tags as the service's pages build them, beyond the
    fixtures: values that are dates, numbers, lazy translations and None,
    our extensions (a value's attributes, a row's actions as HTML, the card
    a list is written in), several actions, text to escape."""
    import datetime

    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    change = {"href": "/x?a=1&b=<2>", "text": "Change", "visuallyHiddenText": "the <name>"}
    return [
        ("tag", {"text": gettext_lazy("Overdue"), "classes": "govuk-tag--red"}),
        ("tag", {"text": 3, "attributes": {"id": "count", "data-x": '"q"'}}),
        ("tag", {"html": mark_safe("<b>Safe</b>")}),
        ("tag", {"text": None}),
        (
            "summary-list",
            {
                "classes": "app-list",
                "attributes": {"id": "plan-summary"},
                "rows": [
                    {"key": {"text": "Agreed"}, "value": {"text": datetime.date(2026, 12, 7)}},
                    {
                        "key": {"text": gettext_lazy("Goals"), "classes": "k"},
                        "value": {"text": 1234567, "classes": "v", "attributes": {"id": "goals"}},
                        "actions": {"items": [change]},
                    },
                    {"key": {"html": mark_safe("<i>Key</i>")}, "value": {"text": None}},
                    {
                        "key": {"text": "Team"},
                        "value": {"html": mark_safe("<ul><li>A & B</li></ul>")},
                        "actions": {"html": mark_safe("<form><button>Remove</button></form>")},
                    },
                    {
                        "key": {"text": "Two"},
                        "value": {"text": "<script>"},
                        "actions": {
                            "items": [change, {"href": "/y", "html": mark_safe("<b>Do</b>")}],
                            "classes": "extra",
                        },
                        "classes": "govuk-summary-list__row--no-border",
                    },
                    None,
                    {},
                ],
                "inCard": {"title": {"text": "Card <one>"}},
            },
        ),
        ("summary-list", {"rows": []}),
        ("summary-list", {"rows": [{"key": {"text": "Only"}, "value": {}}]}),
    ]


@pytest.mark.parametrize(("component", "options"), _our_own_options())
def test_a_component_as_our_pages_build_it_is_its_template_byte_for_byte(component, options):
    from django.template.loader import render_to_string

    from core import govuk

    context = govuk._component(component, options)
    template = render_to_string(f"govuk/components/{component}.html", context).strip()
    assert render_component(component, options) == template


def test_the_python_components_are_checked_on_enough_fixtures():
    assert len([c for c in WRITTEN_IN_PYTHON if c.values[0] == "summary-list"]) >= 10
    assert len([c for c in WRITTEN_IN_PYTHON if c.values[0] == "tag"]) >= 3
