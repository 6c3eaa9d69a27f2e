from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField
from core.validators import case_dates


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Why it can wait, or what is being done"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why it can wait, or what is being done")},
    )
    until = GovukDateField(
        label=_("Look again on"),
        within=case_dates,
        help_text=_("The alert comes back on this date if it is still true."),
        error_messages={"required": _("Enter the date to look again")},
    )
