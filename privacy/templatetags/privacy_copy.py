"""Filters for the subject access copy, whose dates are ISO 8601 text."""

import re
from datetime import date, datetime

from django import template
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def readable(value):
    """'2026-05-03' as '3 May 2026'; a time as '3 May 2026, 2:30pm'."""
    if not value:
        return ""
    text = str(value)
    try:
        if "T" in text:
            moment = datetime.fromisoformat(text)
            noon = "am" if moment.hour < 12 else "pm"
            return date_format(moment, "j F Y, g:i") + noon
        return date_format(date.fromisoformat(text), "j F Y")
    except ValueError:
        return text


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[\d:.+-]+)?$")


@register.filter
def show(value):
    """Any value of the copy as text: yes or no, lists joined, dates readable."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, str) and ISO_DATE.match(value):
        return readable(value)
    return value
