"""One GOV.UK form renderer for every form in the service.

Forms render through `govuk/forms/form.html` and each field through
`field_params`, which turns a bound field into the options of the matching
GOV.UK component. Pages show form errors with the one error summary partial.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.forms.renderers import TemplatesSetting
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from . import validators
from .govuk import render_component


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"


class _RowsAlreadyRead(ModelChoiceIterator):
    """A model choice field's choices from the rows its page read already
    (`field.rows`), not read again each time the choices are listed."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.field.rows:
            yield self.choice(row)

    def __len__(self):
        return len(self.field.rows) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows)


def choose_from(field, queryset, rows):
    """Let model choice `field` accept what `queryset` holds and list `rows`,
    which the page read from that queryset already (with what their labels
    need prefetched): a page that shows the same people or organisations
    twice reads them once."""
    field.queryset = queryset
    field.rows = rows
    field.iterator = _RowsAlreadyRead
    field.widget.choices = field.choices


class WholeNumberField(forms.IntegerField):
    """A whole number typed in ASCII digits. Django's IntegerField reads "٣"
    and "３" as 3, so a number nobody on the team could read back is saved;
    here anything but 0-9 is "not a whole number" (the field's `invalid`
    message). Every integer field of every form is one of these
    (tests/core/test_forms.py walks them)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = value.strip() if isinstance(value, str) else ""
        # 100 digits is far past any limit (the range validators then say so)
        # and cheap to convert; 10**5000 is just "not a whole number".
        if not validators.ASCII_DIGITS.fullmatch(text) or len(text) > 100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


def whole_numbers(db_field, **kwargs):
    """A ModelForm's `formfield_callback`: integer model fields become
    WholeNumberFields."""
    from django.db import models

    if isinstance(db_field, models.IntegerField) and not db_field.choices:
        kwargs.setdefault("form_class", WholeNumberField)
    return db_field.formfield(**kwargs)


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes (GOV.UK date input), named NAME-day etc."""

    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)
        self.widgets_names = [f"-{part}" for part in self.parts]

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK error messages.

    `within` gives the dates allowed (a function of today returning a
    `core.validators.DateRange`, like `case_dates`); anything else, or any part
    that is not ASCII digits of a sensible length (the month may also be its
    name, "Feb" or "February"), is an error on the page."""

    widget = DateInputWidget

    def __init__(self, *, within=validators.any_dates, **kwargs):
        super().__init__(**kwargs)
        self.within = within

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        parts = _date_parts(value)
        if not any(parts):
            return None
        name = str(self.label or _("Date"))
        missing = [
            label for label, part in zip(("day", "month", "year"), parts, strict=True) if not part
        ]
        if missing:
            raise forms.ValidationError(
                _("%(name)s must include a %(parts)s")
                % {"name": name, "parts": _(" and ").join(str(_(m)) for m in missing)},
                code="incomplete",
            )
        parts = _month_as_number(parts)
        day_ok, month_ok, year_ok = (
            bool(validators.ASCII_DIGITS.fullmatch(part)) for part in parts
        )
        # A month in letters that names no month gets its own message; any
        # other part not in ASCII digits ("٣", "1.5") is "written in numbers".
        month_in_letters = parts[1].rstrip(".").isalpha()
        if not (day_ok and year_ok and (month_ok or month_in_letters)):
            raise forms.ValidationError(
                _("%(name)s must be a real date, written in numbers") % {"name": name},
                code="invalid",
            )
        if not month_ok:
            raise forms.ValidationError(
                _(
                    "%(name)s must be a real date: write the month as a number or a name, "
                    "like 2 or February"
                )
                % {"name": name},
                code="invalid_month",
            )
        if len(parts[2]) != 4:
            raise forms.ValidationError(
                _("Year must include 4 numbers, like 2019"), code="year_digits"
            )
        return _real_date(parts, name)

    def validate(self, value):
        super().validate(value)
        if value is not None:
            validators.validate_date_range(value, self.within(), str(self.label or _("Date")))

    def prepare_value(self, value):
        return value


def _date_parts(value):
    """The typed day, month and year as stripped strings ("" where missing)."""
    if not isinstance(value, list | tuple) or len(value) != 3:
        value = ["", "", ""]
    return [str(v).strip() if v is not None else "" for v in value]


def _month_as_number(parts):
    """The parts with a month typed as a name ("Feb", "september") as its number,
    as the GOV.UK date input pattern asks; anything else is left as typed."""
    day, month, year = parts
    number = validators.parse_month_name(month)
    return [day, str(number) if number else month, year]


def _real_date(parts, name):
    # A part of more than 4 digits is None here (so a TypeError): date() would
    # overflow on a huge number rather than refuse it.
    day, month, year = (validators.parse_whole_number(part, maximum=9999) for part in parts)
    try:
        return datetime.date(year, month, day)
    except (TypeError, ValueError):
        raise forms.ValidationError(
            _("%(name)s must be a real date") % {"name": name}, code="invalid"
        ) from None


def error_href(bound_field):
    """Where the error summary links to: the first input of the field."""
    widget_type = bound_field.widget_type
    if widget_type == "dateinput" or isinstance(bound_field.field.widget, DateInputWidget):
        return f"#{bound_field.auto_id}-day"
    return f"#{bound_field.auto_id}"


def error_list(form):
    """The error summary's list: every field error, linked to its field."""
    items = [{"text": message, "href": "#main-content"} for message in form.non_field_errors()]
    for bound_field in form:
        for message in bound_field.errors:
            items.append({"text": message, "href": error_href(bound_field)})
    return items


def _choice_items(bound_field):
    value = bound_field.value()
    values = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
    items = []
    for choice_value, label in bound_field.field.choices:
        choice_value = "" if choice_value is None else str(choice_value)
        items.append({"value": choice_value, "text": str(label), "checked": choice_value in values})
    return items


def field_params(bound_field):
    """The GOV.UK component name and its options for one bound field."""
    field = bound_field.field
    widget = field.widget
    attrs = dict(widget.attrs)
    params = {"name": bound_field.html_name, "id": bound_field.auto_id}
    label = {"text": str(bound_field.label)}
    if attrs.pop("label_classes", None) is not None:
        pass
    if field.help_text:
        params["hint"] = {"text": str(field.help_text)}
    if bound_field.errors:
        params["errorMessage"] = {"text": " ".join(str(e) for e in bound_field.errors)}
    classes = attrs.pop("class", "")

    if isinstance(widget, DateInputWidget):
        value = bound_field.value()
        if isinstance(value, datetime.date):
            parts = [value.day, value.month, value.year]
        elif isinstance(value, list | tuple):
            parts = list(value)
        else:
            parts = ["", "", ""]
        error_class = " govuk-input--error" if bound_field.errors else ""
        params.update(
            namePrefix=bound_field.html_name,
            fieldset={"legend": {"text": label["text"], "classes": "govuk-fieldset__legend--s"}},
            items=[
                {
                    "name": "day",
                    "label": str(_("Day")),
                    "value": parts[0],
                    "classes": "govuk-input--width-2" + error_class,
                },
                {
                    "name": "month",
                    "label": str(_("Month")),
                    "value": parts[1],
                    "classes": "govuk-input--width-2" + error_class,
                },
                {
                    "name": "year",
                    "label": str(_("Year")),
                    "value": parts[2],
                    "classes": "govuk-input--width-4" + error_class,
                },
            ],
        )
        params.pop("name")
        return "date-input", params

    widget_type = bound_field.widget_type
    if widget_type == "radioselect":
        params.update(
            idPrefix=bound_field.auto_id,
            fieldset={"legend": {"text": label["text"], "classes": "govuk-fieldset__legend--s"}},
            items=_choice_items(bound_field),
            classes=classes,
        )
        return "radios", params
    if widget_type == "checkboxselectmultiple":
        params.update(
            idPrefix=bound_field.auto_id,
            fieldset={"legend": {"text": label["text"], "classes": "govuk-fieldset__legend--s"}},
            items=_choice_items(bound_field),
            classes=classes,
        )
        return "checkboxes", params
    if widget_type == "checkbox":
        params.update(
            idPrefix=bound_field.auto_id,
            items=[{"value": "true", "text": label["text"], "checked": bool(bound_field.value())}],
            classes="govuk-checkboxes--small",
        )
        return "checkboxes", params
    params["label"] = label
    if widget_type == "select":
        params.update(
            items=[
                {"value": item["value"], "text": item["text"]}
                for item in _choice_items(bound_field)
            ],
            value=str(bound_field.value()) if bound_field.value() is not None else "",
            classes=classes,
        )
        return "select", params
    if widget_type == "textarea":
        params.update(value=bound_field.value(), rows=attrs.pop("rows", 5), classes=classes)
        return "textarea", params
    value = bound_field.value()
    if widget_type == "password":
        value = None
    params.update(
        type=widget.input_type if hasattr(widget, "input_type") else "text",
        value=value,
        classes=classes,
        autocomplete=attrs.pop("autocomplete", None),
        spellcheck=attrs.pop("spellcheck", None),
        inputmode=attrs.pop("inputmode", None),
    )
    return "input", params


def render_field(bound_field):
    name, params = field_params(bound_field)
    return render_component(name, params)


def apply_validation_error(form, error):
    """Show a domain function's ValidationError on the form: field errors on
    their fields, the rest in the error summary (each keeping its code, so a
    page can link a problem to where it is put right)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


def posted(request):
    """The submitted data for a form, or None on GET. (`request.POST or None`
    would leave the form unbound when nothing at all was chosen, so an empty
    submission would show no errors.)"""
    return request.POST if request.method == "POST" else None


# A list's search box: longer than any name, email or reference it looks for.
SEARCH_MAX_LENGTH = 100


def searched(request, name="q"):
    """What a list's search box asked for, stripped: at most
    SEARCH_MAX_LENGTH characters (the box's own limit) and no null byte
    (PostgreSQL refuses one in text), so no query string can make the
    search fail."""
    return request.GET.get(name, "")[:SEARCH_MAX_LENGTH].replace("\x00", "").strip()


STALE_EDIT_MESSAGE = _(
    "Someone else changed this since you opened it. What you typed is still "
    "below: check it against what is saved now and submit again"
)


class ConfirmForm(forms.Form):
    """Nothing to fill in: for a page whose button alone runs a domain function
    (close the panel, complete the assessment). Its errors are the refusals."""


def show_problem(form, message):
    """Put `message` in the form's error summary, even on an unbound form (a
    form rebased on the version now saved starts from its initial values, and
    Django's add_error expects a bound one)."""
    if not form.is_bound and not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}
    form.add_error(None, message)


def run_form_action(request, form, action, *, success=None, then, on_stale=None):
    """Run a domain function from a posted, valid form, the same way everywhere.

    `action(cleaned_data)` calls the service. On success the `success` message
    (a string, or a function of the result returning one, or nothing to say
    nothing) is shown and the user goes to `then` (a URL, or a function of the
    result returning one). Returns that redirect, or None when the form is to
    be shown again:
    - a ValidationError goes on the form (fields on their fields);
    - a TransitionRefused (the stage does not allow it) goes in the error summary;
    - a StaleEdit (someone saved first) says so in the error summary. Give
      `on_stale(stale)` to show both versions: it may return a form to show
      instead of `form` (one rebased on the version now saved, keeping what
      the user typed, so that saving again goes through); the view keeps that
      form itself (e.g. with `nonlocal`), and the message goes on it.
    Nothing the user typed is lost: the bound form is shown again.
    """
    from episodes.services import StaleEdit
    from episodes.states import TransitionRefused

    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except StaleEdit as stale:
        shown = on_stale(stale) if on_stale is not None else None
        show_problem(shown if shown is not None else form, STALE_EDIT_MESSAGE)
        return None
    except TransitionRefused as refused:
        form.add_error(None, refused.message)
        return None
    except ValidationError as error:
        apply_validation_error(form, error)
        return None
    message = success(result) if callable(success) else success
    if message:
        messages.success(request, message)
    return redirect(then(result) if callable(then) else then)


class PeriodForm(forms.Form):
    """A period of days for a report or a return: from and to, both days
    included. A subclass may set `max_days` (and say so in `too_long`) to
    keep a page of figures quick."""

    max_days: int | None = None
    too_long = _("Choose a shorter period")

    start = GovukDateField(
        label=_("From"),
        within=validators.case_dates,
        help_text=_("The first day counted. For example, 1 4 2025"),
        error_messages={"required": _("Enter the first day of the period")},
    )
    end = GovukDateField(
        label=_("To"),
        within=validators.case_dates,
        help_text=_("The last day counted. For example, 31 3 2026"),
        error_messages={"required": _("Enter the last day of the period")},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date):
            if end < start:
                self.add_error("end", _("The last day must be the same as or after the first day"))
            elif self.max_days is not None and (end - start).days >= self.max_days:
                self.add_error("end", self.too_long)
        return cleaned
