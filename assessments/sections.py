"""The sections of the assessment as pages: each knows its title, its form,
what it holds now, how it is saved (through services) and its status on the
task list. Pages and the autosave endpoint share these, so a draft saved in
the background goes through exactly the same rules as "Save and continue".
"""

import difflib
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from episodes.needs import NEED_OUTCOME
from notes.models import Attachment, AttachmentKind
from people import restrictions

from . import forms, scoring, services

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
OPTIONAL = "optional"
STATUS_LABELS = {
    NOT_STARTED: _("Not started"),
    IN_PROGRESS: _("In progress"),
    COMPLETED: _("Completed"),
    OPTIONAL: _("Optional"),
}
# GOV.UK task list: a finished task is plain text, the others are tags.
STATUS_TAG_CLASSES = {
    NOT_STARTED: "govuk-tag--blue",
    IN_PROGRESS: "govuk-tag--light-blue",
    OPTIONAL: "govuk-tag--grey",
}


class Section:
    """One page of the assessment."""

    key = ""
    title = ""
    form_class = forms.SectionForm
    template = None  # extra content shown above the form

    def __init__(self, episode):
        self.episode = episode

    # Where it lives
    def url(self):
        return reverse("assessments:section", args=[self.episode.pk, self.key])

    def autosave_url(self):
        return reverse("assessments:section_autosave", args=[self.episode.pk, self.key])

    # What it holds
    def values(self, assessment):
        """The section's current content as form values (strings and lists)."""
        raise NotImplementedError

    def has_content(self, assessment, known):
        raise NotImplementedError

    def summary(self, assessment, known):
        """[(label, text, required)] rows for the check page and the completed
        view; `required` marks the row completing asks for."""
        form = self.form(assessment)
        values = self.values(assessment)
        required = services.REQUIRED_TEXT_FIELDS.get(self.key)
        return [
            (form.fields[name].label, form.display(name, values.get(name)), name == required)
            for name in form.fields
            if name != "version"
        ]

    # Editing
    def form_kwargs(self, assessment):
        return {}

    def form(self, assessment, data=None, autosave=False):
        initial = {**self.values(assessment), "version": assessment.version}
        return self.form_class(
            data, initial=initial, autosave=autosave, **self.form_kwargs(assessment)
        )

    def save(self, actor, assessment, form, request=None):
        raise NotImplementedError

    def context(self, assessment):
        """Anything more the section's page shows (its `template`)."""
        return {}

    # The task list
    def status(self, assessment, known, missing):
        content = self.has_content(assessment, known)
        if self.key in missing:
            return IN_PROGRESS if content else NOT_STARTED
        return COMPLETED if content else OPTIONAL


class TextSection(Section):
    def __init__(self, episode, key, title, form_class, template=None):
        super().__init__(episode)
        self.key = key
        self.title = title
        self.form_class = form_class
        self.template = template
        self.fields = services.TEXT_SECTIONS[key]

    def values(self, assessment):
        return {name: getattr(assessment, name) for name in self.fields}

    def has_content(self, assessment, known):
        return any(getattr(assessment, name).strip() for name in self.fields)

    def save(self, actor, assessment, form, request=None):
        data = {name: form.cleaned_data[name] for name in self.fields}
        return services.save_section(
            actor, assessment, self.key, data, form.cleaned_data["version"], request=request
        )


class FamilyContextSection(TextSection):
    """Shows each child's age (from their record) beside the family's circumstances."""

    def context(self, assessment):
        today = timezone.localdate()
        links = (
            self.episode.child_links.select_related("person")
            .prefetch_related("person__restrictions")
            .order_by("id")
        )
        return {
            "children": [(link.person, restrictions.rule_age(link.person, today)) for link in links]
        }


class ChildSection(Section):
    form_class = forms.ChildVoiceForm

    def __init__(self, episode, child, age=None):
        super().__init__(episode)
        self.child = child
        self.age = age
        self.key = services.child_section(child)
        self.title = _("Wishes and feelings of %(name)s") % {"name": child.full_name}

    def url(self):
        return reverse("assessments:child", args=[self.episode.pk, self.child.pk])

    def autosave_url(self):
        return reverse("assessments:child_autosave", args=[self.episode.pk, self.child.pk])

    def voice(self, assessment, known=None):
        if known is not None:
            return known.voices.get(self.child.pk)
        return assessment.voices.filter(child=self.child).first()

    def values(self, assessment, known=None):
        voice = self.voice(assessment, known)
        return {"wishes_and_feelings": voice.wishes_and_feelings if voice else ""}

    def summary(self, assessment, known):
        voice = known.voices.get(self.child.pk)
        return [(_("In their own words"), voice.wishes_and_feelings if voice else "", True)]

    def has_content(self, assessment, known):
        return self.child.pk in known.voices

    def form_kwargs(self, assessment):
        return {"child": self.child}

    def save(self, actor, assessment, form, request=None):
        return services.save_child_voice(
            actor,
            assessment,
            self.child,
            form.cleaned_data["wishes_and_feelings"],
            form.cleaned_data["version"],
            request=request,
        )

    @property
    def hint(self):
        if self.child.is_unborn:
            return None
        if self.age is not None and self.age < services.CHILD_VOICE_AGE:
            return _("Optional for a child under %(age)s: record what you observed") % {
                "age": services.CHILD_VOICE_AGE
            }
        return None


class ScalingSection(Section):
    key = services.SCALING
    title = _("Scaling: how safe and well is the child?")
    form_class = forms.ScalingForm
    template = "assessments/_scaling_intro.html"

    def values(self, assessment):
        existing = scoring.existing_scores(assessment.scores.all())
        values = {}
        for name, _scorer, person, _label in scoring.scorers(self.episode):
            key = person.pk if person else None
            if key in existing:
                values[name] = str(existing[key])
        return values

    def has_content(self, assessment, known):
        return bool(known.scores)

    def form(self, assessment, data=None, autosave=False):
        existing = scoring.existing_scores(assessment.scores.all())
        return self.form_class(
            data,
            initial={"version": assessment.version},
            autosave=autosave,
            episode=self.episode,
            existing=existing,
        )

    def summary(self, assessment, known):
        rows = []
        for _name, _scorer, person, label in scoring.scorers(self.episode):
            key = person.pk if person else None
            score = str(known.scores[key]) if key in known.scores else ""
            rows.append((label, score, person is None))
        return rows

    def save(self, actor, assessment, form, request=None):
        return services.save_scores(
            actor, assessment, form.cleaned_data, form.cleaned_data["version"], request=request
        )


class NeedsSection(Section):
    key = services.NEEDS
    title = _("Needs")
    form_class = forms.NeedsForm

    def values(self, assessment, needs=None):
        if needs is None:
            needs = list(self.episode.needs.values_list("need", flat=True))
        values = {}
        for need in needs:
            name = forms.need_field_name(NEED_OUTCOME[need])
            values.setdefault(name, []).append(need)
        return values

    def has_content(self, assessment, known):
        return bool(known.needs)

    def summary(self, assessment, known):
        form = self.form_class()
        values = self.values(assessment, known.needs)
        return [
            (form.fields[name].label, form.display(name, values[name]), False)
            for name in form.fields
            if name in values
        ]

    def save(self, actor, assessment, form, request=None):
        return services.save_needs(
            actor,
            self.episode,
            form.needs(),
            assessment=assessment,
            expected_version=form.cleaned_data["version"],
            request=request,
        )


class ExistingPlanSection(Section):
    key = services.EXISTING_PLAN
    title = _("An agency's existing plan")
    form_class = forms.ExistingPlanForm
    template = "assessments/_existing_plan_intro.html"

    def attachments(self, assessment):
        return (
            Attachment.objects.filter(episode=self.episode)
            .filter(kind=AttachmentKind.EXISTING_PLAN)
            .select_related("uploaded_by")
        )

    def values(self, assessment):
        return {"existing_plan": str(assessment.existing_plan_id or "")}

    def has_content(self, assessment, known):
        return assessment.existing_plan_id is not None

    def status(self, assessment, known, missing):
        return COMPLETED if assessment.existing_plan_id else OPTIONAL

    def summary(self, assessment, known):
        plan = assessment.existing_plan
        return [
            (
                _("Plan based on"),
                forms.attachment_label(plan) if plan else str(_("This assessment")),
                False,
            )
        ]

    def form_kwargs(self, assessment):
        return {"attachments": self.attachments(assessment)}

    def save(self, actor, assessment, form, request=None):
        return services.attach_existing_plan(
            actor,
            assessment,
            form.attachment(),
            form.cleaned_data["version"],
            request=request,
        )


def _text_sections(episode):
    return {
        "family-story": TextSection(
            episode, "family-story", _("The family's story"), forms.FamilyStoryForm
        ),
        "working-well": TextSection(
            episode, "working-well", _("What is working well"), forms.WorkingWellForm
        ),
        "worries": TextSection(
            episode, "worries", _("What we are worried about"), forms.WorriesForm
        ),
        "wellbeing-goals": TextSection(
            episode,
            "wellbeing-goals",
            _("What wellbeing would look like"),
            forms.WellbeingGoalsForm,
        ),
        "family-context": FamilyContextSection(
            episode,
            "family-context",
            _("Age, family circumstances and wider community"),
            forms.FamilyContextForm,
            template="assessments/_children_ages.html",
        ),
    }


def all_sections(episode, known):
    """Every section, in the order of the task list."""
    text = _text_sections(episode)
    children = [ChildSection(episode, child, age) for child, age in known.children]
    return [
        text["family-story"],
        *[section for section in children if not section.child.is_unborn],
        text["working-well"],
        text["worries"],
        text["wellbeing-goals"],
        ScalingSection(episode),
        NeedsSection(episode),
        text["family-context"],
        ExistingPlanSection(episode),
    ]


def get_section(episode, key):
    """The section called `key` (not a child's), or a 404."""
    text = _text_sections(episode)
    if key in text:
        return text[key]
    other = {cls.key: cls for cls in (ScalingSection, NeedsSection, ExistingPlanSection)}
    if key in other:
        return other[key](episode)
    raise Http404("No such section of the assessment.")


def get_child_section(episode, person_pk):
    link = episode.child_links.select_related("person").filter(person_id=person_pk).first()
    if link is None or link.person.is_unborn:
        raise Http404("No such child in this episode.")
    return ChildSection(episode, link.person, restrictions.rule_age(link.person))


@dataclass
class TaskRow:
    section: Section
    status: str
    hint: str | None = None

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def tag_classes(self):
        return STATUS_TAG_CLASSES.get(self.status)


def task_list(assessment, episode, known):
    missing = {key for key, _message in services.missing_parts(assessment, known)}
    rows = []
    for section in all_sections(episode, known):
        rows.append(
            TaskRow(
                section,
                section.status(assessment, known, missing),
                getattr(section, "hint", None),
            )
        )
    return rows


def differences(form, theirs):
    """What differs between the saved section (`theirs`, form values) and what
    this person typed (the bound form): [{label, theirs, yours, lines}], where
    `lines` is a line-by-line comparison from difflib: (kind, text) with kind
    "same", "theirs" (only in the saved text) or "yours" (only in yours)."""
    rows = []
    for name in form.fields:
        if name == "version":
            continue
        their_text = form.display(name, theirs.get(name))
        your_text = form.display(name, form[name].value())
        if their_text == your_text:
            continue
        lines = []
        for line in difflib.ndiff(their_text.splitlines(), your_text.splitlines()):
            marker, text = line[:2], line[2:]
            if marker == "  ":
                lines.append(("same", text))
            elif marker == "- ":
                lines.append(("theirs", text))
            elif marker == "+ ":
                lines.append(("yours", text))
        rows.append(
            {
                "label": form.fields[name].label,
                "theirs": their_text,
                "yours": your_text,
                "lines": lines,
            }
        )
    return rows
