from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField

from .annex_a import as_of_dates


class AnnexAForm(forms.Form):
    as_of = GovukDateField(
        label=_("Date to report as of"),
        within=as_of_dates,
        help_text=_(
            "Usually today, or the day the inspection was announced. For example, 27 3 2026"
        ),
        error_messages={"required": _("Enter the date to report as of")},
    )
