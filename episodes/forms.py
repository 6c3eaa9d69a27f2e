from django import forms
from django.utils.translation import gettext_lazy as _

from core import validators
from core.forms import GovukDateField
from outcomes.evidence import EVIDENCE_MAX_LENGTH, Evidence

from .models import ClosureReason, NeedOutcome, OutcomeEvidence

CLOSING_REASONS = [c for c in ClosureReason.choices if c[0] != ClosureReason.STEPPED_UP]


NEED_PARTS = ("", "_evidence_type", "_evidence", "_date")


class NeedOutcomesMixin:
    """For each need: was it met, and for a met need what shows it, described,
    and when (outcomes.evidence holds the rule). The closure page asks these,
    and so does the panel's decision when it closes the case."""

    fields: dict[str, forms.Field]
    cleaned_data: dict

    def add_need_fields(self, needs, *, label, required=True):
        self.needs = list(needs)
        self.need_fields = []
        for need in self.needs:
            name = f"need_{need.pk}"
            self.fields[name] = forms.ChoiceField(
                label=label % {"need": need.get_need_display()},
                choices=NeedOutcome.choices,
                widget=forms.RadioSelect,
                required=required,
                error_messages={
                    "required": _("Say whether the need '%(need)s' was met")
                    % {"need": need.get_need_display()}
                },
            )
            self.need_fields.append((need.pk, name))
            self.fields[f"{name}_evidence_type"] = forms.ChoiceField(
                label=_("What shows it?"),
                choices=[("", _("Choose the evidence"))] + OutcomeEvidence.choices,
                required=False,
                help_text=_("Needed if the need was met."),
                error_messages={"invalid_choice": _("Choose the evidence from the list")},
            )
            self.fields[f"{name}_evidence"] = forms.CharField(
                label=_("Describe the evidence"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=EVIDENCE_MAX_LENGTH,
                help_text=_("For example: attendance up from 82% to 96% this term."),
            )
            self.fields[f"{name}_date"] = GovukDateField(
                label=_("Date of the outcome"),
                required=False,
                within=validators.case_dates,
                help_text=_("When the evidence shows it, for example 27 3 2026."),
            )

    def need_groups(self):
        """Each need with its four fields, for the page's sections."""
        return [
            (need, [self[f"need_{need.pk}{suffix}"] for suffix in NEED_PARTS])  # type: ignore[index]
            for need in self.needs
        ]

    def need_outcomes(self):
        return {pk: self.cleaned_data.get(name) for pk, name in self.need_fields}

    def evidence(self):
        return {
            pk: Evidence(
                kind=self.cleaned_data.get(f"{name}_evidence_type") or "",
                text=self.cleaned_data.get(f"{name}_evidence") or "",
                on=self.cleaned_data.get(f"{name}_date"),
            )
            for pk, name in self.need_fields
        }


class CloseForm(NeedOutcomesMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is early help closing?"),
        choices=CLOSING_REASONS,
        widget=forms.RadioSelect,
        help_text=_("To step up, refer to children's social care instead."),
        error_messages={"required": _("Choose why early help is closing")},
    )
    summary = forms.CharField(
        label=_("Closing summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What changed for the family, and any advice given."),
    )

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_need_fields(needs, label=_("%(need)s: was it met?"))
