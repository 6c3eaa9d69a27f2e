from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField
from core.validators import case_dates
from episodes.forms import CLOSING_REASONS, NeedOutcomesMixin
from referrals.models import SignificantHarm

from .models import PanelDecision


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
    label = _("%(ref)s, %(family)s: referred on %(date)s") % {
        "ref": episode.reference,
        "family": episode.family.name,
        "date": date_format(referral.sent_at, "j F Y"),
    }
    if referral.panel_reason:
        label = f"{label} ({referral.get_panel_reason_display()})"
    return label


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


class OutcomeForm(NeedOutcomesMixin, forms.Form):
    """What the panel decided, and what each decision needs: the domain
    function each calls refuses anything else missing."""

    decision = forms.ChoiceField(
        label=_("What did the panel decide?"),
        choices=PanelDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the panel decided")},
    )
    outcome = forms.CharField(
        label=_("The panel's reasons and advice"),
        help_text=_("Why the panel decided this, and its advice for the team."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Enter what the panel decided")},
    )
    # Allocating a lead professional
    new_lead = forms.TypedChoiceField(
        label=_("If allocating a lead professional: who"),
        help_text=_("A practitioner of an organisation in the team around the family."),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose the lead professional from the list")},
    )
    family_view = forms.CharField(
        label=_("The family's view on the lead professional"),
        help_text=_("If the family has not been asked yet, say so and why."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    handover_note = forms.CharField(
        label=_("Handover note for the lead professional (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )
    # Adding an organisation or service to the team
    organisation = forms.TypedChoiceField(
        label=_("If adding to the team: which organisation or service"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose the organisation from the list")},
    )
    override_reason = forms.CharField(
        label=_("If the family has not consented to sharing with it: why share without consent"),
        help_text=_("Only when a child is at risk of significant harm."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    # Stepping up
    concern = forms.CharField(
        label=_("If stepping up: the concern for the child"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    significant_harm = forms.ChoiceField(
        label=_("Has the child suffered, or are they likely to suffer, significant harm?"),
        choices=SignificantHarm.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    # Closing
    closure_reason = forms.ChoiceField(
        label=_("If closing: why is early help closing?"),
        choices=CLOSING_REASONS,
        widget=forms.RadioSelect,
        required=False,
    )

    # What each decision needs, field by field.
    NEEDED = {
        PanelDecision.ALLOCATE_LEAD: {
            "new_lead": _("Choose the lead professional the panel allocated"),
            "family_view": _("Record the family's view on the lead professional"),
        },
        PanelDecision.ADD_ORGANISATION: {
            "organisation": _("Choose the organisation or service to add to the team"),
        },
        PanelDecision.STEP_UP: {"concern": _("Describe the concern for the child")},
        PanelDecision.CLOSE: {"closure_reason": _("Choose why early help is closing")},
    }

    def __init__(self, *args, candidates, organisations, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {user.pk: user for user in candidates}
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        self.fields["new_lead"].choices = [("", "")] + [
            (user.pk, member_label(user)) for user in candidates
        ]
        self.fields["organisation"].choices = [("", "")] + [
            (pk, organisation.name) for pk, organisation in self.organisations.items()
        ]
        # Each need's outcome and its evidence, asked if the panel closes the
        # case (as the closure page does; a met need's evidence is then needed).
        self.add_need_fields(needs, label=_("If closing: %(need)s, was it met?"), required=False)

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        for field, message in self.NEEDED.get(decision, {}).items():
            if field not in self.errors and not cleaned.get(field):
                self.add_error(field, message)
        if decision == PanelDecision.CLOSE:
            for need in self.needs:
                name = f"need_{need.pk}"
                if name not in self.errors and not cleaned.get(name):
                    self.add_error(
                        name,
                        _("Say whether the need '%(need)s' was met")
                        % {"need": need.get_need_display()},
                    )
        return cleaned

    def details(self):
        """The keyword arguments for services.record_outcome."""
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "outcome": data["outcome"],
            "new_lead": self.candidates.get(data.get("new_lead")),
            "family_view": data.get("family_view", ""),
            "handover_note": data.get("handover_note", ""),
            "organisation": self.organisations.get(data.get("organisation")),
            "override_reason": data.get("override_reason", ""),
            "concern": data.get("concern", ""),
            "significant_harm": data.get("significant_harm", ""),
            "closure_reason": data.get("closure_reason", ""),
            "need_outcomes": self.need_outcomes(),
            "evidence": self.evidence() if data["decision"] == PanelDecision.CLOSE else None,
        }
