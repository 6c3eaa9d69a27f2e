from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import WholeNumberField

from .models import AGE_RANGE, YEARS_RANGE, RetentionAction, RetentionKind


def _number_field(label, help_text, low, high, out_of_range, not_a_number):
    return WholeNumberField(
        label=label,
        help_text=help_text,
        min_value=low,
        max_value=high,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": False, "class": "govuk-input--width-3"}
        ),
        error_messages={
            "required": out_of_range,
            "min_value": out_of_range,
            "max_value": out_of_range,
            "invalid": not_a_number,
        },
    )


class RetentionRuleForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("When are a family's records due?"),
        choices=RetentionKind.choices,
        widget=forms.RadioSelect,
        help_text=_("Never while any of the family's cases is open."),
        error_messages={"required": _("Choose when a family's records are due")},
    )
    age = _number_field(
        _("Age of the youngest child"),
        _(
            "From 18 to 30. Also used for families the service never helped, whichever "
            "rule you choose."
        ),
        *AGE_RANGE,
        _("Enter an age from 18 to 30, like 25"),
        _("The age must be a whole number, like 25"),
    )
    years = _number_field(
        _("Years after the family's last case closed"),
        _("From 1 to 50."),
        *YEARS_RANGE,
        _("Enter a number of years from 1 to 50, like 7"),
        _("The number of years must be a whole number, like 7"),
    )
    action = forms.ChoiceField(
        label=_("What happens to records that are due?"),
        choices=[
            (
                RetentionAction.ANONYMISE,
                _(
                    "Anonymise: erase names, dates of birth, addresses, identifiers and "
                    "everything written about the family; keep the dates, needs, outcomes "
                    "and codes that reports count"
                ),
            ),
            (
                RetentionAction.DELETE,
                _("Delete: remove the family's records entirely, from reports too"),
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether to anonymise or delete records that are due")
        },
    )
