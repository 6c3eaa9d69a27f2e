from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District, LocalAuthority, Organisation
from core.forms import GovukDateField
from core.validators import birth_dates, case_dates

from .models import AdviceGiven, Channel

WORRY_MAX_LENGTH = 2000


class AdviceForm(forms.Form):
    received_on = GovukDateField(
        label=_("Date asked"),
        within=case_dates,
        error_messages={"required": _("Enter the date the advice was asked for")},
    )
    channel = forms.ChoiceField(
        label=_("How they asked"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how they asked")},
    )
    caller_name = forms.CharField(
        label=_("Who asked"),
        max_length=200,
        help_text=_("The professional's name."),
        error_messages={"required": _("Enter the name of the person who asked")},
    )
    caller_organisation = forms.ModelChoiceField(
        label=_("Their organisation"),
        queryset=None,
        required=False,
        empty_label=_("Not listed"),
        error_messages={"invalid_choice": _("Choose an organisation from the list")},
    )
    caller_organisation_name = forms.CharField(
        label=_("Their organisation, if not listed"), max_length=200, required=False
    )
    first_name = forms.CharField(label=_("Child's first name"), max_length=100, required=False)
    last_name = forms.CharField(
        label=_("Child's or family's last name"), max_length=100, required=False
    )
    date_of_birth = GovukDateField(
        label=_("Child's date of birth"), within=birth_dates, required=False
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    person = forms.ChoiceField(
        label=_("Is it one of these people?"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the people found, or none of them")},
    )
    worry = forms.CharField(
        label=_("The worry, in brief"),
        max_length=WORRY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the caller is worried about. Keep it brief and factual."),
        error_messages={
            "required": _("Enter what the caller is worried about"),
            "max_length": _("The worry must be %(limit_value)d characters or fewer"),
        },
    )
    advice = forms.ChoiceField(
        label=_("Advice given"),
        choices=AdviceGiven.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the advice you gave")},
    )
    advice_detail = forms.CharField(
        label=_("More about the advice (optional unless Other)"),
        max_length=WORRY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up_on = GovukDateField(
        label=_("Follow up on (optional)"),
        within=case_dates,
        required=False,
        help_text=_("The date to check back with the caller. It appears on your advice list."),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=None,
        required=False,
        empty_label=_("The caller's organisation's district"),
        error_messages={"invalid_choice": _("Choose a district from the list")},
    )

    def __init__(self, *args, la: LocalAuthority, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caller_organisation"].queryset = Organisation.objects.filter(
            local_authority=la
        ).order_by("name")
        self.fields["district"].queryset = District.objects.filter(local_authority=la).order_by(
            "name"
        )
        # The people the check found that the adviser may see.
        self.fields["person"].choices = [
            *((str(pk), label) for pk, label in people),
            ("", _("None of these")),
        ]
        if not people:
            self.fields["person"].widget = forms.HiddenInput()
