from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from episodes.needs import Need
from episodes.request_forms import family_district_field


class StartCaseForm(forms.Form):
    """What the officer adds to a family's request to start its case."""

    district = family_district_field()
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
