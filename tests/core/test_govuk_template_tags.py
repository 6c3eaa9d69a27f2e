"""The template tags that write summary lists, tables, tags and buttons give the
same HTML as `render_component` with the Nunjucks macro's options, and keep
the template's escaping of every value."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from core.govuk import render_component, summary_row
from tests.core.html_compare import assert_html_equivalent


def render(source, **context):
    return Template("{% load i18n govuk %}" + source).render(Context(context))


def test_govuk_tag_is_the_tag_component():
    html = render('{% govuk_tag _("Overdue") "govuk-tag--red" %}')
    assert_html_equivalent(html, '<strong class="govuk-tag govuk-tag--red">Overdue</strong>')
    assert render("{% govuk_tag name %}", name="<b>") == (
        '<strong class="govuk-tag">&lt;b&gt;</strong>'
    )


def test_summary_list_rows_written_in_the_template():
    html = render(
        "{% govuk_summary_list classes='govuk-summary-list--no-border' %}"
        '{% govuk_summary_row _("Name") %} {{ name }} {% endgovuk_summary_row %}'
        "{% if show %}{% govuk_summary_row 'Hidden' %}x{% endgovuk_summary_row %}{% endif %}"
        '{% govuk_summary_row _("Address") href="/edit" hidden_text="address" %}'
        "1 High Street<br>{{ town }}{% endgovuk_summary_row %}"
        "{% endgovuk_summary_list %}",
        name="<Ann>",
        town="Leeds",
        show=False,
    )
    assert_html_equivalent(
        html,
        render_component(
            "summary-list",
            {
                "classes": "govuk-summary-list--no-border",
                "rows": [
                    {"key": {"text": "Name"}, "value": {"text": "<Ann>"}},
                    {
                        "key": {"text": "Address"},
                        "value": {"html": "1 High Street<br>Leeds"},
                        "actions": {
                            "items": [
                                {"href": "/edit", "text": "Change", "visuallyHiddenText": "address"}
                            ]
                        },
                    },
                ],
            },
        ),
    )
    assert "&lt;Ann&gt;" in html
    assert "govuk-summary-list__row--no-actions" in html  # the Name row, beside Address


def test_summary_list_from_rows_built_in_python():
    rows = [
        summary_row("Name", "<Ann>"),
        summary_row("Address", mark_safe("1 High St<br>Leeds"), href="/a", hidden_text="address"),
    ]
    html = render("{% govuk_summary_list rows card_title=title id='who' %}", rows=rows, title="Ann")
    assert '<dl class="govuk-summary-list" id="who">' in html
    assert "&lt;Ann&gt;" in html
    assert "1 High St<br>Leeds" in html
    assert 'class="govuk-summary-card"' in html
    assert '<span class="govuk-visually-hidden"> address (Ann)</span>' in html


def test_table_written_in_the_template():
    html = render(
        '{% govuk_table caption=_("Users") caption_classes="govuk-visually-hidden" '
        "first_cell_is_header=True %}"
        '{% govuk_head %}{% govuk_cell "Name" %}{% govuk_cell "Cases" format="numeric" %}'
        '{% govuk_cell %}<span class="govuk-visually-hidden">Actions</span>{% endgovuk_cell %}'
        "{% endgovuk_head %}"
        "{% for user in users %}{% govuk_row %}"
        "{% govuk_cell user.name %}{% govuk_cell user.cases format='numeric' %}"
        '{% govuk_cell %}<a href="#">{{ user.name }}</a>{% endgovuk_cell %}'
        "{% endgovuk_row %}{% empty %}{% govuk_row %}"
        "{% govuk_cell colspan=3 %}None{% endgovuk_cell %}{% endgovuk_row %}{% endfor %}"
        "{% endgovuk_table %}",
        users=[{"name": "<Ann>", "cases": 2}],
    )
    assert_html_equivalent(
        html,
        render_component(
            "table",
            {
                "caption": "Users",
                "captionClasses": "govuk-visually-hidden",
                "firstCellIsHeader": True,
                "head": [
                    {"text": "Name"},
                    {"text": "Cases", "format": "numeric"},
                    {"html": '<span class="govuk-visually-hidden">Actions</span>'},
                ],
                "rows": [
                    [
                        {"text": "<Ann>"},
                        {"text": 2, "format": "numeric"},
                        {"html": '<a href="#">&lt;Ann&gt;</a>'},
                    ]
                ],
            },
        ),
    )
    empty = render(
        '{% govuk_table id="leavers" %}{% for u in users %}{% empty %}{% govuk_row %}'
        "{% govuk_cell colspan=2 %}None{% endgovuk_cell %}{% endgovuk_row %}{% endfor %}"
        "{% endgovuk_table %}",
        users=[],
    )
    assert '<td class="govuk-table__cell" colspan="2">None</td>' in empty
    assert "<thead" not in empty
    assert '<table class="govuk-table" id="leavers">' in empty


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% govuk_table %}<tr><td>x</td></tr>{% endgovuk_table %}", "text outside"),
        ("{% govuk_summary_list %}<div>x</div>{% endgovuk_summary_list %}", "text outside"),
        ('{% govuk_cell "x" %}', "only allowed inside"),
        ("{% govuk_summary_row 'k' %}v{% endgovuk_summary_row %}", "only allowed inside"),
        (
            "{% govuk_table %}{% govuk_row %}{% govuk_cell 'x' width=3 %}{% endgovuk_row %}"
            "{% endgovuk_table %}",
            "unknown options",
        ),
    ],
)
def test_misplaced_markup_is_an_error_not_lost(source, message):
    with pytest.raises(TemplateSyntaxError, match=message):
        render(source)


def test_govuk_button_as_a_link_a_submit_button_and_with_hidden_text():
    assert_html_equivalent(
        render('{% govuk_button "Invite a user" href="/invite" %}'),
        '<a href="/invite" role="button" draggable="false" class="govuk-button" '
        'data-module="govuk-button">Invite a user</a>',
    )
    assert_html_equivalent(
        render('{% govuk_button "Save" "govuk-button--secondary" "decision" "save" %}'),
        '<button type="submit" name="decision" value="save" data-prevent-double-click="true" '
        'class="govuk-button govuk-button--secondary" data-module="govuk-button">Save</button>',
    )
    html = render(
        '{% govuk_button "Lift" "govuk-button--secondary" hidden_text=field '
        "prevent_double_click=False %}",
        field="<date>",
    )
    assert_html_equivalent(
        html,
        '<button type="submit" class="govuk-button govuk-button--secondary" '
        'data-module="govuk-button">Lift<span class="govuk-visually-hidden"> &lt;date&gt;'
        "</span></button>",
    )
    assert "Lift<span" in html


def test_govuk_button_takes_an_id_data_attributes_and_the_value_0():
    html = render(
        '{% govuk_button "Restore" button_type="button" prevent_double_click=False '
        'id="restore" data_autosave_restore=True data_off=False %}'
    )
    assert_html_equivalent(
        html,
        '<button type="button" class="govuk-button" data-module="govuk-button" '
        'data-autosave-restore id="restore">Restore</button>',
    )
    # govukButton leaves out a falsy value: the first row's index is kept.
    assert 'value="0"' in render('{% govuk_button "Remove" "" "remove" index %}', index=0)
    with pytest.raises(TemplateSyntaxError, match="unknown option 'onclick'"):
        render('{% govuk_button "Go" onclick="x" %}')


def test_summary_row_with_an_action_that_is_not_a_link():
    html = render(
        "{% govuk_summary_list %}"
        "{% govuk_summary_row 'Ann' value_id='mother' %}Mother{% endgovuk_summary_row %}"
        "{% govuk_summary_row name %}Son{% govuk_summary_actions %}"
        "<form>{% govuk_button 'Remove' hidden_text=name %}</form>{% endgovuk_summary_row %}"
        "{% endgovuk_summary_list %}",
        name="<Bo>",
    )
    assert_html_equivalent(
        html,
        render_component(
            "summary-list",
            {
                "rows": [
                    {
                        "key": {"text": "Ann"},
                        "value": {"text": "Mother", "attributes": {"id": "mother"}},
                    },
                    {
                        "key": {"text": "<Bo>"},
                        "value": {"text": "Son"},
                        "actions": {
                            "html": "<form>"
                            + render_component(
                                "button",
                                {
                                    "html": "Remove<span class='govuk-visually-hidden'>"
                                    " &lt;Bo&gt;</span>",
                                    "preventDoubleClick": True,
                                },
                            )
                            + "</form>"
                        },
                    },
                ]
            },
        ),
    )
    assert "govuk-summary-list__row--no-actions" in html
    with pytest.raises(TemplateSyntaxError, match="either href= or"):
        render(
            "{% govuk_summary_list %}{% govuk_summary_row 'k' href='/x' %}v"
            "{% govuk_summary_actions %}<form></form>{% endgovuk_summary_row %}"
            "{% endgovuk_summary_list %}"
        )


def test_summary_card_around_a_list_is_the_lists_own_card():
    rows = (
        "{% govuk_summary_row 'Name' href='/n' %}{{ name }}{% endgovuk_summary_row %}"
        "{% govuk_summary_row 'Age' %}3{% endgovuk_summary_row %}"
    )
    in_card = render(
        "{% govuk_summary_card title=name %}{% govuk_summary_list %}"
        + rows
        + "{% endgovuk_summary_list %}{% endgovuk_summary_card %}",
        name="<Ann>",
    )
    own_card = render(
        "{% govuk_summary_list card_title=name %}" + rows + "{% endgovuk_summary_list %}",
        name="<Ann>",
    )
    assert_html_equivalent(in_card, own_card)
    assert '<span class="govuk-visually-hidden"> (&lt;Ann&gt;)</span>' in in_card


def test_summary_card_with_an_action_an_id_and_a_title_with_html():
    html = render(
        "{% govuk_summary_card heading_level=3 id='summary-home' %}"
        "{% govuk_card_title %}{{ name }} {% govuk_tag 'Likely' 'govuk-tag--yellow' %}"
        "{% endgovuk_card_title %}"
        "{% govuk_card_action 'Change' href='/home' %}"
        "<p class='govuk-body'>Any content</p>{% endgovuk_summary_card %}",
        name="<Ann>",
    )
    title = '&lt;Ann&gt; <strong class="govuk-tag govuk-tag--yellow">Likely</strong>'
    assert_html_equivalent(
        html,
        render_component(
            "summary-card",
            {
                "title": {"html": title, "headingLevel": 3},
                "attributes": {"id": "summary-home"},
                "actions": {"items": [{"href": "/home", "text": "Change"}]},
                "html": "<p class='govuk-body'>Any content</p>",
            },
        ),
    )
    assert f'<h3 class="govuk-summary-card__title">{title}</h3>' in html
    assert 'id="summary-home"' in html
    with pytest.raises(TemplateSyntaxError, match="only allowed inside a card"):
        render("{% govuk_card_action 'Change' href='/x' %}")
    with pytest.raises(TemplateSyntaxError, match="unknown options"):
        render("{% govuk_summary_card colour='red' %}x{% endgovuk_summary_card %}")


def test_govuk_options_selects_the_chosen_value_compared_as_text_and_escapes():
    choices = [(1, "North & East"), (12, mark_safe("<b>South</b>")), ("open", "Open")]
    html = render("{% govuk_options choices chosen %}", choices=choices, chosen="12")
    assert html == (
        '<option value="1">North &amp; East</option>'
        '<option value="12" selected><b>South</b></option>'
        '<option value="open">Open</option>'
    )
    # A number from the query matches a primary key; nothing chosen selects nothing.
    assert '<option value="1" selected>' in render("{% govuk_options choices 1 %}", choices=choices)
    assert "selected" not in render("{% govuk_options choices missing %}", choices=choices)
    # Longer choices (value, label, group) give their first two; a hostile value is escaped.
    assert (
        render("{% govuk_options choices '' %}", choices=[('"><script>', "x", "group")])
        == '<option value="&quot;&gt;&lt;script&gt;">x</option>'
    )


_values = st.one_of(st.integers(-5, 10**12), st.text(max_size=6), st.sampled_from(["1", "01"]))


@given(
    choices=st.lists(st.tuples(_values, st.text(max_size=8)), max_size=12),
    chosen=st.one_of(st.none(), _values.map(str), st.sampled_from(["1", "", "a"])),
)
def test_govuk_options_escaped_once_are_the_options_written_one_by_one(choices, chosen):
    """A list of plain names has its options escaped once (kept for the next
    page given the same list): the same HTML as writing each, whatever the
    values (repeated, numbers and their text, markup) and the one chosen."""
    from core.templatetags.govuk import _options_each, govuk_options

    assert govuk_options(choices, chosen) == _options_each(
        choices, None if chosen is None else str(chosen)
    )
    # And again, from what was kept.
    assert govuk_options(list(choices), chosen) == _options_each(
        choices, None if chosen is None else str(chosen)
    )
