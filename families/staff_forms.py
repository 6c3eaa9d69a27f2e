from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from episodes.needs import Need
from episodes.request_forms import family_district_field

from .models import RequestClosure


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


class CloseRequestForm(forms.Form):
    """How the officer dealt with a family's request without starting a case."""

    reason = forms.ChoiceField(
        label=_("How was the request dealt with?"),
        choices=RequestClosure.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the request was dealt with"),
            "invalid_choice": _("Choose how the request was dealt with"),
        },
    )
    note = forms.CharField(
        label=_("What was done (optional)"),
        help_text=_(
            "For example, the advice given or the service the family was passed to. "
            "Do not repeat what the family told you."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Keep the note to 2,000 characters or fewer")},
    )
