from django import forms
from django.utils.translation import gettext_lazy as _

from core import validators
from core.forms import GovukDateField
from episodes.models import OutcomeEvidence

from .evidence import EVIDENCE_MAX_LENGTH, Evidence
from .services import ANSWER_FIELDS, Answer

YES_NO = [("yes", _("Yes, it lasted")), ("no", _("No"))]
PARTS = ("sustained", "kind", "text", "on")


class SustainmentForm(forms.Form):
    """For each achieved need of a closed case: did it last, what shows it, when."""

    def __init__(self, *args, checks, **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = list(checks)
        for check in self.checks:
            need = check.need.get_need_display()
            names = {part: ANSWER_FIELDS[part] % check.pk for part in PARTS}
            self.fields[names["sustained"]] = forms.ChoiceField(
                label=_("%(need)s: has it lasted six months on?") % {"need": need},
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say whether '%(need)s' was sustained") % {"need": need},
                    "invalid_choice": _("Say whether '%(need)s' was sustained") % {"need": need},
                },
            )
            self.fields[names["kind"]] = forms.ChoiceField(
                label=_("What shows it?"),
                choices=[("", _("Choose the evidence"))] + OutcomeEvidence.choices,
                required=False,
                error_messages={"invalid_choice": _("Choose the evidence from the list")},
            )
            self.fields[names["text"]] = forms.CharField(
                label=_("Describe the evidence"),
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=EVIDENCE_MAX_LENGTH,
                help_text=_("For example: still in the same tenancy, rent account up to date."),
            )
            self.fields[names["on"]] = GovukDateField(
                label=_("Date of the evidence"),
                required=False,
                within=validators.case_dates,
                help_text=_("For example, 27 3 2026."),
            )

    def groups(self):
        return [
            (check, [self[ANSWER_FIELDS[part] % check.pk] for part in PARTS])
            for check in self.checks
        ]

    def answers(self):
        data = self.cleaned_data
        answers = {}
        for check in self.checks:
            name = {part: ANSWER_FIELDS[part] % check.pk for part in PARTS}
            said = data.get(name["sustained"])
            answers[check.pk] = Answer(
                sustained=None if not said else said == "yes",
                evidence=Evidence(
                    kind=data.get(name["kind"]) or "",
                    text=data.get(name["text"]) or "",
                    on=data.get(name["on"]),
                ),
            )
        return answers
