"""Recording consent (seed 001 §3.4, seed 003). Each decision is one row;
withdrawal stamps the row and stops sharing from then on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from audit.models import Action
from audit.services import record
from core import policy
from core.prefetched import prefetched
from core.validators import parse_whole_number
from episodes import services as episode_services
from episodes import states
from notifications.services import notify_requester
from people.models import CHILD_RELATIONSHIPS, Person

from .models import Consent, Purpose, RefusalJudgement, SharingOverride

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User
    from episodes.models import Episode


def _require(actor: User, episode: Episode) -> None:
    if not policy.can_work_on_episode(actor, episode):
        raise PermissionDenied


def _is_family_member(episode: Episode, person: Person) -> bool:
    return episode.family.memberships.filter(person=person).exists()


# From this age a young person decides about their own early help; below it
# a parent's or carer's consent starts the assessment (a younger child's own
# agreement is still recorded).
SELF_CONSENT_AGE = 16


def consents_for_themselves(person: Person, episode: Episode, on: date) -> bool:
    """A young person of 16 or over, still within the council's upper age
    (its upper age with SEND for a young person with SEND), whose own consent
    starts their assessment: 16 or 17 where early help ends at 18; up to 25
    with SEND."""
    age = person.age(on)
    if age is None or age < SELF_CONSENT_AGE:
        return False
    council = episode.local_authority
    return age < (council.upper_age_send if person.has_send else council.upper_age)


def can_consent_to_assessment(episode: Episode, person: Person) -> bool:
    """An adult in the family, or a child of sufficient age and understanding
    (the practitioner's judgement; we only refuse the unborn)."""
    membership = episode.family.memberships.filter(person=person).first()
    return membership is not None and not person.is_unborn


@transaction.atomic
def record_consent(
    actor: User,
    episode: Episode,
    *,
    person: Person,
    purpose: str,
    given: bool,
    method: str,
    given_on: date,
    organisations: Sequence[Organisation] = (),
    request: HttpRequest | None = None,
) -> list[Consent]:
    """Record one person's decision; for sharing, one row per organisation named.

    Consent to the assessment from an adult with a say, or from a young person
    old enough to consent for themselves (`consents_for_themselves`), moves a
    new request on to the assessment. Returns the rows written."""
    _require(actor, episode)
    if not _is_family_member(episode, person):
        raise ValidationError(_("Choose a member of this family"))
    if given_on > timezone.localdate():
        raise ValidationError(
            {"given_on": _("The date consent was given must be today or in the past")}
        )
    if purpose == Purpose.SHARING and not organisations:
        raise ValidationError(
            {"organisations": _("Choose each organisation the information may be shared with")}
        )
    if purpose == Purpose.ASSESSMENT and not can_consent_to_assessment(episode, person):
        raise ValidationError(_("An unborn child cannot give consent"))

    def decision(organisation: Organisation | None) -> Consent:
        return Consent(
            episode=episode,
            person=person,
            purpose=purpose,
            given=given,
            method=method,
            given_on=given_on,
            recorded_by=actor,
            organisation=organisation,
        )

    # Sharing is one row per organisation named; the assessment, one row.
    named = organisations if purpose == Purpose.SHARING else (None,)
    rows = [decision(organisation) for organisation in named]
    for row in rows:
        row.save()
        record(
            Action.CREATE,
            actor=actor,
            obj=row,
            request=request,
            changes={
                "fields": ["purpose", "given", "method", "given_on"]
                + (["organisation"] if row.organisation_id else [])
            },
        )
    is_child = episode.family.memberships.filter(
        person=person, relationship__in=CHILD_RELATIONSHIPS
    ).exists()
    starts_assessment = not is_child or consents_for_themselves(person, episode, given_on)
    if (
        purpose == Purpose.ASSESSMENT
        and given
        and starts_assessment
        and states.allows(episode, "give_consent")
    ):
        episode_services.transition(actor, episode, "give_consent", request=request)
        notify_requester(episode, _("Your request for early help has been taken up"))
    return rows


@dataclass(frozen=True)
class PersonDecisions:
    """One family member's answers at one conversation: the assessment (None
    when not asked) and sharing, organisation by organisation (True agreed,
    False refused; organisations not asked are left out)."""

    person: Person
    method: str
    given_on: date
    assessment: bool | None = None
    sharing: dict[Organisation, bool] = field(default_factory=dict)

    @property
    def decides_anything(self) -> bool:
        return self.assessment is not None or bool(self.sharing)


class _Conversation(TypedDict):
    """What every decision one person made at one conversation shares."""

    person: Person
    method: str
    given_on: date
    request: HttpRequest | None


@dataclass
class FamilyConsentResult:
    consents: list[Consent]
    added_to_team: list[Organisation]


def offered_organisations(episode: Episode, chosen: Sequence[str] = ()) -> QuerySet[Organisation]:
    """The organisations a family is asked about: those chosen (ids as typed
    in the address; anything else is ignored), else the team's."""
    from meetings.services import team_organisations

    council = Organisation.objects.filter(local_authority_id=episode.local_authority_id)
    ids = {number for value in chosen if (number := parse_whole_number(value)) is not None}
    if ids:
        return council.filter(pk__in=ids).order_by("name")
    return council.filter(pk__in=team_organisations(episode).values("pk")).order_by("name")


def _family_consent_problems(episode: Episode, decisions: Sequence[PersonDecisions]) -> list[str]:
    """Everything wrong with a whole submission, found before anything is saved."""
    problems: list[str] = []
    if not any(d.decides_anything for d in decisions):
        problems.append(_("Record at least one decision: choose an answer for someone"))
    for decision in decisions:
        person = decision.person
        if not _is_family_member(episode, person):
            problems.append(_("Choose members of this family only"))
        elif decision.assessment is not None and not can_consent_to_assessment(episode, person):
            problems.append(_("An unborn child cannot give consent"))
        if decision.decides_anything and decision.given_on > timezone.localdate():
            problems.append(
                _("The date of %(name)s's decisions must be today or in the past")
                % {"name": person.full_name}
            )
        if any(org.local_authority_id != episode.local_authority_id for org in decision.sharing):
            problems.append(_("Choose organisations in this council only"))
    return problems


@transaction.atomic
def record_family_consent(
    actor: User,
    episode: Episode,
    decisions: Sequence[PersonDecisions],
    *,
    add_to_team: bool = False,
    request: HttpRequest | None = None,
) -> FamilyConsentResult:
    """Record every family member's decisions from one conversation at once,
    and, if asked, bring each organisation someone agreed to share with into
    the Team Around the Family. All or nothing: everything is checked first,
    and any refusal on the way undoes the whole submission."""
    from meetings.services import add_organisation, team_organisations

    _require(actor, episode)
    if problems := _family_consent_problems(episode, decisions):
        raise ValidationError(problems)
    consents: list[Consent] = []
    agreed: dict[int, Organisation] = {}
    for decision in decisions:
        common: _Conversation = {
            "person": decision.person,
            "method": decision.method,
            "given_on": decision.given_on,
            "request": request,
        }
        if decision.assessment is not None:
            consents += record_consent(
                actor, episode, purpose=Purpose.ASSESSMENT, given=decision.assessment, **common
            )
        for given in (True, False):
            organisations = [org for org, answer in decision.sharing.items() if answer is given]
            if organisations:
                consents += record_consent(
                    actor,
                    episode,
                    purpose=Purpose.SHARING,
                    given=given,
                    organisations=organisations,
                    **common,
                )
                if given:
                    agreed.update((org.pk, org) for org in organisations)
    added: list[Organisation] = []
    if add_to_team and agreed:
        if message := states.why_not(episode, "join_team"):
            raise ValidationError(message)
        in_team = set(team_organisations(episode).values_list("pk", flat=True))
        for organisation in sorted(agreed.values(), key=lambda org: org.name):
            if organisation.pk not in in_team:
                add_organisation(actor, episode, organisation, request=request)
                added.append(organisation)
    return FamilyConsentResult(consents=consents, added_to_team=added)


def latest_refusal_judgement(episode: Episode) -> RefusalJudgement | None:
    """The newest judgement on refused consent, with who made it, or None."""
    loaded = prefetched(episode, "refusal_judgements")
    if loaded is not None:
        return max(loaded, key=lambda j: (j.recorded_at, j.pk), default=None)
    return (
        episode.refusal_judgements.select_related("recorded_by")
        .order_by("recorded_at", "pk")
        .last()
    )


def refusals_awaiting_judgement(episode: Episode) -> QuerySet[Consent]:
    """Refusals of consent to the assessment that no judgement covers yet,
    while the stage asks for one. A judgement already made is not asked for
    again (say after children's social care did not accept the step-up and
    the request came back) unless consent was asked for and refused since."""
    if not states.allows(episode, "judge_consent_refusal"):
        return Consent.objects.none()
    refusals = episode.consents.filter(
        purpose=Purpose.ASSESSMENT, given=False, withdrawn_at__isnull=True
    )
    judged = latest_refusal_judgement(episode)
    if judged is not None:
        refusals = refusals.filter(pk__gt=judged.judged_refusal_id)
    return refusals


@transaction.atomic
def record_refusal_judgement(
    actor: User,
    episode: Episode,
    *,
    escalates: bool,
    reasoning: str,
    advice: str = "",
    request: HttpRequest | None = None,
) -> RefusalJudgement:
    """The lead professional's judgement when consent is refused: will the needs
    escalate without help? If not, the case closes as consent declined with
    the advice given; if so, the caller goes straight on to the referral to
    children's social care (nothing here blocks it). Returns the judgement."""
    _require(actor, episode)
    reasoning, advice = reasoning.strip(), advice.strip()
    if not reasoning:
        raise ValidationError({"reasoning": _("Explain your judgement")})
    refusal = refusals_awaiting_judgement(episode).order_by("pk").last()
    if refusal is None:
        raise ValidationError(_("There is no refused consent to judge on this request"))
    if not escalates and not advice:
        raise ValidationError({"advice": _("Record the advice given to the family")})
    judgement = RefusalJudgement.objects.create(
        episode=episode,
        judged_refusal=refusal,
        escalates=escalates,
        reasoning=reasoning,
        advice="" if escalates else advice,
        recorded_by=actor,
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=judgement,
        request=request,
        changes={"fields": ["escalates", "reasoning"] + ([] if escalates else ["advice"])},
    )
    # The case keeps the latest judgement too: the subject access copy and
    # retention read it there.
    fields: dict[str, object] = {
        "consent_refusal_escalates": escalates,
        "consent_refusal_reasoning": reasoning,
    }
    if escalates:
        episode_services.update_fields(actor, episode, fields, request=request)
    else:
        fields["closure_advice"] = advice
        episode_services.transition(
            actor, episode, "decline_consent", request=request, set_fields=fields
        )
    return judgement


@transaction.atomic
def withdraw_consent(
    actor: User, consent: Consent, *, note: str = "", request: HttpRequest | None = None
) -> Consent:
    _require(actor, consent.episode)
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent was already withdrawn"))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = actor
    consent.withdrawal_note = note.strip()
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=consent,
        request=request,
        changes={"fields": ["withdrawn_at", "withdrawal_note"]},
    )
    return consent


def current_sharing_consents(
    episode: Episode, organisation: Organisation | None = None
) -> QuerySet[Consent]:
    consents = episode.consents.filter(
        purpose=Purpose.SHARING, given=True, withdrawn_at__isnull=True
    )
    if organisation is not None:
        consents = consents.filter(organisation=organisation)
    return consents


def has_sharing_consent(episode: Episode, organisation: Organisation) -> bool:
    return current_sharing_consents(episode, organisation).exists()


def organisation_may_see(episode: Episode, organisation: Organisation) -> bool:
    """Whether staff of `organisation` may see the case through it now."""
    return (
        has_sharing_consent(episode, organisation)
        or episode.sharing_overrides.filter(
            organisation=organisation, ended_at__isnull=True
        ).exists()
    )


@transaction.atomic
def record_sharing_override(
    actor: User,
    episode: Episode,
    organisation: Organisation,
    *,
    reason: str,
    request: HttpRequest | None = None,
) -> SharingOverride:
    """Share with `organisation` without consent because a child is at risk of
    significant harm. Flagged to the district's EHO and the managers."""
    from accounts.models import Role, User
    from notifications.services import notify

    _require(actor, episode)
    if not (reason or "").strip():
        raise ValidationError(
            {
                "override_reason": _(
                    "Say why information must be shared without consent: what is the risk "
                    "of significant harm to the child"
                )
            }
        )
    override = SharingOverride.objects.create(
        episode=episode, organisation=organisation, reason=reason.strip(), recorded_by=actor
    )
    record(
        Action.OVERRIDE,
        actor=actor,
        obj=override,
        request=request,
        changes={"fields": ["organisation", "reason"]},
    )
    managers = User.objects.filter(
        local_authority_id=episode.local_authority_id,
        is_active=True,
        roles__role=Role.EARLY_HELP_MANAGER,
    )
    notify(
        [episode.district.early_help_officer, *managers],
        episode,
        _("Information shared without consent: review the decision"),
    )
    return override


@transaction.atomic
def review_sharing_override(
    actor: User,
    override: SharingOverride,
    *,
    justified: bool,
    note: str = "",
    request: HttpRequest | None = None,
) -> SharingOverride:
    """The EHO's or a manager's review. Not justified ends the sharing at once."""
    if not policy.can_review_sharing_override(actor, override.episode):
        raise PermissionDenied
    if override.reviewed_at is not None:
        raise ValidationError(_("This decision has already been reviewed"))
    if not justified and not note.strip():
        raise ValidationError({"note": _("Say why sharing without consent was not justified")})
    now = timezone.now()
    override.reviewed_by = actor
    override.reviewed_at = now
    override.review_note = note.strip()
    fields = ["reviewed_by", "reviewed_at", "review_note"]
    if not justified:
        override.ended_at = now
        fields.append("ended_at")
    override.save(update_fields=fields)
    record(Action.UPDATE, actor=actor, obj=override, request=request, changes={"fields": fields})
    return override


class OrganisationAccess(TypedDict):
    """One row of the case page's list of who can see the case."""

    organisation: Organisation
    consented_by: list[Person]
    override: SharingOverride | None
    has_access: bool
    withdrawn_at: datetime | None


def organisation_access(episode: Episode) -> list[OrganisationAccess]:
    """For the case page: each organisation in the team (and the one that asked
    for help), whether its staff can see the case now, and on what basis."""
    from meetings.services import team_organisations

    # The case page has read every override and consent of the case already
    # (episodes.chronology.case_page_records): picked from those, else asked.
    all_consents = prefetched(episode, "consents")
    current = (
        current_sharing_consents(episode).select_related("person")
        if all_consents is None
        else [
            c
            for c in all_consents
            if c.purpose == Purpose.SHARING and c.given and c.withdrawn_at is None
        ]
    )
    consents: dict[int | None, list[Person]] = {}
    for consent in current:
        consents.setdefault(consent.organisation_id, []).append(consent.person)
    all_overrides = prefetched(episode, "sharing_overrides")
    open_overrides = (
        episode.sharing_overrides.filter(ended_at__isnull=True)
        if all_overrides is None
        else [o for o in all_overrides if o.ended_at is None]
    )
    overrides = {o.organisation_id: o for o in open_overrides}
    withdrawals = (
        episode.consents.filter(purpose=Purpose.SHARING, withdrawn_at__isnull=False).order_by(
            "withdrawn_at"
        )
        if all_consents is None
        else sorted(
            (c for c in all_consents if c.purpose == Purpose.SHARING and c.withdrawn_at),
            key=lambda c: c.withdrawn_at,
        )
    )
    withdrawn: dict[int | None, datetime | None] = {}
    for consent in withdrawals:
        withdrawn[consent.organisation_id] = consent.withdrawn_at
    rows: list[OrganisationAccess] = []
    for organisation in team_organisations(episode).order_by("name"):
        rows.append(
            {
                "organisation": organisation,
                "consented_by": consents.get(organisation.pk, []),
                "override": overrides.get(organisation.pk),
                "has_access": organisation.pk in consents or organisation.pk in overrides,
                "withdrawn_at": withdrawn.get(organisation.pk),
            }
        )
    return rows
