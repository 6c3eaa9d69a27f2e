"""The form for changing a case's lead professional (episodes.lead_professional)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.forms import staff_label


def candidate_choices(users, organisations):
    """[(id, "Name, Organisation")] for a choice of lead professional."""
    return [("", "")] + [(user.pk, staff_label(user, organisations.get(user.pk))) for user in users]


class LeadChangeDetails(forms.Form):
    """Why, the family's view and the handover: asked wherever a lead changes."""

    reason = forms.CharField(
        label=_("Why is the lead professional changing?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say why the lead professional is changing")},
    )
    family_view = forms.CharField(
        label=_("The family's view on the new lead professional"),
        help_text=_("If the family has not been asked yet, say so and why."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": _("Record the family's view on the new lead professional"),
        },
    )
    handover_note = forms.CharField(
        label=_("Handover note (optional)"),
        help_text=_("What the new lead professional needs to know to pick up the work."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
    )


class ChangeLeadForm(LeadChangeDetails):
    new_lead = forms.TypedChoiceField(
        label=_("New lead professional"),
        help_text=_("A practitioner of an organisation in the team around the family."),
        coerce=int,
        empty_value=None,
        error_messages={
            "required": _("Choose the new lead professional"),
            "invalid_choice": _("Choose the new lead professional from the list"),
        },
    )
    field_order = ["new_lead", "reason", "family_view", "handover_note"]

    def __init__(self, *args, candidates, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {user.pk: user for user in candidates}
        self.fields["new_lead"].choices = candidate_choices(candidates, organisations)

    def chosen_lead(self):
        return self.candidates.get(self.cleaned_data.get("new_lead"))
