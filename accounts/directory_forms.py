"""Forms for the directory's pages: the council administrator's district and
school forms. The rules themselves are in accounts.directory."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import directory
from .directory import early_help_officers
from .models import District, LocalAuthority


class DistrictForm(forms.Form):
    name = forms.CharField(
        label=_("District name"),
        max_length=100,
        error_messages={
            "required": _("Enter the district's name"),
            "max_length": _("A district's name must be 100 characters or fewer"),
        },
    )
    early_help_officer = forms.ModelChoiceField(
        label=_("Early Help Officer"),
        queryset=None,
        required=False,
        empty_label=_("No one named yet"),
        help_text=_(
            "The first point of contact for advice in this district. Only people with the "
            "Early Help Officer role are listed."
        ),
        error_messages={
            "invalid_choice": _("Choose an Early Help Officer from the list, or no one")
        },
    )

    def __init__(self, *args, la: LocalAuthority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["early_help_officer"].queryset = early_help_officers(la)
        self.fields["early_help_officer"].label_from_instance = lambda user: (
            f"{user.full_name} ({user.email})"
        )


class SchoolForm(forms.Form):
    name = forms.CharField(
        label=_("School name"),
        max_length=200,
        error_messages={
            "required": _("Enter the school's name"),
            "max_length": _("A school's name must be 200 characters or fewer"),
        },
    )
    school_urn = forms.CharField(
        label=_("URN (optional)"),
        required=False,
        max_length=20,
        help_text=_(
            "The school's 6-digit Unique Reference Number, from Get Information about Schools."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
        error_messages={"max_length": _("A URN is 6 digits, like 123456")},
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=None,
        empty_label=_("Choose a district"),
        error_messages={
            "required": _("Choose the district the school is in"),
            "invalid_choice": _("Choose the district the school is in"),
        },
    )

    key_adult = forms.ModelChoiceField(
        label=_("Key adult (optional)"),
        queryset=None,
        required=False,
        empty_label=_("No one named yet"),
        help_text=_(
            "Who hears of police notifications about the school's pupils (Operation "
            "Encompass): usually the designated safeguarding lead. Only the school's own "
            "users are listed."
        ),
        error_messages={"invalid_choice": _("Choose one of the school's users, or no one")},
    )

    def __init__(self, *args, la: LocalAuthority, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_adult"].queryset = directory.key_adult_choices(school)
        self.fields["district"].queryset = District.objects.filter(local_authority=la).order_by(
            "name"
        )
