from django import template
from django.utils.translation import gettext as _

from core.forms import error_list, render_field
from core.govuk import render_component

register = template.Library()


@register.simple_tag
def govuk(name, params):
    """{% govuk "button" params %}: any GOV.UK component from its macro options."""
    return render_component(name, params)


@register.simple_tag
def govuk_field(bound_field):
    return render_field(bound_field)


def _summary(items):
    if not items:
        return ""
    return render_component(
        "error-summary", {"titleText": _("There is a problem"), "errorList": items}
    )


@register.simple_tag
def govuk_error_summary(*forms):
    """The one error summary: errors from every form given, or nothing."""
    items = []
    for form in forms:
        if getattr(form, "errors", None):
            items.extend(error_list(form))
    return _summary(items)


@register.simple_tag
def govuk_problem_summary(problems):
    """The same error summary for problems that belong to no form field, such as
    a refused state change: a list of {"text", "href"}."""
    return _summary(list(problems or []))


@register.simple_tag
def govuk_button(text, classes="", name="", value=""):
    return render_component(
        "button",
        {
            "text": text,
            "classes": classes,
            "name": name,
            "value": value,
            "preventDoubleClick": True,
        },
    )
