from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField
from core.validators import case_dates


class ArrangePanelForm(forms.Form):
    meets_on = GovukDateField(
        label=_("Date of the panel"),
        within=case_dates,
        help_text=_("For example, 27 3 2027"),
        error_messages={"required": _("Enter the date of the panel")},
    )

    def clean_meets_on(self):
        meets_on = self.cleaned_data["meets_on"]
        if meets_on < timezone.localdate():
            raise forms.ValidationError(_("The date of the panel must be today or in the future"))
        return meets_on


def member_label(user):
    """Name and organisation, from memberships prefetched with their organisation."""
    memberships = sorted(user.memberships.all(), key=lambda m: m.pk)
    if memberships:
        return f"{user.full_name}, {memberships[0].organisation.name}"
    return user.full_name


class AddMemberForm(forms.Form):
    member = forms.TypedChoiceField(
        label=_("Who will sit on the panel"),
        help_text=_("Staff of the council and its partner agencies"),
        coerce=int,
        error_messages={"required": _("Choose who will sit on the panel")},
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", "")] + [(u.pk, member_label(u)) for u in users]


def referral_label(referral):
    episode = referral.episode
    return _("%(ref)s, %(family)s: referred on %(date)s") % {
        "ref": episode.reference,
        "family": episode.family.name,
        "date": date_format(referral.sent_at, "j F Y"),
    }


class AddCaseForm(forms.Form):
    """A case referred to the panel, or any open case of the council by reference."""

    referral = forms.TypedChoiceField(
        label=_("Cases referred to the panel"),
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
    )
    reference = forms.CharField(
        label=_("Or the reference of another open case"),
        help_text=_("For example, EH000123"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )

    def __init__(self, *args, referrals, **kwargs):
        super().__init__(*args, **kwargs)
        self.referrals = {referral.pk: referral for referral in referrals}
        if self.referrals:
            self.fields["referral"].choices = [
                (pk, referral_label(r)) for pk, r in self.referrals.items()
            ]
        else:
            del self.fields["referral"]
            self.fields["reference"].label = _("Reference of an open case")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("referral") and not (cleaned.get("reference") or "").strip():
            field = "referral" if self.referrals else "reference"
            self.add_error(field, _("Choose a referred case or enter the reference of a case"))
        return cleaned


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("What the panel decided"),
        help_text=_("The decision and who will do what next"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Enter what the panel decided")},
    )
