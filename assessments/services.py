"""The Early Help Assessment's rules (Signs of Wellbeing; seeds 000, 002, 003).

One assessment per episode, shared with every organisation in the Team Around
the Family, so the family tells its story once. It is a draft until it is
completed: every section can be saved at any time, however incomplete, and
`complete_assessment` is the one place that checks everything is there.

Each function runs in one transaction, checks the permission through
core.policy, checks the state, writes and records its audit event (field
names only, never what the family said).

What completing needs (`missing_parts`), in the order of the task list:

- the family's story in their own words;
- the wishes and feelings of each child in the episode aged 5 or over, or whose
  date of birth is not recorded (we cannot tell they are too young). Unborn
  children and children under 5 are optional: a practitioner may still record
  what they observed. The same age as the scaling questions (CHILD_SCORING_AGE);
- what is working well, and what the worries are;
- what wellbeing would look like: at least one goal (one per line);
- the practitioner's scaling score (parents' and children's scores are optional);
- at least one need;
- the family's circumstances (the wider family and community is optional).

When an agency attaches its existing plan (e.g. a SEND Support Plan) as the
basis of the plan, that plan stands in for the narrative sections: the family's
story, what is working well, the worries and the family's circumstances. The
child's own voice, the scaling, the needs and the wellbeing goals are still
needed, because the plan, the reviews and the outcome reports are built from
them.

Optimistic locking: every save names the version of the assessment the person
started from. The save is refused with `StaleEdit` only when someone else has
changed *the same section* since then (`section_versions` keeps the version at
which each section last changed), so two practitioners can work on different
sections at the same time. A save that changes nothing is never a conflict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core import policy
from episodes import services as episode_services
from episodes import states
from episodes.models import EpisodeChild, EpisodeNeed
from episodes.needs import Need
from episodes.services import StaleEdit
from notifications.services import notify
from people import restrictions

from . import scoring
from .models import Assessment, ChildVoice

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

    from accounts.models import User
    from episodes.models import Episode
    from notes.models import Attachment
    from people.models import Person
    from plans.document import Document

__all__ = [
    "StaleEdit",
    "attach_existing_plan",
    "complete_assessment",
    "missing_parts",
    "save_child_voice",
    "save_needs",
    "save_scores",
    "save_section",
    "start_assessment",
    "summary_document",
]

# The sections kept as text on the assessment, and their fields.
TEXT_SECTIONS = {
    "family-story": ("family_story",),
    "working-well": ("working_well",),
    "worries": ("worries",),
    "wellbeing-goals": ("wellbeing_goals",),
    "family-context": ("family_circumstances", "wider_community"),
}
# The field of each text section that completing needs (see above).
REQUIRED_TEXT_FIELDS = {
    "family-story": "family_story",
    "working-well": "working_well",
    "worries": "worries",
    "wellbeing-goals": "wellbeing_goals",
    "family-context": "family_circumstances",
}
SCALING = "scaling"
NEEDS = "needs"
EXISTING_PLAN = "existing-plan"
CHILD_VOICE_AGE = scoring.CHILD_SCORING_AGE


def child_section(child: Person) -> str:
    """The section key of one child's wishes and feelings."""
    return f"child-{child.pk}"


def voice_required(child: Person, age: int | None) -> bool:
    """Whether completing needs this child's wishes and feelings (see above)."""
    if child.is_unborn:
        return False
    return age is None or age >= CHILD_VOICE_AGE


def _normalise(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


@dataclass
class Facts:
    """What an assessment holds beyond its own row, read in a fixed number of
    queries: the children (with their age today), their voices, the scores and
    the needs."""

    children: list[tuple[Person, int | None]] = field(default_factory=list)  # with their age
    voices: dict[int, ChildVoice] = field(default_factory=dict)  # by child id
    scores: dict[int | None, int] = field(default_factory=dict)  # by person id, None: practitioner
    needs: list[str] = field(default_factory=list)  # need keys, in order


def facts(assessment: Assessment) -> Facts:
    today = timezone.localdate()
    links = (
        EpisodeChild.objects.filter(episode_id=assessment.episode_id)
        .select_related("person")
        .prefetch_related("person__restrictions")
        .order_by("id")
    )
    return Facts(
        children=[(link.person, restrictions.rule_age(link.person, today)) for link in links],
        voices={voice.child_id: voice for voice in assessment.voices.all()},
        scores=scoring.existing_scores(assessment.scores.all()),
        needs=list(
            EpisodeNeed.objects.filter(episode_id=assessment.episode_id).values_list(
                "need", flat=True
            )
        ),
    )


def _narrative_messages() -> dict[str, str]:
    """What to do about each narrative section an existing plan can stand in for."""
    return {
        "family-story": _("Add the family's story in their own words"),
        "working-well": _("Add what is working well"),
        "worries": _("Add what the worries are"),
        "family-context": _("Add the family's circumstances"),
    }


def missing_parts(assessment: Assessment, known: Facts | None = None) -> list[tuple[str, str]]:
    """[(section key, message)] for every part completing still needs, in the
    order of the task list; empty when the assessment can be completed."""
    known = known or facts(assessment)
    narrative = _narrative_messages()
    plan_attached = assessment.existing_plan_id is not None
    parts: list[tuple[str, str]] = []

    def narrative_part(key: str) -> None:
        if not plan_attached and not getattr(assessment, REQUIRED_TEXT_FIELDS[key]).strip():
            parts.append((key, narrative[key]))

    narrative_part("family-story")
    for child, age in known.children:
        if voice_required(child, age) and child.pk not in known.voices:
            parts.append(
                (
                    child_section(child),
                    _("Record the wishes and feelings of %(name)s") % {"name": child.full_name},
                )
            )
    narrative_part("working-well")
    narrative_part("worries")
    if not assessment.goal_lines:
        parts.append(
            ("wellbeing-goals", _("Add what wellbeing would look like: at least one goal"))
        )
    if None not in known.scores:
        parts.append((SCALING, _("Give the practitioner's scaling score")))
    if not known.needs:
        parts.append((NEEDS, _("Choose at least one need")))
    narrative_part("family-context")
    return parts


# Starting -----------------------------------------------------------------


@transaction.atomic
def start_assessment(
    actor: User, episode: Episode, request: HttpRequest | None = None
) -> Assessment:
    """The episode's assessment, started now by `actor` if there is none yet.

    Only an episode at the assessment stage (consent given) can start one.
    Calling it again returns the same assessment: there is one per episode.
    """
    if not policy.can_work_on_episode(actor, episode):
        raise PermissionDenied
    current = episode_services.locked(episode)
    existing = Assessment.objects.filter(episode=current).first()
    if existing is not None:
        return existing
    if refused := states.why_not(current, "edit_assessment"):
        if states.allows(current, "give_consent"):
            refused = _("Record the family's consent before starting the assessment")
        raise ValidationError(refused, code="state")
    assessment = Assessment.objects.create(
        episode=current, started_at=timezone.now(), started_by=actor, updated_by=actor
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=assessment,
        request=request,
        changes={"fields": ["started_at", "started_by"]},
    )
    return assessment


# Editing ------------------------------------------------------------------


def editing_refusal(assessment: Assessment, episode: Episode | None = None) -> StrOrPromise | None:
    """Why the assessment cannot be changed now, or None."""
    episode = episode or assessment.episode
    if assessment.completed_at is not None:
        return _("The assessment was completed on %(date)s and can no longer be changed") % {
            "date": date_format(timezone.localtime(assessment.completed_at), "j F Y")
        }
    return states.why_not(episode, "edit_assessment")


def _lock_for_edit(actor: User, assessment: Assessment) -> Assessment:
    """The assessment's row, locked for this transaction, once the actor may
    change it and it may still be changed."""
    if not policy.can_work_on_episode(actor, assessment.episode):
        raise PermissionDenied
    current = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("episode")
        .get(pk=assessment.pk)
    )
    if message := editing_refusal(current):
        raise ValidationError(message, code="locked")
    return current


def _check_stale(current: Assessment, section: str, expected_version: int | None) -> None:
    """StaleEdit if someone changed `section` after `expected_version`."""
    if expected_version is None:
        return
    last_change = current.section_versions.get(section, 1)
    if not last_change <= expected_version <= current.version:
        raise StaleEdit(current)


def _sync(caller: Assessment, current: Assessment) -> None:
    """Bring the caller's object up to date with the row just saved."""
    if caller is current:
        return
    for model_field in Assessment._meta.concrete_fields:
        setattr(caller, model_field.attname, getattr(current, model_field.attname))


def _bump(actor: User, current: Assessment, section: str) -> None:
    current.version += 1
    current.section_versions = {**current.section_versions, section: current.version}
    current.updated_by = actor
    current.save()


def _save_change(
    actor: User,
    current: Assessment,
    section: str,
    fields: list[str],
    request: HttpRequest | None,
) -> None:
    """Save a changed section of the assessment itself and audit which fields."""
    _bump(actor, current, section)
    record(
        Action.UPDATE,
        actor=actor,
        obj=current,
        request=request,
        changes={"fields": fields, "section": section},
    )


@transaction.atomic
def save_section(
    actor: User,
    assessment: Assessment,
    section: str,
    data: Mapping[str, str | None],
    expected_version: int | None,
    request: HttpRequest | None = None,
) -> list[str]:
    """Save the text fields of one section (TEXT_SECTIONS) from `data`.

    Raises StaleEdit(current) if someone else changed this section since
    `expected_version`; nothing is written then. Returns the names of the
    fields that changed (none: nothing written, no new version).
    """
    if section not in TEXT_SECTIONS:
        raise ValueError(f"{section!r} is not a text section of the assessment")
    current = _lock_for_edit(actor, assessment)
    values = {name: _normalise(data[name]) for name in TEXT_SECTIONS[section] if name in data}
    changed = sorted(name for name, value in values.items() if getattr(current, name) != value)
    if changed:
        _check_stale(current, section, expected_version)
        for name in changed:
            setattr(current, name, values[name])
        _save_change(actor, current, section, changed, request)
    _sync(assessment, current)
    return changed


@transaction.atomic
def save_child_voice(
    actor: User,
    assessment: Assessment,
    child: Person,
    wishes_and_feelings: str,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> ChildVoice | None:
    """Record, change or (with blank text) remove a child's wishes and feelings."""
    current = _lock_for_edit(actor, assessment)
    if not EpisodeChild.objects.filter(episode_id=current.episode_id, person=child).exists():
        raise ValidationError(
            _("%(name)s is not a child in this case") % {"name": child.full_name},
            code="not_in_episode",
        )
    section = child_section(child)
    text = _normalise(wishes_and_feelings)
    voice = ChildVoice.objects.filter(assessment=current, child=child).first()
    if (voice.wishes_and_feelings if voice else "") == text:
        _sync(assessment, current)
        return voice
    _check_stale(current, section, expected_version)
    changes = {"fields": ["wishes_and_feelings"], "section": section}
    if voice is None:
        # New text (blank text with no voice recorded changed nothing, above).
        voice = ChildVoice.objects.create(assessment=current, child=child, wishes_and_feelings=text)
        record(Action.CREATE, actor=actor, obj=voice, request=request, changes=changes)
    elif not text:
        record(Action.DELETE, actor=actor, obj=voice, request=request, changes=changes)
        voice.delete()
        voice = None
    else:
        voice.wishes_and_feelings = text
        voice.save(update_fields=["wishes_and_feelings"])
        record(Action.UPDATE, actor=actor, obj=voice, request=request, changes=changes)
    _bump(actor, current, section)
    _sync(assessment, current)
    return voice


@transaction.atomic
def save_scores(
    actor: User,
    assessment: Assessment,
    cleaned_data: Mapping[str, Any],
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> list[str]:
    """Replace the assessment's scaling scores with those in `cleaned_data`
    (a form built with scoring.add_score_fields). Returns the changed field names."""
    current = _lock_for_edit(actor, assessment)
    rows = scoring.scorers(current.episode)
    before = scoring.existing_scores(current.scores.all())
    after: dict[int | None, int] = {}
    names: dict[int | None, str] = {}
    for name, _scorer, person, _label in rows:
        key = person.pk if person else None
        names[key] = name
        if cleaned_data.get(name) is not None:
            after[key] = cleaned_data[name]
    changed = sorted(
        names.get(key, f"score_{key}")
        for key in set(before) | set(after)
        if before.get(key) != after.get(key)
    )
    if changed:
        _check_stale(current, SCALING, expected_version)
        scoring.save_scores(current.episode, cleaned_data, assessment=current)
        _save_change(actor, current, SCALING, changed, request)
    _sync(assessment, current)
    return changed


@transaction.atomic
def save_needs(
    actor: User,
    episode: Episode,
    needs: Iterable[str],
    *,
    assessment: Assessment | None = None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> bool:
    """Make the episode's needs exactly `needs` (Need keys): new ones are added,
    those not given removed, and kept ones keep their notes and outcome.

    From the assessment, pass it and the version the page started from, so a
    conflicting change is refused like any other section.
    """
    needs = list(dict.fromkeys(needs))
    if unknown := [need for need in needs if need not in Need.values]:
        raise ValidationError(
            _("Unknown needs: %(needs)s") % {"needs": ", ".join(unknown)}, code="unknown"
        )
    current = None
    if assessment is not None:
        if assessment.episode_id != episode.pk:
            raise PermissionDenied
        current = _lock_for_edit(actor, assessment)
    else:
        if not policy.can_work_on_episode(actor, episode):
            raise PermissionDenied
        if refused := states.why_not(episode_services.locked(episode), "change_needs"):
            raise ValidationError(refused)
    existing = set(EpisodeNeed.objects.filter(episode=episode).values_list("need", flat=True))
    removed = sorted(existing - set(needs))
    added = [need for need in needs if need not in existing]
    if removed or added:
        if current is not None:
            _check_stale(current, NEEDS, expected_version)
        EpisodeNeed.objects.filter(episode=episode, need__in=removed).delete()
        EpisodeNeed.objects.bulk_create(EpisodeNeed(episode=episode, need=need) for need in added)
        if current is not None:
            _bump(actor, current, NEEDS)
        record(
            Action.UPDATE,
            actor=actor,
            obj=episode,
            request=request,
            changes={"fields": ["needs"], "section": NEEDS},
        )
    if assessment is not None and current is not None:
        _sync(assessment, current)
    return bool(removed or added)


@transaction.atomic
def attach_existing_plan(
    actor: User,
    assessment: Assessment,
    attachment: Attachment | None,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> bool:
    """Base the plan on an agency's existing plan (an attachment of this
    episode), or with None go back to this assessment alone. While one is
    attached it stands in for the narrative sections (see the module's notes)."""
    current = _lock_for_edit(actor, assessment)
    if attachment is not None and attachment.episode_id != current.episode_id:
        raise PermissionDenied
    new_id = attachment.pk if attachment is not None else None
    changed = current.existing_plan_id != new_id
    if changed:
        _check_stale(current, EXISTING_PLAN, expected_version)
        current.existing_plan = attachment
        _save_change(actor, current, EXISTING_PLAN, ["existing_plan"], request)
    _sync(assessment, current)
    return changed


# Completing ---------------------------------------------------------------


@transaction.atomic
def complete_assessment(
    actor: User, assessment: Assessment, request: HttpRequest | None = None
) -> Assessment:
    """Complete the assessment and move the episode on to the meeting.

    Raises ValidationError with one error per missing part (each error's
    `code` is the section key, so a page can link to it), or TransitionRefused
    if the episode is not at the assessment stage. The completion time is kept
    exactly, the same instant on the assessment and the episode. The requester
    is told, unless they completed it themselves.
    """
    if not policy.can_work_on_episode(actor, assessment.episode):
        raise PermissionDenied
    current = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("episode")
        .get(pk=assessment.pk)
    )
    if current.completed_at is not None:
        raise ValidationError(_("The assessment is already complete"), code="completed")
    episode = current.episode
    if message := states.refusal(episode, "complete_assessment"):
        raise states.TransitionRefused(message)
    if parts := missing_parts(current):
        raise ValidationError([ValidationError(message, code=key) for key, message in parts])
    now = timezone.now()
    episode_services.transition(actor, episode, "complete_assessment", request=request, now=now)
    current.completed_at = now
    current.completed_by = actor
    current.completed_by_organisation = actor.primary_organisation
    current.updated_by = actor
    current.version += 1
    current.save()
    record(
        Action.UPDATE,
        actor=actor,
        obj=current,
        request=request,
        changes={"fields": ["completed_at", "completed_by", "completed_by_organisation"]},
    )
    notify(
        [user for user in (episode.requested_by,) if user and user.pk != actor.pk],
        episode,
        _("The assessment is complete"),
    )
    _sync(assessment, current)
    if "episode" in assessment._state.fields_cache:
        assessment.episode.refresh_from_db()
    return assessment


def summary_document(
    actor: User | None,
    assessment: Assessment,
    person: Person,
    *,
    fmt: str = "html",
    language: str = "",
    back_url: str = "",
    request: HttpRequest | None = None,
) -> Document:
    """The completed assessment's summary addressed to `person`, a member of
    the family, in their language: HTML or PDF bytes, audited as an export
    (plans.services.family_document)."""
    from plans.services import family_document

    from .document import summary_context

    if assessment.completed_at is None:
        raise ValidationError(_("The family gets a summary once the assessment is complete"))
    return family_document(
        actor,
        assessment.episode,
        assessment,
        person,
        template="assessments/document.html",
        context=lambda recipient, maker: summary_context(assessment, recipient, maker),
        name="early-help-assessment",
        fmt=fmt,
        language=language,
        back_url=back_url,
        request=request,
    )
