"""What a person does with an alert: acknowledge it with a note and a new
date (it comes back then if still true), or chase the lead professional."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core import policy
from notifications.services import notify

from .models import Alert
from .rules import RULES_BY_KEY

if TYPE_CHECKING:
    from accounts.models import User

LONGEST_WAIT_DAYS = 90  # an alert put off for longer is being ignored, not managed


@transaction.atomic
def acknowledge(
    user: User,
    alert: Alert,
    *,
    note: str,
    until: datetime.date,
    request: HttpRequest | None = None,
) -> Alert:
    if not policy.alerts_visible_to(user).filter(pk=alert.pk).exists():
        raise PermissionDenied
    today = timezone.localdate()
    errors = {}
    if not note.strip():
        errors["note"] = _("Say why it can wait, or what is being done")
    if until <= today:
        errors["until"] = _("The new date must be after today")
    elif until > today + datetime.timedelta(days=LONGEST_WAIT_DAYS):
        errors["until"] = _("The new date must be within %(days)s days") % {
            "days": LONGEST_WAIT_DAYS
        }
    if errors:
        raise ValidationError(errors)
    alert.acknowledged_until = until
    alert.acknowledgement_note = note.strip()[:500]
    alert.acknowledged_by = user
    alert.save(update_fields=["acknowledged_until", "acknowledgement_note", "acknowledged_by"])
    record(
        Action.UPDATE,
        actor=user,
        obj=alert.episode or alert,
        local_authority=alert.local_authority,
        request=request,
        changes={"alert": alert.rule, "acknowledged_until": until.isoformat()},
    )
    return alert


@transaction.atomic
def chase(user: User, alert: Alert, request: HttpRequest | None = None) -> User:
    """Tell the lead professional the case needs them (the rule's name only)."""
    if not policy.can_chase(user, alert):
        raise PermissionDenied
    episode = alert.episode
    lead = episode.lead_professional if episode is not None else None
    if lead is None or not lead.is_active:
        raise ValidationError(
            _("This case has no lead professional to chase: agree one, or take it to the panel")
        )
    rule = RULES_BY_KEY.get(alert.rule)
    label = str(rule.label) if rule else alert.rule
    assert episode is not None
    notify([lead], episode, _("Please look at this case: %(rule)s") % {"rule": label})
    alert.last_chased_at = timezone.now()
    alert.save(update_fields=["last_chased_at"])
    record(
        Action.UPDATE,
        actor=user,
        obj=episode,
        request=request,
        changes={"alert": alert.rule, "chased": lead.pk},
    )
    return lead


TIMESCALE_FIELDS = (
    "consent_days",
    "assessment_start_days",
    "assessment_complete_days",
    "meeting_days",
    "no_activity_days",
    "open_months",
    "override_review_working_days",
    "csc_decision_working_days",
)


@transaction.atomic
def update_timescales(
    actor: User, data: dict[str, object], request: HttpRequest | None = None
) -> list[str]:
    """The council's timescales, changed by its administrator or a manager;
    validated by the model. Returns the fields changed."""
    from .evaluation import timescales_for

    if not policy.can_set_timescales(actor) or actor.local_authority is None:
        raise PermissionDenied
    timescales = timescales_for(actor.local_authority)
    before = {name: getattr(timescales, name) for name in TIMESCALE_FIELDS}
    for name in TIMESCALE_FIELDS:
        if name in data:
            setattr(timescales, name, data[name])
    timescales.full_clean(exclude=["local_authority"])
    changed = sorted(name for name in TIMESCALE_FIELDS if getattr(timescales, name) != before[name])
    if changed:
        timescales.save(update_fields=changed)
        record(
            Action.UPDATE,
            actor=actor,
            obj=timescales,
            local_authority=actor.local_authority,
            request=request,
            changes={"fields": changed},
        )
    return changed
