from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.forms import GovukDateField, choose_from, field_params
from core.govuk import render_component
from core.validators import case_dates
from episodes import states
from people import restrictions
from people.models import Person

from .models import Method, Purpose
from .services import PersonDecisions

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def person_label(viewer, person):
    """ "Name (age)", the age only when the viewer may see the date of birth."""
    age = restrictions.shown_to(viewer, person).age()
    return person.full_name if age is None else f"{person.full_name} ({age})"


class ConsentForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Whose decision is this?"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whose decision it is")},
    )
    purpose = forms.ChoiceField(
        label=_("What were they asked?"),
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what they were asked")},
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Which organisations may information be shared with?"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for consent to sharing. Name each organisation."),
    )
    decision = forms.ChoiceField(
        label=_("Did they agree?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether they agreed")},
    )
    method = forms.ChoiceField(
        label=_("How was it given?"),
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the decision was given")},
    )
    given_on = GovukDateField(
        label=_("Date of the decision"),
        within=case_dates,
        error_messages={"required": _("Enter the date of the decision")},
    )

    def __init__(self, *args, episode, viewer, people, organisations, **kwargs):
        """`people`: deciders(episode); `organisations`: the council's, as
        council_organisations lists them (read once for the page)."""
        super().__init__(*args, **kwargs)
        choose_from(self.fields["person"], people_who_may_decide(episode), people)
        self.fields["person"].label_from_instance = lambda p: person_label(viewer, p)
        choose_from(
            self.fields["organisations"],
            Organisation.objects.filter(local_authority=episode.local_authority),
            sorted(organisations, key=lambda organisation: organisation.type),
        )
        self.initial.setdefault("given_on", timezone.localdate())


def council_organisations(episode):
    """The council's organisations by name, for the page's lists of them."""
    return list(
        Organisation.objects.filter(local_authority_id=episode.local_authority_id).order_by("name")
    )


def deciders(episode):
    """people_who_may_decide, read with who lives at each one's address, for
    the page's two lists of them (one query for their households)."""
    people = list(people_who_may_decide(episode))
    restrictions.prefetch_household(people)
    return people


def people_who_may_decide(episode):
    """Family members who can be asked: everyone born. Ordered by name, not
    birth: the order would tell a restricted age."""
    return (
        Person.objects.filter(
            family_memberships__family=episode.family, expected_date_of_birth__isnull=True
        )
        .prefetch_related("restrictions")
        .order_by("first_name", "pk")
    )


NOT_ASKED = "not_asked"
ASSESSMENT_ANSWERS = [
    ("agreed", _("Agreed")),
    ("refused", _("Refused")),
    (NOT_ASKED, _("Not asked yet")),
]
SHARING_ANSWERS = [("agreed", _("Yes")), ("refused", _("No")), (NOT_ASKED, _("Not asked yet"))]
ANSWER_GIVEN = {"agreed": True, "refused": False}


def _cell(bound_field):
    """One input of the grid: the GOV.UK component, its legend or label read
    only by screen readers (the row and column headers say it for everyone)."""
    name, params = field_params(bound_field)
    hidden = "govuk-visually-hidden"
    if "fieldset" in params:
        params["fieldset"]["legend"]["classes"] = hidden
    if "label" in params:
        params["label"]["classes"] = hidden
    if name in ("radios", "checkboxes"):
        params["classes"] = "govuk-radios--small" if name == "radios" else "govuk-checkboxes--small"
    return render_component(name, params)


class FamilyConsentForm(forms.Form):
    """Every family member's decisions from one conversation, in one grid:
    a column for each person; a row for the assessment, one for sharing with
    each organisation offered, and how and when they answered. Answers left
    at "Not asked yet" record nothing."""

    def __init__(self, *args, episode, viewer, organisations, people, **kwargs):
        """`people`: deciders(episode)."""
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.organisations = list(organisations)
        self.people = []
        today = timezone.localdate()
        for person in people:
            name = restrictions.shown_to(viewer, person).full_name
            prefix = f"p{person.pk}"
            self.people.append((person, name, prefix))
            self.fields[f"{prefix}-assessment"] = forms.ChoiceField(
                label=_("%(name)s: consent to the early help assessment") % {"name": name},
                choices=ASSESSMENT_ANSWERS,
                initial=NOT_ASKED,
                required=False,
                widget=forms.RadioSelect,
            )
            for organisation in self.organisations:
                self.fields[f"{prefix}-org{organisation.pk}"] = forms.ChoiceField(
                    label=_("%(name)s: sharing information with %(org)s")
                    % {"name": name, "org": organisation.name},
                    choices=SHARING_ANSWERS,
                    initial=NOT_ASKED,
                    required=False,
                    widget=forms.RadioSelect,
                )
            self.fields[f"{prefix}-method"] = forms.ChoiceField(
                label=_("How %(name)s gave their answers") % {"name": name},
                choices=Method.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"{prefix}-given_on"] = GovukDateField(
                label=_("Date of %(name)s's answers") % {"name": name},
                within=case_dates,
                required=False,
                initial=today,
            )
        if states.allows(episode, "join_team"):
            self.fields["add_to_team"] = forms.BooleanField(
                label=_("Add each organisation they agreed to share with to the %(team)s")
                % {"team": episode.local_authority.get_meeting_name_display()},
                required=False,
            )

    def _answers(self, prefix):
        data = self.cleaned_data
        assessment = ANSWER_GIVEN.get(data.get(f"{prefix}-assessment"))
        sharing = {
            organisation: ANSWER_GIVEN[answer]
            for organisation in self.organisations
            if (answer := data.get(f"{prefix}-org{organisation.pk}")) in ANSWER_GIVEN
        }
        return assessment, sharing

    def clean(self):
        cleaned = super().clean()
        anyone = False
        for _person, name, prefix in self.people:
            assessment, sharing = self._answers(prefix)
            if assessment is None and not sharing:
                continue
            anyone = True
            if not cleaned.get(f"{prefix}-method"):
                self.add_error(
                    f"{prefix}-method", _("Choose how %(name)s gave their answers") % {"name": name}
                )
            given_on = cleaned.get(f"{prefix}-given_on")
            if given_on is None and not self.has_error(f"{prefix}-given_on"):
                self.add_error(
                    f"{prefix}-given_on",
                    _("Enter the date of %(name)s's answers") % {"name": name},
                )
            elif given_on is not None and given_on > timezone.localdate():
                self.add_error(
                    f"{prefix}-given_on",
                    _("The date of %(name)s's answers must be today or in the past")
                    % {"name": name},
                )
        if not anyone and self.people:
            self.add_error(
                f"{self.people[0][2]}-assessment",
                _("Record at least one answer: choose Agreed or Refused for someone"),
            )
        return cleaned

    def decisions(self):
        """The answers given, person by person (those not asked are left out)."""
        decisions = []
        for person, _name, prefix in self.people:
            assessment, sharing = self._answers(prefix)
            if assessment is None and not sharing:
                continue
            decisions.append(
                PersonDecisions(
                    person=person,
                    method=self.cleaned_data[f"{prefix}-method"],
                    given_on=self.cleaned_data[f"{prefix}-given_on"],
                    assessment=assessment,
                    sharing=sharing,
                )
            )
        return decisions

    def grid(self):
        """The rows of the table: a heading and one rendered input per person."""
        questions = [("assessment", _("Consent to the early help assessment"))]
        questions += [
            (
                f"org{organisation.pk}",
                _("Sharing information with %(org)s") % {"org": organisation.name},
            )
            for organisation in self.organisations
        ]
        questions += [("method", _("How they answered")), ("given_on", _("Date of their answers"))]
        return [
            {
                "heading": heading,
                "cells": [_cell(self[f"{prefix}-{key}"]) for _person, _name, prefix in self.people],
            }
            for key, heading in questions
        ]

    @property
    def names(self):
        return [name for _person, name, _prefix in self.people]


class JudgementForm(forms.Form):
    escalates = forms.ChoiceField(
        label=_("Will the needs escalate without help?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=_(
            "If yes, you will be taken straight to the referral to children's social care."
        ),
        error_messages={"required": _("Choose whether the needs will escalate without help")},
    )
    reasoning = forms.CharField(
        label=_("Your reasoning"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Explain your judgement")},
    )
    advice = forms.CharField(
        label=_("Advice given to the family"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "If the needs will not escalate: what the family was told about other "
            "help and how to ask again."
        ),
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("How and when was consent withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say how and when consent was withdrawn")},
    )


class OverrideReviewForm(forms.Form):
    justified = forms.ChoiceField(
        label=_("Was sharing without consent justified?"),
        choices=[
            ("yes", _("Yes: a child was at risk of significant harm")),
            ("no", _("No: stop sharing with this organisation now")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether sharing without consent was justified")},
    )
    note = forms.CharField(
        label=_("Notes"),
        help_text=_("Required if it was not justified: say why, and what happens next"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
