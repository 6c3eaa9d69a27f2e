from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import FamilyLanguage
from core.codes import Disability, Ethnicity, Gender
from core.forms import GovukDateField
from core.validators import (
    birth_dates,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    validate_birth_dates,
    validate_born_by_today,
)
from people.models import RestrictableField
from people.restrictions import NAMEABLE_ROLES


class PersonForm(forms.Form):
    """Corrections to a person's details. Identifier and date rules live on the
    model (Person.clean), so the messages are the same everywhere."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Enter a first name")},
    )
    middle_names = forms.CharField(label=_("Middle names"), max_length=100, required=False)
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        error_messages={"required": _("Enter a last name")},
    )
    known_as = forms.CharField(label=_("Known as"), max_length=100, required=False)
    date_of_birth = GovukDateField(
        label=_("Date of birth"),
        within=birth_dates,
        required=False,
        help_text=_("For example, 27 3 2019"),
        validators=[validate_born_by_today],
    )
    expected_date_of_birth = GovukDateField(
        label=_("Expected date of birth"),
        within=birth_dates,
        required=False,
        help_text=_("Only for an unborn child."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Gender.choices, widget=forms.RadioSelect)
    gender_identity = forms.CharField(
        label=_("Gender, if different"), max_length=100, required=False
    )
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), choices=Ethnicity.choices)
    disabilities = forms.MultipleChoiceField(
        label=_("Disability"),
        choices=Disability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    has_send = forms.BooleanField(
        label=_("Has special educational needs or a learning difficulty"), required=False
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=FamilyLanguage.choices
    )
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    address_line_1 = forms.CharField(
        label=_("Address line 1"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    address_line_2 = forms.CharField(label=_("Address line 2"), max_length=200, required=False)
    town = forms.CharField(label=_("Town or city"), max_length=100, required=False)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=30,  # generous: the format check gives the useful message
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": False}),
    )
    nhs_number = forms.CharField(
        label=_("NHS number"),
        max_length=30,  # generous: the format check gives the useful message
        required=False,
        help_text=_("10 digits, for example 999 111 1115"),
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "numeric", "spellcheck": False}
        ),
    )
    upn = forms.CharField(
        label=_("Unique pupil number (UPN)"),
        max_length=30,  # generous: the format check gives the useful message
        required=False,
        help_text=_("13 characters, starting with a letter"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": False}),
    )

    def __init__(self, *args, hidden_fields=(), **kwargs):
        # Restricted parts the user may not see are not offered for change.
        super().__init__(*args, **kwargs)
        for name in hidden_fields:
            self.fields.pop(name, None)

    def _normalised(self, name, normalise):
        value = self.cleaned_data.get(name, "")
        return normalise(value) if value else ""

    def clean_nhs_number(self):
        return self._normalised("nhs_number", normalise_nhs_number)

    def clean_upn(self):
        return self._normalised("upn", normalise_upn)

    def clean_postcode(self):
        return self._normalised("postcode", normalise_postcode)

    def clean(self):
        cleaned = super().clean()
        if "date_of_birth" not in self.fields:
            return cleaned
        try:
            validate_birth_dates(
                cleaned.get("date_of_birth"), cleaned.get("expected_date_of_birth")
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        return cleaned


class RestrictionForm(forms.Form):
    field = forms.ChoiceField(
        label=_("What should be restricted?"),
        choices=RestrictableField.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what to restrict")},
    )
    reason = forms.CharField(
        label=_("Why is it restricted?"),
        help_text=_(
            "For example, a parent fleeing domestic abuse. Only those who can see it read this."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why this is restricted")},
    )
    visible_to_roles = forms.MultipleChoiceField(
        label=_("Who else may see it?"),
        help_text=_(
            "The lead professional always can. Nobody else will, unless you choose them here."
        ),
        choices=[(role.value, role.label) for role in NAMEABLE_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
