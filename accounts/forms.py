import re

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from core.forms import WholeNumberField, whole_numbers
from core.validators import normalise_phone

from . import security
from .models import DigestFrequency, FamilyLanguage, LocalAuthority, Organisation
from .services import GRANTABLE_ROLES


class SignInForm(forms.Form):
    """The password step. Checking the password is accounts.security's job."""

    username = forms.CharField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": False}),
        error_messages={"required": _("Enter your email address")},
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )


class CodeForm(forms.Form):
    """A 6-digit code from an authenticator app."""

    code = forms.CharField(
        label=_("Code"),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": False,
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app")},
    )

    def clean_code(self):
        code = security.normalise_code(self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):  # ASCII digits: "٣" is not a 3
            raise forms.ValidationError(_("The code must be 6 numbers, like 123456"))
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Recovery code"),
        help_text=_("One of the codes you saved when you set up two-factor sign-in."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": False,
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": _("Enter a recovery code")},
    )


class ChoosePasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Choose a password")
        self.fields["new_password1"].help_text = _(
            "At least 12 characters. Not a common password, and not only numbers."
        )
        self.fields["new_password2"].label = _("Type the password again")
        self.fields["new_password1"].error_messages["required"] = _("Choose a password")
        self.fields["new_password2"].error_messages["required"] = _(
            "Type the password again to confirm it"
        )


class UserDetailsForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages={"required": _("Enter the person's full name")},
    )
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select every organisation the person works for."),
        error_messages={
            "required": _("Choose at least one organisation"),
            # Only an altered page sends anything else: no id, or not one of the council's.
            "invalid_choice": _("Choose organisations from the list"),
            "invalid_pk_value": _("Choose organisations from the list"),
        },
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=[(role.value, role.label) for role in GRANTABLE_ROLES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role")},
    )

    def __init__(self, *args, local_authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            local_authority=local_authority
        )


class InviteUserForm(UserDetailsForm):
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": False}),
        error_messages={
            "required": _("Enter the person's work email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )
    field_order = ["email", "full_name", "job_title", "organisations", "roles"]


class DeactivateUserForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this account being deactivated?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter why the account is being deactivated")},
        help_text=_("For example: left the organisation on 31 October."),
    )


class RoleDecisionForm(forms.Form):
    """One button of the role requests page: which request, and the answer."""

    request = WholeNumberField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])


class ResetTwoFactorForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you resetting their two-factor sign-in?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter why you are resetting their two-factor sign-in")},
        help_text=_("For example: lost their phone; checked by a call to their manager."),
    )


class LocalAuthoritySettingsForm(forms.ModelForm):
    family_languages = forms.MultipleChoiceField(
        label=_("Languages offered to families"),
        choices=FamilyLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Plans and letters can be given to families in these languages."),
    )

    class Meta:
        model = LocalAuthority
        formfield_callback = whole_numbers
        fields = [
            "upper_age",
            "upper_age_send",
            "review_interval_weeks",
            "meeting_name",
            "step_down_lead_days",
            "front_door_phone",
            "advice_email",
            "mash_phone",
            "out_of_hours_phone",
            "family_languages",
            "notify_template_id",
            "notify_sms_template_id",
        ]
        widgets = {"meeting_name": forms.RadioSelect}

    RANGES = {
        "upper_age": (_("The upper age must be a whole number from 16 to 25"), 16, 25),
        "upper_age_send": (
            _("The upper age with SEND must be a whole number from 16 to 25"),
            16,
            25,
        ),
        "review_interval_weeks": (_("The review interval must be from 6 to 12 weeks"), 6, 12),
        "step_down_lead_days": (_("The step-down timescale must be from 1 to 60 days"), 1, 60),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (message, low, high) in self.RANGES.items():
            field = self.fields[name]
            field.widget.attrs["class"] = "govuk-input--width-3"
            for key in ("invalid", "min_value", "max_value", "required"):
                field.error_messages[key] = message
            # The model's validators would add Django's own wording as well.
            field.validators = [v for v in field.validators if not hasattr(v, "limit_value")]
            field.validators += [_range(low, high, message)]
        self.fields["mash_phone"].help_text = _(
            "The Multi-Agency Safeguarding Hub. Shown on the page for referring to children's "
            "social care, and on a request for early help whose needs suggest a child may be at "
            "risk of significant harm."
        )

        # The key is written, never read back: the page says only whether one is set.
        self.fields["notify_api_key"] = forms.CharField(
            label=_("GOV.UK Notify API key"),
            required=False,
            strip=True,
            max_length=200,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
            help_text=(
                _("A key is set. Leave this empty to keep it, or enter a new key to replace it.")
                if self.instance.notify_api_key
                else _(
                    "Optional. With a key, this council's emails are sent through GOV.UK "
                    "Notify instead of the service's mail server."
                )
            ),
        )
        self.fields["notify_template_id"].help_text = _(
            "The GOV.UK Notify email template to send every email with. Its subject must "
            "be ((subject)) and its message ((body))."
        )
        self.fields["notify_sms_template_id"].help_text = _(
            "Optional. The GOV.UK Notify text message template for meeting invitations to "
            "family members. Its message must be ((body)). Without it, text messages cannot "
            "be sent; letters need no template."
        )
        if self.instance.notify_api_key:
            self.fields["stop_using_notify"] = forms.BooleanField(
                label=_("Stop using GOV.UK Notify (forget the key)"), required=False
            )

    def _phone(self, name):
        value = self.cleaned_data.get(name, "")
        return normalise_phone(value) if value.strip() else ""

    def clean_front_door_phone(self):
        return self._phone("front_door_phone")

    def clean_mash_phone(self):
        return self._phone("mash_phone")

    def clean_out_of_hours_phone(self):
        return self._phone("out_of_hours_phone")


def _range(low, high, message):
    def check(value):
        if value is not None and not low <= value <= high:
            raise forms.ValidationError(message)

    return check


class DigestForm(forms.Form):
    digest = forms.ChoiceField(
        label=_("Summary email of new and overdue work"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Counts and case references only, with a link to your worklist. Sent when "
            "you have alerts."
        ),
        error_messages={"required": _("Choose how often to get the summary email")},
    )
