from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, whole_numbers
from core.validators import case_dates

from .models import Timescales


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


class TimescalesForm(forms.ModelForm):
    class Meta:
        formfield_callback = whole_numbers
        model = Timescales
        fields = [
            "consent_days",
            "assessment_start_days",
            "assessment_complete_days",
            "meeting_days",
            "no_activity_days",
            "open_months",
            "override_review_working_days",
            "csc_decision_working_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.core.validators import MaxValueValidator, MinValueValidator

        for name, field in self.fields.items():
            # The bounds the model sets (oversight.models._days), in one message.
            limits = Timescales._meta.get_field(name).validators
            low = next(v.limit_value for v in limits if isinstance(v, MinValueValidator))
            high = next(v.limit_value for v in limits if isinstance(v, MaxValueValidator))
            message = _("Enter a whole number from %(low)s to %(high)s") % {
                "low": low,
                "high": high,
            }
            field.widget.attrs["class"] = "govuk-input--width-3"
            for key in ("invalid", "min_value", "max_value", "required"):
                field.error_messages[key] = message
            field.min_value, field.max_value = low, high
            field.validators = [MinValueValidator(low, message), MaxValueValidator(high, message)]
