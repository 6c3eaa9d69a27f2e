"""Recording consent (seed 001 §3.4, seed 003). Each decision is one row;
withdrawal stamps the row and stops sharing from then on."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core import policy
from episodes import services as episode_services
from episodes.models import Status
from notifications.services import notify_requester
from people.models import CHILD_RELATIONSHIPS

from .models import Consent, Purpose


def _require(actor, episode):
    if not policy.can_work_on_episode(actor, episode):
        raise PermissionDenied


def _is_family_member(episode, person):
    return episode.family.memberships.filter(person=person).exists()


def can_consent_to_assessment(episode, person):
    """An adult in the family, or a child of sufficient age and understanding
    (the practitioner's judgement; we only refuse the unborn)."""
    membership = episode.family.memberships.filter(person=person).first()
    return membership is not None and not person.is_unborn


@transaction.atomic
def record_consent(
    actor, episode, *, person, purpose, given, method, given_on, organisations=(), request=None
):
    """Record one person's decision; for sharing, one row per organisation named.

    Consent to the assessment from an adult with a say moves a new request on
    to the assessment. Returns the rows written."""
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
    common = {
        "episode": episode,
        "person": person,
        "purpose": purpose,
        "given": given,
        "method": method,
        "given_on": given_on,
        "recorded_by": actor,
    }
    if purpose == Purpose.SHARING:
        rows = [Consent(organisation=org, **common) for org in organisations]
    else:
        rows = [Consent(**common)]
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
    is_adult_decision = not episode.family.memberships.filter(
        person=person, relationship__in=CHILD_RELATIONSHIPS
    ).exists()
    if (
        purpose == Purpose.ASSESSMENT
        and given
        and is_adult_decision
        and episode.status == Status.REQUESTED
    ):
        episode_services.transition(actor, episode, "give_consent", request=request)
        notify_requester(episode, _("Your request for early help has been taken up"))
    return rows


def refusals_awaiting_judgement(episode):
    """Consent to the assessment refused while the request is still open."""
    if episode.status != Status.REQUESTED:
        return Consent.objects.none()
    return episode.consents.filter(
        purpose=Purpose.ASSESSMENT, given=False, withdrawn_at__isnull=True
    )


@transaction.atomic
def record_refusal_judgement(actor, episode, *, escalates, reasoning, advice="", request=None):
    """The lead professional's judgement when consent is refused: will the needs
    escalate without help? If not, the episode closes as consent declined with
    the advice given; if so, the caller goes straight on to the referral to
    children's social care (nothing here blocks it)."""
    _require(actor, episode)
    if not reasoning.strip():
        raise ValidationError({"reasoning": _("Explain your judgement")})
    if not refusals_awaiting_judgement(episode).exists():
        raise ValidationError(_("There is no refused consent to judge on this request"))
    fields = {
        "consent_refusal_escalates": escalates,
        "consent_refusal_reasoning": reasoning.strip(),
    }
    if escalates:
        episode_services.update_fields(actor, episode, fields, request=request)
        return episode
    if not advice.strip():
        raise ValidationError({"advice": _("Record the advice given to the family")})
    fields["closure_advice"] = advice.strip()
    return episode_services.transition(
        actor, episode, "decline_consent", request=request, set_fields=fields
    )


@transaction.atomic
def withdraw_consent(actor, consent, *, note="", request=None):
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
        changes={"fields": ["withdrawn_at"]},
        reason=note.strip(),
    )
    return consent


def sharing_summary(episode):
    """{organisation: [people currently consenting]} for the case page."""
    summary = {}
    for consent in episode.consents.filter(
        purpose=Purpose.SHARING, given=True, withdrawn_at__isnull=True
    ).select_related("organisation", "person"):
        summary.setdefault(consent.organisation, []).append(consent.person)
    return summary
