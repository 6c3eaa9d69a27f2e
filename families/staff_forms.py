from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from episodes.needs import Need


class StartCaseForm(forms.Form):
    """What the officer adds to a family's request to start its case."""

    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        empty_label=_("Choose a district"),
        help_text=_("The Team Around the School area the family lives in."),
        error_messages={
            "required": _("Choose the district the family lives in"),
            "invalid_choice": _("Choose the district the family lives in from the list"),
        },
    )
    needs = forms.MultipleChoiceField(
        label=_("Which needs does the family have?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply, from what the family told you."),
        error_messages={"required": _("Choose at least one need")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(
            local_authority=user.local_authority
        )
