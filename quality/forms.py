from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import WholeNumberField

from .models import CRITERION_GRADES, Grade
from .services import (
    CRITERION_MAX_LENGTH,
    MAX_MONTHS,
    MAX_SAMPLE_SIZE,
    MAX_SEED,
    REPLY_MAX_LENGTH,
    CriterionJudgement,
)

FEEDBACK_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 1000


class AuditForm(forms.Form):
    """One grade (and an optional comment) per criterion, the overall grade and
    the feedback. The criteria's fields are named by their ids."""

    subject = forms.ChoiceField(
        label=_("What did you audit?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you audited")},
    )
    grade = forms.ChoiceField(
        label=_("Overall grade"),
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the overall grade")},
    )
    feedback = forms.CharField(
        label=_("Feedback for the team"),
        max_length=FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is good, and what would make the work better."),
        error_messages={"required": _("Enter your feedback for the team")},
    )
    re_audit_of = forms.ChoiceField(
        label=_("Is this a re-audit?"),
        required=False,
        error_messages={"invalid_choice": _("Choose an earlier audit of this case")},
    )

    def __init__(self, *args, criteria, subjects, earlier=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.fields["subject"].choices = subjects
        self.fields["re_audit_of"].choices = [("", _("No, a first audit")), *earlier]
        for criterion in self.criteria:
            self.fields[f"grade_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.text,
                choices=CRITERION_GRADES,
                widget=forms.RadioSelect,
                error_messages={"required": _("Grade “%(c)s”") % {"c": criterion.text}},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment (optional)"),
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def criterion_fields(self):
        return [
            (criterion, self[f"grade_{criterion.pk}"], self[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def judgements(self):
        data = self.cleaned_data
        return {
            criterion.pk: CriterionJudgement(
                data[f"grade_{criterion.pk}"], data.get(f"comment_{criterion.pk}") or ""
            )
            for criterion in self.criteria
        }


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter your reply")},
    )


class CriterionForm(forms.Form):
    text = forms.CharField(
        label=_("Criterion"),
        max_length=CRITERION_MAX_LENGTH,
        error_messages={"required": _("Enter the criterion")},
    )


class SampleForm(forms.Form):
    size = WholeNumberField(
        label=_("How many cases"),
        min_value=1,
        max_value=MAX_SAMPLE_SIZE,
        initial=10,
        error_messages={"required": _("Enter how many cases to sample")},
    )
    months = WholeNumberField(
        label=_("Cases asked for or moved on in the last how many months"),
        min_value=1,
        max_value=MAX_MONTHS,
        initial=3,
        error_messages={"required": _("Enter the number of months")},
    )
    seed = WholeNumberField(
        label=_("Seed (optional)"),
        required=False,
        min_value=1,
        max_value=MAX_SEED,
        help_text=_(
            "Leave empty for a new random sample. Enter an earlier sample's seed to draw it again."
        ),
    )
