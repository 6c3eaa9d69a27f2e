"""The form for giving several of one person's cases a new lead professional."""

from django import forms
from django.utils.translation import gettext_lazy as _

from episodes.lead_forms import LeadChangeDetails
from panels.forms import member_label


def case_label(episode):
    return f"{episode.reference}, {episode.family.name} ({episode.district.name})"


class ReallocateForm(LeadChangeDetails):
    cases = forms.TypedMultipleChoiceField(
        label=_("Cases to give the new lead professional"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one case"),
            "invalid_choice": _("Choose cases from the list"),
        },
    )
    new_lead = forms.TypedChoiceField(
        label=_("New lead professional"),
        help_text=_("They must work for an organisation in each case's team around the family."),
        coerce=int,
        empty_value=None,
        error_messages={
            "required": _("Choose the new lead professional"),
            "invalid_choice": _("Choose the new lead professional from the list"),
        },
    )
    field_order = ["cases", "new_lead", "reason", "family_view", "handover_note"]

    def __init__(self, *args, episodes, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.episodes = {episode.pk: episode for episode in episodes}
        self.candidates = {user.pk: user for user in candidates}
        self.fields["cases"].choices = [(pk, case_label(e)) for pk, e in self.episodes.items()]
        self.fields["new_lead"].choices = [("", "")] + [
            (user.pk, member_label(user)) for user in candidates
        ]

    def chosen_cases(self):
        return [self.episodes[pk] for pk in self.cleaned_data["cases"]]

    def chosen_lead(self):
        return self.candidates.get(self.cleaned_data.get("new_lead"))
