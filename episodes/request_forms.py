from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import District, OrganisationType
from core.codes import Gender, ReferralSource, referral_sources_for
from core.forms import GovukDateField
from core.validators import birth_dates, validate_birth_dates, validate_born_by_today
from people.models import Relationship

from .models import RequestSource
from .needs import Need


def family_district_field() -> forms.ModelChoiceField:
    """The district the family lives in; the form sets its council's districts."""
    return forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        empty_label=_("Choose a district"),
        help_text=_("The Team Around the School area the family lives in."),
        error_messages={
            "required": _("Choose the district the family lives in"),
            "invalid_choice": _("Choose the district the family lives in from the list"),
        },
    )


class SearchForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=100, error_messages={"required": _("Enter a first name")}
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, error_messages={"required": _("Enter a last name")}
    )
    date_of_birth = GovukDateField(
        label=_("Date of birth or expected date of birth"),
        within=birth_dates,
        required=False,
        help_text=_("For example, 27 3 2019. Leave blank if you do not know it."),
    )
    nhs_number = forms.CharField(
        label=_("NHS number (if known)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )
    postcode = forms.CharField(
        label=_("Postcode (if known)"),
        max_length=10,
        required=False,
        help_text=_("Helps tell apart people with the same name; a family may have moved."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
    )


class NewPersonForm(forms.Form):
    relationship = forms.ChoiceField(
        label=_("Who is this person in the family?"),
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who this person is in the family")},
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=100, error_messages={"required": _("Enter a first name")}
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, error_messages={"required": _("Enter a last name")}
    )
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
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=Gender.choices,
        widget=forms.RadioSelect,
        initial=Gender.NOT_RECORDED,
    )
    has_send = forms.BooleanField(
        label=_("Has special educational needs or a learning difficulty"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        relationship = cleaned.get("relationship")
        if relationship == Relationship.UNBORN and self._missing("expected_date_of_birth"):
            self.add_error(
                "expected_date_of_birth", _("Enter the expected date of birth of the unborn child")
            )
        if relationship and relationship != Relationship.UNBORN and self._missing("date_of_birth"):
            self.add_error("date_of_birth", _("Enter the date of birth"))
        if (
            relationship
            and relationship != Relationship.UNBORN
            and cleaned.get("expected_date_of_birth")
        ):
            self.add_error(
                "expected_date_of_birth", _("Only an unborn child has an expected date of birth")
            )
        self._check_birth_dates(cleaned)
        return cleaned

    def _check_birth_dates(self, cleaned):
        # The record's own rules (an expected date not yet past, not both dates),
        # on the page now rather than when the request is sent.
        try:
            validate_birth_dates(
                cleaned.get("date_of_birth"), cleaned.get("expected_date_of_birth")
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if not self.has_error(field):
                    self.add_error(field, messages)

    def _missing(self, name):
        # A date typed but wrong already says so; "Enter..." is for no date at all.
        return not self.cleaned_data.get(name) and not self.has_error(name)


class DetailsForm(forms.Form):
    worries = forms.CharField(
        label=_("What are the worries?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What you have seen or been told, and what you think will happen if "
            "nothing changes. Use the family's words where you can."
        ),
        error_messages={"required": _("Describe what the worries are")},
    )
    needs = forms.MultipleChoiceField(
        label=_("Which needs does the family have?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
        error_messages={"required": _("Choose at least one need")},
    )
    source = forms.ChoiceField(
        label=_("Who asked for help?"),
        choices=[c for c in RequestSource.choices if c[0] != RequestSource.STEP_DOWN],
        widget=forms.RadioSelect,
        initial=RequestSource.PROFESSIONAL,
    )
    organisation = forms.ModelChoiceField(
        label=_("Your organisation"), queryset=None, empty_label=None
    )
    referral_source = forms.ChoiceField(
        label=_("Which best describes who asked? (if your organisation leaves a choice)"),
        choices=[("", _("Work it out from who asked and my organisation"))]
        + list(ReferralSource.choices),
        required=False,
        help_text=_(
            "Needed when you work for a health service other than a GP or health visiting, "
            "or an organisation of type 'other': say which, so the council's returns are right."
        ),
    )
    district = family_district_field()
    step_down_summary = forms.CharField(
        label=_("Summary from children's social care"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Only for a step-down: what social care did, what has changed, and what early "
            "help should carry on."
        ),
    )
    family_name = forms.CharField(
        label=_("How is the family known?"),
        max_length=200,
        help_text=_("For example, Ashworth family."),
        error_messages={"required": _("Enter how the family is known")},
    )

    def __init__(self, *args, user, worked_out=None, **kwargs):
        super().__init__(*args, **kwargs)
        if worked_out is not None:
            # Say why a district is already chosen, so it is checked, not trusted.
            change = _("Change it if the family lives in another district.")
            self.fields["district"].help_text = f"{worked_out.reason} {change}"
        self.fields["organisation"].queryset = user.organisations.all()
        if not user.organisations.filter(type=OrganisationType.CHILDRENS_SOCIAL_CARE).exists():
            # Only children's social care steps families down.
            del self.fields["step_down_summary"]
        else:
            self.fields["source"].choices = RequestSource.choices
        self.fields["district"].queryset = District.objects.filter(
            local_authority=user.local_authority
        )

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        source = cleaned.get("source")
        if organisation is None or not source:
            return cleaned
        fitting = referral_sources_for(source, organisation.type)
        chosen = cleaned.get("referral_source") or ""
        if chosen and chosen not in fitting:
            self.add_error(
                "referral_source",
                _("Choose one of: %(codes)s, or leave it to be worked out")
                % {"codes": "; ".join(str(code.label) for code in fitting)},
            )
        elif not chosen and len(fitting) > 1:
            self.add_error(
                "referral_source",
                _("Choose which best describes who asked: %(codes)s")
                % {"codes": "; ".join(str(code.label) for code in fitting)},
            )
        return cleaned
