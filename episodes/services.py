"""Domain functions for the episode. Each runs in one transaction, checks the
permission (core.policy) and the state (episodes.states), writes, records its
audit event and queues notifications. Web pages, commands and the API call
these; nothing else changes an episode's status."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Required, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core import policy
from core.codes import referral_source_for, referral_sources_for
from matching import tasks as matching_tasks
from notifications.services import notify
from outcomes.evidence import Evidence
from outcomes.evidence import problems as evidence_problems
from people.models import CHILD_RELATIONSHIPS, Family, FamilyMember, Person
from webhooks import events as webhook_events

from . import states
from .eligibility import eligibility_problem
from .models import (
    ClosureReason,
    Episode,
    EpisodeChild,
    EpisodeNeed,
    NeedOutcome,
    RequestSource,
)

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django.http import HttpRequest

    from accounts.models import District, LocalAuthority, Organisation, User
    from api.models import ApiClient


class RequestedMember(TypedDict, total=False):
    """One person on a request for help: someone already recorded, or the
    details of someone new, and how they are related to the family."""

    person: Person | None
    details: dict[str, Any]  # Person fields, validated like any other person
    relationship: Required[str]


class StaleEdit(Exception):
    """Someone else saved first: the caller shows the difference, nothing is lost."""

    def __init__(self, current: Model) -> None:
        super().__init__("This record was changed by someone else since you opened it.")
        self.current = current


def locked(episode: Episode) -> Episode:
    """The episode row, locked for the rest of the transaction, so two people
    acting at once take turns instead of both moving it."""
    return Episode.objects.select_for_update().get(pk=episode.pk)


@transaction.atomic
def transition(
    actor: User,
    episode: Episode,
    action: str,
    *,
    request: HttpRequest | None = None,
    reason: str = "",
    permission: Callable[[User, Episode], bool] | None = None,
    set_fields: Mapping[str, object] | None = None,
    **context: Any,
) -> Episode:
    """Move `episode` through the state machine's `action` on behalf of `actor`.

    `set_fields` are written to the episode first (the guards see them), e.g.
    the lead professional chosen at the meeting. Raises PermissionDenied or
    states.TransitionRefused (its message says why and what to do); on success
    the episode is saved and audited, and the caller's object is updated.
    """
    allowed = (permission or policy.can_work_on_episode)(actor, episode)
    if not allowed:
        raise PermissionDenied
    current = locked(episode)
    before = current.status
    for field, value in (set_fields or {}).items():
        setattr(current, field, value)
    states.apply(current, action, **context)
    current.version += 1
    current.save()
    record(
        Action.UPDATE,
        actor=actor,
        obj=current,
        request=request,
        reason=reason,
        changes={
            "action": action,
            "status": [before, current.status],
            "fields": sorted(set_fields or {}),
        },
    )
    # Partner systems hear of it (references only), once this commits.
    webhook_events.emit_for_action(current, action)
    episode.refresh_from_db()
    return episode


@transaction.atomic
def request_support(
    actor: User,
    *,
    organisation: Organisation,
    district: District,
    source: str,
    worries: str,
    needs: Sequence[str],
    family_name: str,
    members: Sequence[RequestedMember],
    family: Family | None = None,
    step_down_summary: str = "",
    referral_source: str = "",
    request: HttpRequest | None = None,
) -> Episode:
    """Start an episode: the family, its children and adults, the worries and needs.

    `referral_source` is the census code the requester chose when who asked
    and their organisation's type leave a choice (core.codes); without one,
    the code those give is recorded.

    `members` is a list of {"person": existing Person or None, "details": {...}
    for a new person, "relationship": Relationship}. Existing people must be
    visible to the actor (found through the search); new ones are validated
    like any other person. Raises ValidationError naming every problem.
    """
    if not policy.can_start_request(actor):
        raise PermissionDenied
    if not actor.memberships.filter(organisation=organisation).exists():
        raise PermissionDenied
    la = actor.local_authority
    if la is None or district.local_authority_id != la.pk:
        raise PermissionDenied
    if source == RequestSource.STEP_DOWN and not policy.can_step_down(actor, organisation):
        raise PermissionDenied
    return _request_support(
        la,
        actor=actor,
        via="",
        visible=policy.people_visible_to(actor),
        organisation=organisation,
        district=district,
        source=source,
        worries=worries,
        needs=needs,
        family_name=family_name,
        members=members,
        family=family,
        step_down_summary=step_down_summary,
        referral_source=referral_source,
        request=request,
    )


@transaction.atomic
def request_support_by_client(
    client: ApiClient,
    *,
    district: District,
    source: str,
    worries: str,
    needs: Sequence[str],
    family_name: str,
    members: Sequence[RequestedMember],
    referral_source: str = "",
    request: HttpRequest | None = None,
) -> Episode:
    """request_support for a partner system (the API), acting as its
    organisation, never as a person: the same checks, the same episode, the
    EHO told and new people checked for duplicates the same way; audited
    under the client's name. Existing people must be ones the client may see
    (policy.people_visible_to_client). A step-down is never asked for by API:
    children's social care's summary is recorded by a person."""
    if not policy.client_may_request_support(client):
        raise PermissionDenied
    if district.local_authority_id != client.local_authority_id:
        raise PermissionDenied
    if source == RequestSource.STEP_DOWN:
        raise ValidationError(
            {"source": _("A step-down is recorded on the service's pages, not by API")}
        )
    return _request_support(
        client.local_authority,
        actor=None,
        via=client.name,
        visible=policy.people_visible_to_client(client),
        organisation=client.organisation,
        district=district,
        source=source,
        worries=worries,
        needs=needs,
        family_name=family_name,
        members=members,
        family=None,
        step_down_summary="",
        referral_source=referral_source,
        request=request,
    )


def _request_support(
    la: LocalAuthority,
    *,
    actor: User | None,
    via: str,
    visible: QuerySet[Person],
    organisation: Organisation,
    district: District,
    source: str,
    worries: str,
    needs: Sequence[str],
    family_name: str,
    members: Sequence[RequestedMember],
    family: Family | None,
    step_down_summary: str,
    referral_source: str,
    request: HttpRequest | None,
) -> Episode:
    problems: list[str] = []
    if not worries.strip():
        problems.append(_("Describe what the worries are"))
    if not needs:
        problems.append(_("Choose at least one need"))
    stepping_down = source == RequestSource.STEP_DOWN
    if stepping_down and not step_down_summary.strip():
        problems.append(_("Add children's social care's summary for early help"))
    if referral_source and referral_source not in referral_sources_for(source, organisation.type):
        problems.append(_("Choose who asked for help from the list for your organisation"))
    if not any(m["relationship"] in CHILD_RELATIONSHIPS for m in members):
        problems.append(_("Add at least one child or unborn child to the request"))
    people: list[tuple[Person, str]] = []
    for member in members:
        person = member.get("person")
        if person is not None:
            if not visible.filter(pk=person.pk).exists():
                raise PermissionDenied
        else:
            person = Person(local_authority=la, **member["details"])
            try:
                person.full_clean(exclude=["local_authority"])
            except ValidationError as error:
                problems.extend(f"{person.full_name}: {m}" for m in error.messages)
                continue
        is_child = member["relationship"] in CHILD_RELATIONSHIPS
        if is_child and (problem := eligibility_problem(person, la)):
            problems.append(problem)
        people.append((person, member["relationship"]))
    if family is not None and not visible.filter(family_memberships__family=family).exists():
        raise PermissionDenied
    if problems:
        raise ValidationError(problems)

    if family is None:
        family = Family.objects.create(local_authority=la, name=family_name)
        record(Action.CREATE, actor=actor, actor_label=via, obj=family, request=request)
    created: list[int] = []
    for person, relationship in people:
        if person.pk is None:
            person.save()
            created.append(person.pk)
            record(Action.CREATE, actor=actor, actor_label=via, obj=person, request=request)
        FamilyMember.objects.get_or_create(
            family=family, person=person, defaults={"relationship": relationship}
        )
    episode = Episode.objects.create(
        local_authority=la,
        district=district,
        family=family,
        source=source,
        referral_source=referral_source_for(source, organisation.type, referral_source),
        worries=worries.strip(),
        requested_by=actor,
        requested_via=via,
        requesting_organisation=organisation,
        step_down_summary=step_down_summary.strip() if stepping_down else "",
        # After a step-down, a lead professional must be agreed within the LA's timescale.
        lead_professional_due_by=(
            timezone.localdate() + timedelta(days=la.step_down_lead_days) if stepping_down else None
        ),
    )
    episode.organisations.add(organisation)
    EpisodeChild.objects.bulk_create(
        EpisodeChild(episode=episode, person=person)
        for person, relationship in people
        if relationship in CHILD_RELATIONSHIPS
    )
    EpisodeNeed.objects.bulk_create(EpisodeNeed(episode=episode, need=need) for need in needs)
    record(
        Action.CREATE,
        actor=actor,
        actor_label=via,
        obj=episode,
        request=request,
        changes={"fields": ["family", "children", "worries", "needs", "source"]},
    )
    notify(
        [district.early_help_officer],
        episode,
        _("New request for early help in %(district)s") % {"district": district.name},
    )
    if created:
        # Checked against every detail, restricted ones included, out of the
        # requester's sight: likely duplicates go to the EHO's review queue.
        transaction.on_commit(lambda: matching_tasks.queue_likely_duplicates.enqueue(created))
    return episode


@transaction.atomic
def update_fields(
    actor: User,
    episode: Episode,
    fields: Mapping[str, object],
    *,
    request: HttpRequest | None = None,
    reason: str = "",
) -> Episode:
    """Write plain fields of the episode (never its status) and audit them."""
    if "status" in fields:
        raise ValueError("Use transition() to change an episode's status")
    if not policy.can_work_on_episode(actor, episode):
        raise PermissionDenied
    current = locked(episode)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.save()
    record(
        Action.UPDATE,
        actor=actor,
        obj=current,
        request=request,
        reason=reason,
        changes={"fields": sorted(fields)},
    )
    episode.refresh_from_db()
    return episode


@transaction.atomic
def close_episode(
    actor: User,
    episode: Episode,
    *,
    reason: str,
    need_outcomes: Mapping[int, str],
    summary: str = "",
    evidence: Mapping[int, Evidence] | None = None,
    request: HttpRequest | None = None,
) -> Episode:
    """Close with the reason and, for each need, how it ended (achieved, partly,
    not achieved): the evidence of impact the LA reports (seed 001 §4.2).

    `evidence` (by need id) says what shows each outcome and when: the closure
    page always gives it, and then an achieved need must have it (outcomes.
    evidence). Supporting Families claims count only needs with evidence."""
    if reason == ClosureReason.STEPPED_UP:
        raise ValidationError(
            {
                "reason": _(
                    "To step up, refer to children's social care: the case closes when they accept"
                )
            }
        )
    needs = list(episode.needs.all())
    missing = [need for need in needs if need_outcomes.get(need.pk) not in NeedOutcome.values]
    if missing:
        raise ValidationError(
            [
                _("Say whether the need '%(need)s' was met") % {"need": need.get_need_display()}
                for need in missing
            ]
        )
    if evidence is not None:
        _check_evidence(needs, need_outcomes, evidence)
    for need in needs:
        need.outcome = need_outcomes[need.pk]
        given = (evidence or {}).get(need.pk, Evidence())
        need.evidence_type = given.kind
        need.evidence = given.text.strip()
        need.outcome_on = given.on
        need.save(update_fields=["outcome", "evidence_type", "evidence", "outcome_on"])
    transition(
        actor,
        episode,
        "close",
        closure_reason=reason,
        request=request,
        set_fields={"closure_advice": summary.strip()},
    )
    notify([episode.requested_by, episode.lead_professional], episode, _("The case has closed"))
    return episode


# The closure form's field for each part of a need's evidence.
EVIDENCE_FIELDS = {
    "kind": "need_%d_evidence_type",
    "text": "need_%d_evidence",
    "on": "need_%d_date",
}


def _check_evidence(
    needs: Sequence[EpisodeNeed], need_outcomes: Mapping[int, str], evidence: Mapping[int, Evidence]
) -> None:
    """Every achieved need has its evidence and a date neither in the future
    nor before the need was recorded; evidence given for any other is valid."""
    today = timezone.localdate()
    found: dict[str, str] = {}
    for need in needs:
        wrong = evidence_problems(
            str(need.get_need_display()),
            evidence.get(need.pk, Evidence()),
            required=need_outcomes[need.pk] == NeedOutcome.ACHIEVED,
            earliest=timezone.localdate(need.recorded_at),
            today=today,
        )
        found.update({EVIDENCE_FIELDS[part] % need.pk: message for part, message in wrong.items()})
    if found:
        raise ValidationError(found)
