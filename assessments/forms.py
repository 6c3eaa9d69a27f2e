"""One form per section of the assessment.

Every section can be saved however incomplete (the task list lets people come
back later): nothing is required here, and `services.missing_parts` says what
completing needs. Each form carries the hidden `version` it started from
(optimistic locking).
"""

from django import forms
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.forms import WholeNumberField
from episodes.needs import NEED_OUTCOME, Outcome

from . import scoring

# Generous: a family's story can be long, but a form is not a file upload.
MAX_TEXT = 20_000


def text_field(label, help_text, rows=8):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "max_length": format_lazy(
                _("{label} must be {limit} characters or fewer"),
                label=label,
                limit=f"{MAX_TEXT:,}",
            )
        },
    )


class SectionForm(forms.Form):
    version = WholeNumberField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, autosave=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.autosave = autosave
        for name, form_field in self.fields.items():
            if name != "version":
                form_field.required = False

    def display(self, name, value):
        """A field's value as people read it, for the difference shown on a conflict."""
        form_field = self.fields[name]
        if isinstance(form_field, forms.ChoiceField):
            labels = {str(key): str(label) for key, label in form_field.choices}
            values = value if isinstance(value, list | tuple) else [value]
            return ", ".join(labels.get(str(v), str(v)) for v in values if v not in (None, ""))
        return (value or "").replace("\r\n", "\n").strip()


class FamilyStoryForm(SectionForm):
    family_story = text_field(
        _("The family's story, in their own words"),
        _(
            "Write down what the family tell you, in their words: what has happened, what "
            "life is like for them and what they would like to change."
        ),
        rows=12,
    )


class WorkingWellForm(SectionForm):
    working_well = text_field(
        _("What is working well?"),
        _(
            "The strengths and safety in and around the family: what the family, friends "
            "and professionals already do that helps the children."
        ),
    )


class WorriesForm(SectionForm):
    worries = text_field(
        _("What are we worried about?"),
        _(
            "What has happened, and what could happen to the children if nothing changes. "
            "Include anything that makes things harder for the family."
        ),
    )


class WellbeingGoalsForm(SectionForm):
    wellbeing_goals = text_field(
        _("What would wellbeing look like?"),
        _(
            "One goal per line, in words the family understand, for example 'Sam gets to "
            "school on time every day'. Each goal becomes a goal in the plan."
        ),
    )


class FamilyContextForm(SectionForm):
    family_circumstances = text_field(
        _("Family circumstances"),
        _(
            "Who lives at home, health, housing, money and work, and anything else that "
            "affects the children day to day."
        ),
    )
    wider_community = text_field(
        _("Wider family and community"),
        _(
            "Wider family, friends, faith and community groups, and the services the family "
            "use. Leave this blank if there is nothing to add."
        ),
    )


class ChildVoiceForm(SectionForm):
    wishes_and_feelings = text_field(
        _("Wishes and feelings, in their own words"),
        _(
            "Use the child's own words where you can. For a young child, describe what you "
            "saw and how they showed what they feel."
        ),
        rows=10,
    )

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wishes_and_feelings"].label = _(
            "What %(name)s wishes and feels, in their own words"
        ) % {"name": child.full_name}


class ScalingForm(SectionForm):
    def __init__(self, *args, episode, existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        scoring.add_score_fields(self, episode, existing)
        for name, form_field in self.fields.items():
            if name != "version":
                # Completing checks the practitioner's score; saving part-way is fine.
                form_field.required = False


def need_field_name(outcome):
    return f"needs_{outcome}"


class NeedsForm(SectionForm):
    """The needs, grouped by Supporting Families headline outcome (area)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for outcome in Outcome:
            choices = [
                (need.value, need.label) for need, area in NEED_OUTCOME.items() if area == outcome
            ]
            if choices:
                self.fields[need_field_name(outcome.value)] = forms.MultipleChoiceField(
                    label=outcome.label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )

    def needs(self):
        """The chosen need keys, in the order of the page."""
        return [
            need
            for name in self.fields
            if name.startswith("needs_")
            for need in self.cleaned_data.get(name) or []
        ]


def attachment_label(attachment):
    parts = [attachment.original_name]
    if attachment.description:
        parts.append(attachment.description)
    parts.append(
        _("uploaded by %(name)s on %(date)s")
        % {
            "name": attachment.uploaded_by,
            "date": date_format(attachment.uploaded_at, "j F Y"),
        }
    )
    return ", ".join(str(part) for part in parts)


class ExistingPlanForm(SectionForm):
    existing_plan = forms.ChoiceField(
        label=_("Which plan should the family's plan be based on?"),
        help_text=_(
            "An agency may use its own plan, for example a SEND Support Plan, instead of "
            "writing the family's story, what is working well, the worries and the family's "
            "circumstances here. The children's views, the scaling, the needs and the "
            "wellbeing goals are still needed."
        ),
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.attachments = {str(attachment.pk): attachment for attachment in attachments}
        self.fields["existing_plan"].choices = [("", _("This assessment"))] + [
            (key, attachment_label(attachment)) for key, attachment in self.attachments.items()
        ]

    def attachment(self):
        return self.attachments.get(self.cleaned_data.get("existing_plan") or "")
