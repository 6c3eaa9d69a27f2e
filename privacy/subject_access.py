"""Subject access (UK GDPR Art. 15): everything held about one person, as one
structured dict, rendered as JSON, as a printable HTML page, and as a PDF of
that same page.

Other people appear by name and relationship only, through
`people.restrictions.for_document(other, recipient=person)`: the restricted
parts of their records are withheld, and the copy lists each withheld item
without its value. As a second guard, a restricted value of someone else that
was written into a record's text (a meeting held at a parent's hidden address)
is replaced by "[withheld]" and listed too. Free text is otherwise given as it
was written: the manager reads it before sending the copy (the start page says
so), because no program can judge every mention of another person.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Field, Model, Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from assessments.models import Assessment
from audit.models import Action
from audit.services import record
from consent.models import Purpose
from core import policy
from episodes.chronology import case_page_records, chronology
from episodes.models import Episode, EpisodeChild
from episodes.records_present import remember_present
from families.models import Feedback
from notes.models import Attachment
from people.models import PERSON_DETAIL_FIELDS, FamilyMember, Person, RestrictableField
from people.restrictions import (
    active_restrictions,
    for_document,
    hidden_restrictions,
    prefetch_household,
)

from .retention import family_reference

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from accounts.models import User
    from assessments.models import ScalingScore
    from episodes.models import Episode
    from people.models import Family
    from people.restrictions import ShownPerson
    from reviews.models import Review

    # The copy is a JSON document: objects of text, numbers, lists and objects.
    JsonObject = dict[str, Any]

VERSION = 1
FORMATS = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
WITHHELD_MARK = "[withheld]"

OTHER_PERSONS_PART: dict[str, StrOrPromise] = {
    RestrictableField.ADDRESS: gettext_lazy("Another family member's address"),
    RestrictableField.DATE_OF_BIRTH: gettext_lazy("Another family member's date of birth"),
    RestrictableField.NHS_NUMBER: gettext_lazy("Another family member's NHS number"),
    RestrictableField.UPN: gettext_lazy("Another family member's unique pupil number"),
    RestrictableField.KNOWN_AS: gettext_lazy("The name another family member is known by"),
    RestrictableField.GENDER_IDENTITY: gettext_lazy("Another family member's gender identity"),
    RestrictableField.ETHNICITY: gettext_lazy("Another family member's ethnicity"),
    RestrictableField.DISABILITIES: gettext_lazy(
        "Another family member's disability and SEND details"
    ),
    RestrictableField.LANGUAGE: gettext_lazy("Another family member's language needs"),
}
RESTRICTED_REASON = gettext_lazy(
    "Restricted third-party information: this part of another person's record is "
    "restricted, so it is never given to anyone else."
)
OWN_RESTRICTED_REASON = gettext_lazy(
    "Restricted: only the lead professional and the roles named on the restriction may "
    "make a copy that contains it. Ask the lead professional to add it to this copy."
)
OWN_PART = gettext_lazy("Your own %(part)s")
OWN_WORDS_REASON = gettext_lazy(
    "Third-party information: another person's own account of their wishes and feelings."
)
# Restricted values also looked for in free text: specific enough to find.
SCRUBBED_FIELDS = (
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "nhs_number",
    "upn",
    "known_as",
    "gender_identity",
)
RECORD_FIELDS = PERSON_DETAIL_FIELDS
ASSESSMENT_SECTIONS = (
    "family_story",
    "working_well",
    "worries",
    "wellbeing_goals",
    "family_circumstances",
    "wider_community",
)


def when(value: date | datetime | None) -> str | None:
    """A date or time as ISO 8601 text (local time), or None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _name(user: User | None) -> str:
    return str(user) if user else ""


def _org(organisation: Organisation | None) -> str:
    return organisation.name if organisation else ""


def _verbose_name(model: type[Model], name: str) -> StrOrPromise:
    """The label of one of the model's own columns."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise LookupError(f"{model._meta.label}.{name} is not stored in its table")
    return field.verbose_name


def record_label(name: str) -> StrOrPromise:
    if name == "id":
        return _("Record number")
    if name == "created_at":
        return _("First recorded")
    return capfirst(_verbose_name(Person, name))


def _record(person: Person) -> JsonObject:
    values: JsonObject = {"id": person.pk}
    for name in RECORD_FIELDS:
        value = getattr(person, name)
        if name == "disabilities":
            value = [str(label) for label in person.get_disabilities_display()]
        elif name in ("sex", "ethnicity", "preferred_language"):
            value = getattr(person, f"get_{name}_display")()
        elif isinstance(value, date):
            value = when(value)
        values[name] = value
    values["created_at"] = when(person.created_at)
    return values


class _Copy:
    """Builds the copy for `person`, tracking what is withheld."""

    def __init__(self, person: Person, maker: User) -> None:
        self.person = person
        self.maker = maker
        self.withheld: list[dict[str, str]] = []
        self._shown: dict[int, ShownPerson] = {}
        self._relationship: dict[tuple[int, int], str] = {}
        # {value: its restricted field, or ("own", field) for the subject's own}
        self._secrets: dict[str, str | tuple[str, str]] = {}

    def shown(self, other: Person) -> ShownPerson:
        if other.pk not in self._shown:
            shown = for_document(other, recipient=self.person, maker=self.maker)
            self._shown[other.pk] = shown
            if other.pk != self.person.pk:
                self._withhold_restricted(other, shown)
            else:
                self._withhold_own(other, shown)
        return self._shown[other.pk]

    def _withhold_own(self, person: Person, shown: ShownPerson) -> None:
        """The subject's own restricted parts that the copy's maker may not see:
        left out, listed, and scrubbed from free text like another's."""
        for part in shown.withheld:
            self.withhold(OWN_PART % {"part": str(part).lower()}, OWN_RESTRICTED_REASON)
        for restriction in hidden_restrictions(self.maker, person):
            for name in set(restriction.model_fields) & set(SCRUBBED_FIELDS):
                value = str(getattr(person, name) or "").strip()
                if len(value) >= 4:
                    self._secrets[value] = ("own", restriction.field)

    def _withhold_restricted(self, other: Person, shown: ShownPerson) -> None:
        for key in RestrictableField.values:
            if key in shown.withheld_keys:
                self.withhold(OTHER_PERSONS_PART[key], RESTRICTED_REASON)
        own = {
            str(getattr(self.person, name)).casefold()
            for name in SCRUBBED_FIELDS
            if getattr(self.person, name)
        }
        for restriction in active_restrictions(other):
            for name in set(restriction.model_fields) & set(SCRUBBED_FIELDS):
                value = str(getattr(other, name) or "").strip()
                if len(value) >= 4 and value.casefold() not in own:
                    self._secrets[value] = restriction.field

    def withhold(self, item: StrOrPromise, reason: StrOrPromise) -> None:
        self.withheld.append({"item": str(item), "reason": str(reason)})

    def learn_relationships(self, family: Family) -> None:
        for member in family.memberships.all():
            self._relationship[(family.pk, member.person_id)] = member.get_relationship_display()
            self.shown(member.person)

    def who(self, person: Person | None, family_id: int) -> str:
        """Another person as the copy may name them: name and relationship."""
        if person is None:
            return ""
        name = self.shown(person).full_name
        if person.pk == self.person.pk:
            return _("%(name)s (you)") % {"name": name}
        relationship = self._relationship.get((family_id, person.pk))
        return f"{name} ({relationship})" if relationship else name

    def scrub(self, data: list[JsonObject]) -> list[JsonObject]:
        """Replace someone else's restricted values written into free text."""
        if not self._secrets:
            return data
        pattern = re.compile("|".join(re.escape(value) for value in self._secrets), re.IGNORECASE)
        found: set[str | tuple[str, str]] = set()

        def clean(value: Any) -> Any:  # any JSON value
            if isinstance(value, str):

                def replace(match: re.Match[str]) -> str:
                    for secret, key in self._secrets.items():
                        if secret.casefold() == match.group(0).casefold():
                            found.add(key)
                    return WITHHELD_MARK

                return pattern.sub(replace, value)
            if isinstance(value, list):
                return [clean(item) for item in value]
            if isinstance(value, dict):
                return {key: clean(item) for key, item in value.items()}
            return value

        cleaned = clean(data)
        for key in RestrictableField.values:
            if key in found:
                self.withhold(
                    _("%(part)s, where a record's text mentioned it")
                    % {"part": OTHER_PERSONS_PART[key]},
                    RESTRICTED_REASON,
                )
            if ("own", key) in found:
                part = OWN_PART % {"part": RestrictableField(key).label.lower()}
                self.withhold(
                    _("%(part)s, where a record's text mentioned it") % {"part": part},
                    OWN_RESTRICTED_REASON,
                )
        return cleaned


def collect(person: Person, requester: User) -> JsonObject:
    """Everything held about `person`, for `requester` (a manager of their
    council): one JSON-serialisable dict."""
    if not policy.can_make_subject_access_copy(requester, person):
        raise PermissionDenied
    copy = _Copy(person, requester)
    own = copy.shown(person)
    memberships = list(person.family_memberships.select_related("family").order_by("family_id"))
    episodes = list(_cases_of(person, requester))
    # Each family the copy names, once, with everyone in it read in one go.
    named: dict[int, Family] = {m.family_id: m.family for m in memberships}
    for episode in episodes:
        named.setdefault(episode.family_id, episode.family)
    _read_families(named.values())
    families: list[JsonObject] = []
    for membership in memberships:
        family = named[membership.family_id]
        copy.learn_relationships(family)
        families.append(
            {
                "reference": family_reference(family.pk),
                "name": family.name,
                "your_relationship": membership.get_relationship_display(),
                "parental_responsibility": membership.has_parental_responsibility,
                "others": [
                    {
                        "name": copy.shown(member.person).full_name,
                        "relationship": member.get_relationship_display(),
                    }
                    for member in family.memberships.all()
                    if member.person_id != person.pk
                ],
            }
        )
    in_families = {m.family_id for m in memberships}
    for episode in episodes:
        if episode.family_id not in in_families:
            copy.learn_relationships(named[episode.family_id])
    feedback = _read_cases(episodes, person)
    episode_data = [_episode(copy, episode, feedback.get(episode.pk, [])) for episode in episodes]
    return {
        "version": VERSION,
        "generated_at": when(timezone.now()),
        "local_authority": person.local_authority.name,
        "about_this_copy": [
            _(
                "This is everything the council's early help service holds about you: your "
                "record, your families, and every period of early help you were part of."
            ),
            _(
                "Other people appear by name and by how they are related to you. Parts of "
                "their records that are restricted are withheld and listed under "
                "'Information withheld'."
            ),
            _(
                "Attached documents are listed by name only: their contents are not part "
                "of this copy."
            ),
        ],
        "subject": {
            "record": _record(own),
            "restricted_parts": [
                {
                    "part": restriction.get_field_display(),
                    "since": when(restriction.created_at),
                    "reason": restriction.reason,
                }
                for restriction in active_restrictions(person)
            ],
        },
        "families": copy.scrub(families),
        "episodes": copy.scrub(episode_data),
        "withheld": copy.withheld,
    }


def _cases_of(person: Person, requester: User) -> QuerySet[Episode]:
    """The person's cases the requester may see, oldest first. As one small
    set of ids, each way in read by its index: the two joins ORed (and
    DISTINCT) read every case, family and member of the council (150 ms at
    300,000 people) to find a person's few."""
    in_family = FamilyMember.objects.filter(person=person).values("family_id")
    ids = (
        Episode.objects.filter(family_id__in=in_family)
        .order_by()
        .values("pk")
        .union(EpisodeChild.objects.filter(person=person).order_by().values("episode_id"))
    )
    return (
        policy.episodes_visible_to(requester)
        .filter(pk__in=ids)
        .select_related(
            "family",
            "district",
            "local_authority",
            "requested_by",
            "requesting_organisation",
            "lead_professional",
        )
        .order_by("requested_at", "pk")
    )


def _read_families(families: Iterable[Family]) -> None:
    """Everyone in `families`, in the order they were added, with their
    restrictions and those of anyone at their address: three queries
    however many families."""
    families = list(families)
    prefetch_related_objects(
        families,
        Prefetch(
            "memberships",
            FamilyMember.objects.select_related("person")
            .prefetch_related("person__restrictions")
            .order_by("id"),
        ),
    )
    prefetch_household([m.person for family in families for m in family.memberships.all()])


# Joins the copy needs beyond the case page's (episodes.chronology).
_MORE_JOINS = {
    "meetings": ("lead_professional",),
    "assessment": ("completed_by_organisation", "existing_plan"),
}


def _with_more_joins(name: str, records: QuerySet) -> QuerySet:
    # Only when there are more: select_related() with none joins every
    # foreign key there is.
    more = _MORE_JOINS.get(name)
    return records.select_related(*more) if more else records


def _ties_by_id(records: QuerySet) -> QuerySet:
    """`records` in their order, and those equal in it (consents recorded
    in one submission) by id: a copy made twice lists them the same."""
    order = list(records.query.order_by or records.model._meta.ordering)
    return records if {"pk", "id"} & set(order) else records.order_by(*order, "pk")


def _read_cases(episodes: list[Episode], person: Person) -> dict[int, list[Feedback]]:
    """Every record the copy gives of `episodes`, a query a kind for all of
    them (not a query a kind for each: a person may have been in a dozen
    cases), onto the cases, where the chronology finds the ones it reads too;
    and the person's own feedback, by case."""
    prefetch_related_objects(
        episodes,
        *[
            Prefetch(p.prefetch_to, _ties_by_id(_with_more_joins(p.prefetch_to, p.queryset)))
            for p in case_page_records()
            if p.queryset is not None
        ],
        Prefetch("children", Person.objects.order_by("pk")),
        Prefetch("organisations", Organisation.objects.order_by("name")),
        "needs",
        Prefetch("attachments", Attachment.objects.select_related("uploaded_by")),
        "meetings__invitees__person",
        "meetings__invitees__user",
        "meetings__invitees__organisation",
        "plans__goals__lead_organisation",
        "plans__goals__actions__organisation",
        "plans__goals__actions__worker",
        "plans__copies",
        "reviews__progress__action",
        "reviews__scores__person",
        "reviews__voices",
        "assessment__voices",
        "assessment__scores__person",
    )
    for episode in episodes:
        # The kinds only the chronology reads (lead changes, advice...), read
        # for a case only if it has any.
        remember_present(episode)
    by_case: dict[int, list[Feedback]] = {}
    if episodes:
        for answer in Feedback.objects.filter(
            local_authority_id=person.local_authority_id,
            episode__in=episodes,
            person=person,
        ).order_by("received_at", "pk"):
            by_case.setdefault(answer.episode_id, []).append(answer)
    return by_case


def _episode(copy: _Copy, episode: Episode, feedback: list[Feedback]) -> JsonObject:
    """One case as the copy gives it, from the records _read_cases read."""
    family_id = episode.family_id
    children = list(episode.children.all())
    return {
        "reference": episode.reference,
        "your_part": (
            _("A child this early help was for")
            if any(child.pk == copy.person.pk for child in children)
            else _("A member of the family")
        ),
        "family": episode.family.name,
        "status": episode.get_status_display(),
        "source": episode.get_source_display(),
        "requested_at": when(episode.requested_at),
        "requested_by": _name(episode.requested_by) or episode.requested_via,
        "requesting_organisation": _org(episode.requesting_organisation),
        "district": episode.district.name,
        "lead_professional": _name(episode.lead_professional),
        "children": [copy.who(child, family_id) for child in children],
        "team_around_the_family": [org.name for org in episode.organisations.all()],
        "worries": episode.worries,
        "step_down_summary": episode.step_down_summary,
        "consent_given_at": when(episode.consent_given_at),
        "consent_refusal_escalates": episode.consent_refusal_escalates,
        "consent_refusal_reasoning": episode.consent_refusal_reasoning,
        "assessment_completed_at": when(episode.assessment_completed_at),
        "plan_agreed_at": when(episode.plan_agreed_at),
        "last_reviewed_at": when(episode.last_reviewed_at),
        "stepped_up_at": when(episode.stepped_up_at),
        "closed_at": when(episode.closed_at),
        "closure_reason": episode.get_closure_reason_display(),
        "closure_advice": episode.closure_advice,
        "needs": [
            {
                "need": need.get_need_display(),
                "headline_outcome": str(need.headline_outcome.label),
                "notes": need.notes,
                "outcome": need.get_outcome_display(),
            }
            for need in episode.needs.all()
        ],
        "your_consents": _consents(copy, episode),
        "shared_with": _shared_with(copy, episode),
        "assessment": _assessment(copy, episode),
        "meetings": _meetings(copy, episode),
        "plans": _plans(copy, episode),
        "reviews": _reviews(copy, episode),
        "referrals": [
            {
                "to": referral.get_kind_display(),
                "sent_at": when(referral.sent_at),
                "sent_by": _name(referral.sent_by),
                "concern": referral.concern,
                "significant_harm": referral.get_significant_harm_display(),
                "status": referral.get_status_display(),
                "decided_at": when(referral.decided_at),
                "advice": referral.advice,
            }
            for referral in episode.referrals.all()
        ],
        # What the subject said of the help (families.Feedback): their own
        # answers only, never another family member's.
        "your_feedback": [
            {
                "received_at": when(feedback.received_at),
                "on": feedback.get_moment_display(),
                "i_felt_listened_to": feedback.listened,
                "things_are_better_for_us": feedback.better,
                "i_would_ask_for_help_again": feedback.ask_again,
                "in_your_words": feedback.comments,
            }
            for feedback in feedback
        ],
        "case_notes": [
            {
                "kind": note.get_kind_display(),
                "happened_on": when(note.happened_on),
                "who": note.who,
                "what_happened": note.what_happened,
                "author": _name(note.author),
                "recorded_at": when(note.recorded_at),
            }
            for note in episode.case_notes.all()
        ],
        "attachments": [
            {
                "name": attachment.original_name,
                "kind": attachment.get_kind_display(),
                "description": attachment.description,
                "uploaded_at": when(attachment.uploaded_at),
                "uploaded_by": _name(attachment.uploaded_by),
            }
            for attachment in episode.attachments.all()
        ],
        "chronology": [
            {
                "at": when(timezone.localdate(entry.at) if entry.date_only else entry.at),
                "title": entry.title,
                "detail": entry.detail,
                "by": entry.by,
            }
            for entry in chronology(episode)
        ],
    }


def _consents(copy: _Copy, episode: Episode) -> list[JsonObject]:
    return [
        {
            "purpose": consent.get_purpose_display(),
            "organisation": _org(consent.organisation),
            "given": consent.given,
            "method": consent.get_method_display(),
            "given_on": when(consent.given_on),
            "recorded_by": _name(consent.recorded_by),
            "withdrawn_at": when(consent.withdrawn_at),
            "withdrawal_note": consent.withdrawal_note,
        }
        for consent in episode.consents.all()
        if consent.person_id == copy.person.pk
    ]


def _shared_with(copy: _Copy, episode: Episode) -> list[JsonObject]:
    shared: list[JsonObject] = [
        {
            "organisation": _org(consent.organisation),  # a sharing consent names one
            "basis": _("Consent given by %(who)s")
            % {"who": copy.who(consent.person, episode.family_id)},
            "from": when(consent.given_on),
            "until": when(consent.withdrawn_at),
            "reason": "",
        }
        for consent in episode.consents.all()
        if consent.purpose == Purpose.SHARING and consent.given
    ]
    shared += [
        {
            "organisation": override.organisation.name,
            "basis": _("Shared without consent, under the duty to share (a child at risk of harm)"),
            "from": when(override.recorded_at),
            "until": when(override.ended_at),
            "reason": override.reason,
        }
        for override in episode.sharing_overrides.all()
    ]
    return shared


def _scores(copy: _Copy, scores: Iterable[ScalingScore], family_id: int) -> list[JsonObject]:
    return [
        {
            "by": score.get_scorer_display()
            + (f": {copy.who(score.person, family_id)}" if score.person_id else ""),
            "score": score.score,
        }
        for score in scores
    ]


def _assessment(copy: _Copy, episode: Episode) -> JsonObject | None:
    assessment: Assessment | None = getattr(episode, "assessment", None)
    if assessment is None:
        return None
    your_views = None
    for voice in assessment.voices.all():
        if voice.child_id == copy.person.pk:
            your_views = voice.wishes_and_feelings
        else:
            copy.withhold(
                _("Another family member's wishes and feelings, in the assessment of %(ref)s")
                % {"ref": episode.reference},
                OWN_WORDS_REASON,
            )
    return {
        "started_at": when(assessment.started_at),
        "started_by": _name(assessment.started_by),
        "completed_at": when(assessment.completed_at),
        "completed_by": _name(assessment.completed_by),
        "completed_by_organisation": _org(assessment.completed_by_organisation),
        "sections": [
            {
                "heading": str(capfirst(_verbose_name(Assessment, name))),
                "text": getattr(assessment, name),
            }
            for name in ASSESSMENT_SECTIONS
        ],
        "your_wishes_and_feelings": your_views,
        "scores": _scores(copy, assessment.scores.all(), episode.family_id),
        "existing_plan": (
            assessment.existing_plan.original_name if assessment.existing_plan else None
        ),
    }


def _meetings(copy: _Copy, episode: Episode) -> list[JsonObject]:
    meetings: list[JsonObject] = []
    name = episode.local_authority.get_meeting_name_display()
    for meeting in episode.meetings.all():
        invitees = list(meeting.invitees.all())
        mine = [invitee for invitee in invitees if invitee.person_id == copy.person.pk]
        meetings.append(
            {
                "name": name,
                "starts_at": when(meeting.starts_at),
                "duration_minutes": meeting.duration_minutes,
                "location": meeting.location,
                "held": meeting.held,
                "notes": meeting.notes,
                "family_view_on_lead": meeting.family_view_on_lead,
                "lead_professional_chosen": _name(meeting.lead_professional),
                "you_were_invited": bool(mine),
                "you_attended": mine[0].attended if mine else None,
                "invited": [
                    {
                        "who": (
                            copy.who(invitee.person, episode.family_id)
                            if invitee.person_id
                            else ", ".join(
                                filter(None, [_name(invitee.user), _org(invitee.organisation)])
                            )
                        ),
                        "attended": invitee.attended,
                    }
                    for invitee in invitees
                ],
            }
        )
    return meetings


def _plans(copy: _Copy, episode: Episode) -> list[JsonObject]:
    plans: list[JsonObject] = []
    for plan in episode.plans.all():
        yours = next((c for c in plan.copies.all() if c.person_id == copy.person.pk), None)
        plans.append(
            {
                "version": plan.number,
                "agreed_at": when(plan.agreed_at),
                "agreed_by": _name(plan.agreed_by),
                "change_summary": plan.change_summary,
                "goals": [
                    {
                        "text": goal.text,
                        "headline_outcome": goal.get_outcome_display(),
                        "lead_organisation": _org(goal.lead_organisation),
                        "actions": [
                            {
                                "what": action.what,
                                "organisation": _org(action.organisation),
                                "worker": _name(action.worker),
                                "due_by": when(action.due_by),
                                "success_measure": action.success_measure,
                                "status": action.get_status_display(),
                                "not_done_reason": action.not_done_reason,
                            }
                            for action in goal.actions.all()
                        ],
                    }
                    for goal in plan.goals.all()
                ],
                "your_copy": (
                    None
                    if yours is None
                    else {
                        "given": yours.given,
                        "method": yours.get_method_display(),
                        "language": yours.get_language_display(),
                        "reason_not_given": yours.reason_not_given,
                        "recorded_at": when(yours.recorded_at),
                    }
                ),
            }
        )
    return plans


def _own_views_at(copy: _Copy, review: Review, episode: Episode) -> str | None:
    """The person's own views at a review; each other child's are withheld."""
    yours = None
    for voice in review.voices.all():
        if voice.child_id == copy.person.pk:
            yours = voice.views
        else:
            copy.withhold(
                _("Another family member's views at a review of %(ref)s")
                % {"ref": episode.reference},
                OWN_WORDS_REASON,
            )
    return yours


def _reviews(copy: _Copy, episode: Episode) -> list[JsonObject]:
    return [
        {
            "held_on": when(review.held_on),
            "plan_version": review.plan.number,
            "family_views": review.family_views,
            "child_views": review.child_views,
            "your_views": _own_views_at(copy, review, episode),
            "engagement": review.get_engagement_display(),
            "decision": review.get_decision_display(),
            "notes": review.notes,
            "recorded_by": _name(review.recorded_by),
            "recorded_at": when(review.recorded_at),
            "action_progress": [
                {
                    "action": progress.action.what,
                    "status": progress.get_status_display(),
                    "note": progress.note,
                }
                for progress in review.progress.all()
            ],
            "scores": _scores(copy, review.scores.all(), episode.family_id),
        }
        for review in episode.reviews.all()
    ]


# --- Rendering and export -------------------------------------------------------


def render_html(data: JsonObject, *, for_pdf: bool = False) -> str:
    """The copy as one self-contained page (its stylesheet inline), readable on
    screen and printable; the PDF is this same page."""
    person_record = data["subject"]["record"]
    rows = [(record_label(name), value) for name, value in person_record.items()]
    return render_to_string(
        "privacy/subject_access_document.html",
        {
            "copy": data,
            "subject_name": f"{person_record['first_name']} {person_record['last_name']}",
            "record_rows": rows,
            "for_pdf": for_pdf,
        },
    )


def render_pdf(data: JsonObject) -> bytes:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per step
    # Imported here: WeasyPrint is slow to import and only the PDF needs it.
    import weasyprint
    from weasyprint.urls import URLFetcher

    # The page refers to nothing outside itself; any fetch is refused, so
    # rendering never touches the network or the file system.
    no_fetching = URLFetcher(allowed_protocols=(), fail_on_errors=True)
    html = render_html(data, for_pdf=True)
    return weasyprint.HTML(string=html, url_fetcher=no_fetching).write_pdf()


def render(data: JsonObject, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False).encode()
    if fmt == "html":
        return render_html(data).encode()
    if fmt == "pdf":
        return render_pdf(data)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def export(requester: User, person: Person, fmt: str, request: HttpRequest | None = None) -> bytes:
    """The copy in `fmt` (json, html or pdf), audited as an export. Shared by
    the web page and the command."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    content = render(collect(person, requester), fmt)
    record(Action.EXPORT, actor=requester, obj=person, request=request, changes={"format": fmt})
    return content


def filename(person: Person, fmt: str) -> str:
    return f"subject-access-{person.pk}-{timezone.localdate():%Y-%m-%d}.{fmt}"
