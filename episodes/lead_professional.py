"""Changing a case's lead professional once one is agreed: by the district's
Early Help Officer or a manager, at a meeting of the team, or by the panel
(which may also allocate the first). Each change records why, the family's
view and a handover note, is audited, shows in the chronology, and the old and
new lead are told."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import Action
from audit.services import record
from core import policy
from meetings.services import lead_professional_refusal, team_staff
from notifications.services import notify
from people import restrictions
from webhooks import events as webhook_events
from webhooks.models import Event as WebhookEvent

from . import states
from .models import Episode, LeadChange, LeadChangeRoute
from .services import locked

if TYPE_CHECKING:
    from django.http import HttpRequest

    from meetings.models import Meeting


def first_lead_owed(episode: Episode) -> bool:
    """A case stepped down from children's social care arrives with no lead
    professional and a date by which the Early Help Officer agrees one."""
    return episode.lead_professional_id is None and episode.lead_professional_due_by is not None


def lead_candidates(episode: Episode) -> QuerySet[User]:
    """Who may take the case on: active practitioners of the team's
    organisations, not the current lead. A council administrator manages
    users, not cases, and is never offered."""
    return (
        team_staff(episode)
        .filter(roles__role=Role.PRACTITIONER)
        .exclude(pk=episode.lead_professional_id or 0)
    )


def lead_refusal(episode: Episode, user: User) -> str | None:
    """Why `user` may not become this case's lead professional, or None."""
    if user.pk == episode.lead_professional_id:
        return _("%(name)s is already the lead professional") % {"name": user.full_name}
    if not user.has_role(Role.PRACTITIONER):
        return _("%(name)s cannot hold a case: choose a practitioner") % {"name": user.full_name}
    if message := lead_professional_refusal(episode, user):
        return str(message)
    return None


@transaction.atomic
def change_lead_professional(
    actor: User,
    episode: Episode,
    new_lead: User | None,
    *,
    reason: str,
    family_view: str,
    handover_note: str = "",
    meeting: Meeting | None = None,
    request: HttpRequest | None = None,
) -> Episode:
    """Make `new_lead` the lead professional of a case that has one.

    The district's Early Help Officer or a manager may; so may anyone who works
    on the case when a meeting of the team (`meeting`, already held) agreed it.
    Raises PermissionDenied, states.TransitionRefused (a closed case) or
    ValidationError naming every problem."""
    if meeting is None:
        allowed = policy.can_change_lead(actor, episode)
    else:
        allowed = meeting.episode_id == episode.pk and policy.can_work_on_episode(actor, episode)
    if not allowed:
        raise PermissionDenied
    if meeting is not None and not meeting.held:
        raise ValidationError(_("Record the meeting before recording what it agreed"))
    route = LeadChangeRoute.OFFICER if meeting is None else LeadChangeRoute.MEETING
    return record_lead_change(
        actor,
        episode,
        new_lead,
        reason=reason,
        family_view=family_view,
        handover_note=handover_note,
        route=route,
        first_allowed=meeting is None and first_lead_owed(episode),
        request=request,
    )


def record_lead_change(
    actor: User,
    episode: Episode,
    new_lead: User | None,
    *,
    reason: str,
    family_view: str,
    handover_note: str = "",
    route: str,
    first_allowed: bool = False,
    request: HttpRequest | None = None,
) -> Episode:
    """The change itself, for callers that checked the actor's permission
    (change_lead_professional; the panel, which may also allocate the first
    lead: `first_allowed`). Runs in the caller's transaction."""
    current = locked(episode)
    if (refused := states.why_not(current, "change_lead")) is not None:
        raise states.TransitionRefused(refused)
    if current.lead_professional_id is None and not first_allowed:
        raise states.TransitionRefused(
            _(
                "No lead professional has been agreed yet: the team chooses one at its "
                "meeting, or the panel allocates one"
            )
        )
    errors = _errors(current, new_lead, reason, family_view, handover_note)
    if errors or new_lead is None:  # no new lead is one of the errors
        raise ValidationError(errors)

    previous = current.lead_professional
    current.lead_professional = new_lead
    current.version += 1
    current.save(update_fields=["lead_professional", "version"])
    change = LeadChange.objects.create(
        episode=current,
        previous_lead=previous,
        new_lead=new_lead,
        reason=reason.strip(),
        family_view=family_view.strip(),
        handover_note=handover_note.strip(),
        route=route,
        changed_by=actor,
    )
    # Ids only: the reason and the family's view stay on the case.
    record(
        Action.UPDATE,
        actor=actor,
        obj=current,
        request=request,
        changes={
            "fields": ["lead_professional"],
            "lead_professional": [previous.pk if previous else None, new_lead.pk],
            "lead_change": change.pk,
        },
    )
    _tell(actor, current, previous, new_lead)
    webhook_events.emit(current, WebhookEvent.LEAD_PROFESSIONAL_AGREED)
    episode.refresh_from_db()
    return episode


def _errors(
    episode: Episode, new_lead: User | None, reason: str, family_view: str, handover_note: str
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if new_lead is None:
        errors["new_lead"] = _("Choose the new lead professional")
    elif message := lead_refusal(episode, new_lead):
        errors["new_lead"] = message
    if not (reason or "").strip():
        errors["reason"] = _("Say why the lead professional is changing")
    if not (family_view or "").strip():
        errors["family_view"] = _(
            "Record the family's view on the new lead professional (or that they have "
            "not been asked yet, and why)"
        )
    for field, problems in restrictions.restricted_text_errors(
        restrictions.family_people(episode.family),
        {
            "reason": (_("The reason"), reason or ""),
            "family_view": (_("The family's view"), family_view or ""),
            "handover_note": (_("The handover note"), handover_note or ""),
        },
    ).items():
        errors.setdefault(field, problems)
    return errors


def _tell(actor: User, episode: Episode, previous: User | None, new_lead: User) -> None:
    notify(
        [user for user in (new_lead,) if user.pk != actor.pk],
        episode,
        _("You are now the lead professional"),
    )
    if previous is not None and previous.pk != actor.pk:
        notify(
            [previous],
            episode,
            _("You are no longer the lead professional: %(name)s has taken over")
            % {"name": new_lead.full_name},
        )
