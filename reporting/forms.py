from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from core import validators
from core.forms import GovukDateField

# The longest period one report covers: enough for a year compared with the
# last, short enough that a page of figures stays quick.
MAX_DAYS = 2 * 366


class PeriodForm(forms.Form):
    """The period of a report: from and to, both days included."""

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
        if isinstance(start, date) and isinstance(end, date):
            if end < start:
                self.add_error("end", _("The last day must be the same as or after the first day"))
            elif (end - start).days >= MAX_DAYS:
                self.add_error(
                    "end", _("A report covers at most two years: choose a shorter period")
                )
        return cleaned
