"""core.forms: Django bound fields rendered as GOV.UK components, and the
GOV.UK date field with its error messages. Real Django forms, synthetic data."""

import datetime
from html.parser import HTMLParser

import pytest
from django import forms
from django.utils import timezone

from core.forms import GovukDateField, error_list, field_params, render_field
from core.govuk import render_component
from core.validators import case_dates
from tests.core.html_compare import assert_html_equivalent

COLOURS = [("red", "Red"), ("green", "Green"), ("blue", "Blue")]


class ExampleForm(forms.Form):
    x = forms.CharField(label="Full name", error_messages={"required": "Enter your full name"})
    colour = forms.ChoiceField(label="Colour", choices=COLOURS, widget=forms.RadioSelect)
    date_of_birth = GovukDateField(label="Date of birth")


def bound_form(**data):
    values = {"x": "Sam Example", "colour": "green"}
    values.update(
        {
            "date_of_birth-day": "3",
            "date_of_birth-month": "2",
            "date_of_birth-year": "2015",
        }
    )
    values.update({key.replace("__", "-"): value for key, value in data.items()})
    return ExampleForm(data=values)


class _Elements(HTMLParser):
    """Every element of a fragment as (tag, attributes), and the text inside
    each element with a given id."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.text_by_id = {}
        self._open_ids = []
        self.feed(str(html))
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = {name: "" if value is None else value for name, value in attrs}
        self.elements.append((tag, attrs))
        if tag != "input":
            self._open_ids.append(attrs.get("id"))
            if attrs.get("id"):
                self.text_by_id[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if tag != "input":
            self._open_ids.pop()

    def handle_data(self, data):
        for element_id in self._open_ids:
            if element_id:
                self.text_by_id[element_id] += data

    def by_tag(self, tag):
        return [attrs for element_tag, attrs in self.elements if element_tag == tag]


# A text field with an error


def test_text_field_with_an_error_gives_the_input_component_its_options():
    form = bound_form(x="")
    assert form.is_valid() is False

    assert field_params(form["x"]) == (
        "input",
        {
            "name": "x",
            "id": "id_x",
            "label": {"text": "Full name"},
            "errorMessage": {"text": "Enter your full name"},
            "type": "text",
            "value": "",
            "classes": "",
            "autocomplete": None,
            "spellcheck": None,
            "inputmode": None,
        },
    )


def test_text_field_with_an_error_renders_the_error_state():
    form = bound_form(x="")
    assert form.is_valid() is False
    html = render_field(form["x"])
    page = _Elements(html)

    (group,) = [attrs for attrs in page.by_tag("div")]
    assert group["class"].split() == ["govuk-form-group", "govuk-form-group--error"]
    (text_input,) = page.by_tag("input")
    assert text_input["class"].split() == ["govuk-input", "govuk-input--error"]
    assert text_input["aria-describedby"] == "id_x-error"
    (error,) = [attrs for attrs in page.by_tag("p") if attrs.get("id") == "id_x-error"]
    assert error["class"] == "govuk-error-message"
    (hidden,) = page.by_tag("span")
    assert hidden == {"class": "govuk-visually-hidden"}
    assert " ".join(page.text_by_id["id_x-error"].split()) == "Error: Enter your full name"

    assert_html_equivalent(
        html,
        """
        <div class="govuk-form-group govuk-form-group--error">
          <label class="govuk-label" for="id_x">Full name</label>
          <p id="id_x-error" class="govuk-error-message">
            <span class="govuk-visually-hidden">Error:</span> Enter your full name
          </p>
          <input class="govuk-input govuk-input--error" id="id_x" name="x" type="text"
            value="" aria-describedby="id_x-error">
        </div>
        """,
    )


def test_text_field_without_an_error_has_no_error_state():
    form = bound_form(x="Sam Example")
    assert form.is_valid() is True
    page = _Elements(render_field(form["x"]))

    (text_input,) = page.by_tag("input")
    assert text_input == {
        "class": "govuk-input",
        "id": "id_x",
        "name": "x",
        "type": "text",
        "value": "Sam Example",
    }
    assert page.by_tag("p") == []


# Radios


def test_radio_select_renders_one_radio_per_choice_with_the_submitted_value_checked():
    form = bound_form(colour="green")
    page = _Elements(render_field(form["colour"]))

    radios = [attrs for attrs in page.by_tag("input") if attrs["type"] == "radio"]
    assert [attrs["class"] for attrs in radios] == ["govuk-radios__input"] * 3
    assert [(attrs["id"], attrs["value"], "checked" in attrs) for attrs in radios] == [
        ("id_colour", "red", False),
        ("id_colour-2", "green", True),
        ("id_colour-3", "blue", False),
    ]
    assert {attrs["name"] for attrs in radios} == {"colour"}
    assert [(attrs["class"], attrs["for"]) for attrs in page.by_tag("label")] == [
        ("govuk-label govuk-radios__label", "id_colour"),
        ("govuk-label govuk-radios__label", "id_colour-2"),
        ("govuk-label govuk-radios__label", "id_colour-3"),
    ]
    (legend,) = page.by_tag("legend")
    assert legend == {"class": "govuk-fieldset__legend govuk-fieldset__legend--s"}


def test_radio_select_with_an_invalid_choice_checks_nothing_and_links_the_error():
    form = bound_form(colour="purple")
    assert form.is_valid() is False
    page = _Elements(render_field(form["colour"]))

    radios = page.by_tag("input")
    assert ["checked" in attrs for attrs in radios] == [False, False, False]
    (fieldset,) = page.by_tag("fieldset")
    assert fieldset["aria-describedby"] == "id_colour-error"
    assert " ".join(page.text_by_id["id_colour-error"].split()) == (
        "Error: Select a valid choice. purple is not one of the available choices."
    )
    assert [item["href"] for item in error_list(form)] == ["#id_colour"]


# The GOV.UK date field


def date_errors(day, month, year):
    form = bound_form(date_of_birth__day=day, date_of_birth__month=month, date_of_birth__year=year)
    assert form.is_valid() is False
    return form.errors["date_of_birth"]


def test_date_field_turns_day_month_and_year_into_a_date():
    form = bound_form(date_of_birth__day="03", date_of_birth__month="2", date_of_birth__year="2015")
    assert form.is_valid() is True, form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(2015, 2, 3)


def test_date_field_with_a_missing_part_says_which():
    assert date_errors("3", "", "2015") == ["Date of birth must include a month"]
    assert date_errors("", "2", "2015") == ["Date of birth must include a day"]
    assert date_errors("3", "2", "") == ["Date of birth must include a year"]


def test_date_field_with_two_missing_parts_names_both():
    # GOV.UK Design System, date input: "Date of birth must include a day and month".
    assert date_errors("", "", "2015") == ["Date of birth must include a day and month"]
    assert date_errors("3", "", "") == ["Date of birth must include a month and year"]


def test_date_field_with_nothing_entered_is_required():
    assert date_errors("", "", "") == ["This field is required."]


def test_date_field_not_written_in_numbers():
    assert date_errors("three", "2", "2015") == [
        "Date of birth must be a real date, written in numbers"
    ]
    assert date_errors("3", "2", "twenty") == [
        "Date of birth must be a real date, written in numbers"
    ]


@pytest.mark.parametrize(
    ("typed", "month"),
    [
        ("Feb", 2),
        ("February", 2),
        ("feb", 2),
        ("FEB.", 2),
        (" february ", 2),
        ("sept", 9),
        ("Sep", 9),
        ("September", 9),
        ("may", 5),
        ("dec", 12),
    ],
)
def test_date_field_accepts_the_month_as_a_name(typed, month):
    # GOV.UK Design System, date input: accept month names written out in full
    # or abbreviated ("January" or "Jan").
    form = bound_form(
        date_of_birth__day="3", date_of_birth__month=typed, date_of_birth__year="2015"
    )
    assert form.is_valid() is True, form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(2015, month, 3)


@pytest.mark.parametrize("typed", ["Febuary", "Fe", "month", "ſept", "Ｆｅｂ", "Feb2"])
def test_date_field_with_a_month_name_that_names_no_month_says_how_to_write_it(typed):
    expected = (
        "Date of birth must be a real date, written in numbers"
        if typed == "Feb2"
        else "Date of birth must be a real date: write the month as a number or a name, "
        "like 2 or February"
    )
    assert date_errors("3", typed, "2015") == [expected]


@pytest.mark.parametrize("typed", ["²", "٣", "３", "1\x00", "-1", "1.5"])
def test_date_field_with_a_month_of_other_than_ascii_digits(typed):
    assert date_errors("3", typed, "2015") == [
        "Date of birth must be a real date, written in numbers"
    ]


def test_a_month_typed_as_a_name_is_shown_again_as_typed():
    form = bound_form(
        date_of_birth__day="31", date_of_birth__month="Feb", date_of_birth__year="2015"
    )
    assert form.is_valid() is False
    assert field_params(form["date_of_birth"])[1]["items"][1]["value"] == "Feb"


def test_date_field_that_does_not_exist():
    assert date_errors("31", "2", "2015") == ["Date of birth must be a real date"]
    assert date_errors("3", "13", "2015") == ["Date of birth must be a real date"]


@pytest.mark.parametrize("huge", ["32", "99999", "9" * 30, "9" * 5000])
def test_date_field_with_a_huge_day_or_month_is_not_a_real_date(huge):
    assert date_errors(huge, "2", "2015") == ["Date of birth must be a real date"]
    assert date_errors("3", huge, "2015") == ["Date of birth must be a real date"]


@pytest.mark.parametrize("typed", ["²", "٣", "３", "1\x00", "-1", "+3", "1.5"])
def test_date_field_with_other_than_ascii_digits(typed):
    assert date_errors(typed, "2", "2015") == [
        "Date of birth must be a real date, written in numbers"
    ]


def test_date_field_with_a_year_of_unicode_digits():
    assert date_errors("3", "2", "٢٠١٥") == [
        "Date of birth must be a real date, written in numbers"
    ]


def test_date_field_outside_its_range_says_which_dates_are_allowed():
    latest = timezone.localdate().year + 5
    message = f"Date of birth must be between 1 January 1900 and 31 December {latest}"
    assert date_errors("31", "12", "1899") == [message]
    assert date_errors("1", "1", str(latest + 1)) == [message]
    assert date_errors("31", "12", "9999") == [message]


def test_date_field_within_a_given_range():
    class MeetingForm(forms.Form):
        date = GovukDateField(label="Date of the meeting", within=case_dates)

    year = timezone.localdate().year
    form = MeetingForm({"date-day": "31", "date-month": "12", "date-year": str(year + 6)})
    edge = MeetingForm({"date-day": "31", "date-month": "12", "date-year": str(year + 5)})
    assert (form.errors, edge.errors) == (
        {
            "date": [
                f"Date of the meeting must be between 1 January {year - 5} and "
                f"31 December {year + 5}"
            ]
        },
        {},
    )


def test_date_field_with_a_two_digit_year():
    assert date_errors("3", "2", "15") == ["Year must include 4 numbers, like 2019"]


def test_date_field_renders_the_date_input_with_what_was_typed():
    form = bound_form(date_of_birth__day="31", date_of_birth__month="2", date_of_birth__year="2015")
    assert form.is_valid() is False
    page = _Elements(render_field(form["date_of_birth"]))

    inputs = page.by_tag("input")
    assert [(i["id"], i["name"], i["value"], i["class"]) for i in inputs] == [
        (
            "id_date_of_birth-day",
            "date_of_birth-day",
            "31",
            "govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error",
        ),
        (
            "id_date_of_birth-month",
            "date_of_birth-month",
            "2",
            "govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error",
        ),
        (
            "id_date_of_birth-year",
            "date_of_birth-year",
            "2015",
            "govuk-input govuk-date-input__input govuk-input--width-4 govuk-input--error",
        ),
    ]
    (fieldset,) = page.by_tag("fieldset")
    assert fieldset == {
        "class": "govuk-fieldset",
        "role": "group",
        "aria-describedby": "id_date_of_birth-error",
    }
    assert " ".join(page.text_by_id["id_date_of_birth-error"].split()) == (
        "Error: Date of birth must be a real date"
    )


# The error summary


def test_error_summary_links_a_date_error_to_the_day_input():
    form = bound_form(x="", date_of_birth__day="3", date_of_birth__month="")
    assert form.is_valid() is False

    assert error_list(form) == [
        {"text": "Enter your full name", "href": "#id_x"},
        {"text": "Date of birth must include a month", "href": "#id_date_of_birth-day"},
    ]

    html = render_component(
        "error-summary", {"titleText": "There is a problem", "errorList": error_list(form)}
    )
    links = _Elements(html).by_tag("a")
    assert links == [{"href": "#id_x"}, {"href": "#id_date_of_birth-day"}]


def test_error_summary_link_targets_exist_on_the_page():
    form = bound_form(x="", colour="", date_of_birth__day="")
    assert form.is_valid() is False
    page_ids = set()
    for name in ("x", "colour", "date_of_birth"):
        page_ids |= {
            attrs.get("id") for _tag, attrs in _Elements(render_field(form[name])).elements
        }
    hrefs = [item["href"] for item in error_list(form)]
    assert hrefs == ["#id_x", "#id_colour", "#id_date_of_birth-day"]
    assert [href[1:] in page_ids for href in hrefs] == [True, True, True]
