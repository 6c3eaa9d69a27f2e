"""Referring a family out of early help. Step-up to children's social care is
never blocked: no form, consent or missing assessment may delay it (seed 001
§3.5); the assessment, plan and chronology go with it automatically."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import Action
from audit.services import record
from core import policy
from episodes import services as episode_services
from notifications.services import notify

from .models import Kind, Referral, ReferralStatus


@transaction.atomic
def step_up(actor, episode, *, concern, significant_harm="", request=None):
    if not policy.can_step_up(actor, episode):
        raise PermissionDenied
    if not concern.strip():
        raise ValidationError({"concern": _("Describe the concern for the child")})
    referral = Referral.objects.create(
        episode=episode,
        kind=Kind.STEP_UP,
        concern=concern.strip(),
        significant_harm=significant_harm,
        sent_by=actor,
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=referral,
        request=request,
        changes={"fields": ["concern", "significant_harm"]},
    )
    episode_services.transition(
        actor, episode, "step_up", request=request, permission=policy.can_step_up
    )
    notify(
        [episode.requested_by, episode.lead_professional, episode.district.early_help_officer],
        episode,
        _("Referred to children's social care"),
    )
    return referral


@transaction.atomic
def refer_to_panel(actor, episode, *, concern, request=None):
    if not policy.can_work_on_episode(actor, episode):
        raise PermissionDenied
    referral = Referral.objects.create(
        episode=episode, kind=Kind.PANEL, concern=concern.strip(), sent_by=actor
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=referral,
        request=request,
        changes={"fields": ["kind", "concern"]},
    )
    coordinators = User.objects.filter(
        local_authority_id=episode.local_authority_id,
        is_active=True,
        roles__role=Role.PANEL_COORDINATOR,
    )
    notify(coordinators, episode, _("Referral to the Early Help and Family Support Panel"))
    return referral


@transaction.atomic
def record_decision(actor, referral, *, accepted, advice="", request=None):
    """Children's social care's answer. Not accepted returns the family to early
    help where it was, with the advice recorded."""
    episode = referral.episode
    if not policy.can_record_csc_decision(actor, episode):
        raise PermissionDenied
    if not referral.awaiting_decision:
        raise ValidationError(_("This referral has already been answered"))
    if not accepted and not advice.strip():
        raise ValidationError({"advice": _("Record the advice children's social care gave")})
    referral.status = ReferralStatus.ACCEPTED if accepted else ReferralStatus.NOT_ACCEPTED
    referral.advice = advice.strip()
    referral.decided_at = timezone.now()
    referral.save(update_fields=["status", "advice", "decided_at"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=referral,
        request=request,
        changes={"fields": ["status", "advice"]},
    )
    action = "referral_accepted" if accepted else "referral_not_accepted"
    episode_services.transition(
        actor, episode, action, request=request, permission=policy.can_record_csc_decision
    )
    message = (
        _("Children's social care accepted the referral: early help has closed")
        if accepted
        else _("Children's social care did not accept the referral: back with early help")
    )
    notify([episode.requested_by, episode.lead_professional], episode, message)
    return referral
