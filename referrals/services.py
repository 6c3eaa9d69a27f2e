"""Referring a family out of early help. Step-up to children's social care is
never blocked: no form, consent or missing assessment may delay it (seed 001
§3.5); the assessment, plan and chronology go with it automatically."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import Action
from audit.services import record
from core import policy
from episodes import services as episode_services
from episodes import states
from episodes.models import Episode
from notifications.services import notify

from .models import Kind, PanelReason, Referral, ReferralStatus

if TYPE_CHECKING:
    from django.http import HttpRequest


@transaction.atomic
def step_up(
    actor: User,
    episode: Episode,
    *,
    concern: str,
    significant_harm: str = "",
    request: HttpRequest | None = None,
) -> Referral:
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


def waiting_for_panel(episode: Episode) -> Referral | None:
    """The case's panel referral the panel has not decided yet, if any."""
    return (
        episode.referrals.filter(kind=Kind.PANEL, status=ReferralStatus.SENT)
        .order_by("sent_at", "id")
        .first()
    )


@transaction.atomic
def refer_to_panel(
    actor: User,
    episode: Episode,
    *,
    concern: str,
    reason: str = PanelReason.OTHER,
    request: HttpRequest | None = None,
) -> Referral:
    """Refer the family to the Early Help and Family Support Panel from any
    open stage, with the reason (and, for another reason, what it is)."""
    if not policy.can_work_on_episode(actor, episode):
        raise PermissionDenied
    if (refused := states.why_not(episode, "refer_to_panel")) is not None:
        raise states.TransitionRefused(refused)
    concern = (concern or "").strip()
    errors = {}
    if reason not in PanelReason.values:
        errors["reason"] = _("Choose why the family is being referred to the panel")
    elif reason == PanelReason.OTHER and not concern:
        errors["concern"] = _("Say why the family is being referred to the panel")
    if (waiting := waiting_for_panel(episode)) is not None:
        errors["__all__"] = _(
            "This case was referred to the panel on %(date)s and is waiting for its decision"
        ) % {"date": date_format(timezone.localtime(waiting.sent_at), "j F Y")}
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        episode=episode, kind=Kind.PANEL, panel_reason=reason, concern=concern, sent_by=actor
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=referral,
        request=request,
        changes={"fields": ["kind", "panel_reason", "concern"]},
    )
    coordinators = User.objects.filter(
        local_authority_id=episode.local_authority_id,
        is_active=True,
        roles__role=Role.PANEL_COORDINATOR,
    )
    notify(coordinators, episode, _("Referral to the Early Help and Family Support Panel"))
    return referral


@transaction.atomic
def record_decision(
    actor: User,
    referral: Referral,
    *,
    accepted: bool,
    advice: str = "",
    request: HttpRequest | None = None,
) -> Referral:
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
