"""The Early Help and Family Support Panel (seed 000): arranging a panel, its
members and agenda, its decisions, and closing it.

Each function checks the permission through core.policy, refuses changes to a
closed panel, writes in one transaction and records its audit event (names of
fields and ids, never what was decided). Members are told through
notifications that name the case reference and the event only.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from audit.models import Action
from audit.services import record
from core import policy
from episodes.models import OPEN_STATUSES, Episode
from notifications.services import notify
from referrals.models import Kind, Referral, ReferralStatus

from .models import AgendaItem, Panel

REFERENCE = re.compile(r"^(?:EH)?\s*0*([0-9]{1,12})$", re.IGNORECASE)


def _check(actor, panel=None):
    if not policy.can_manage_panels(actor):
        raise PermissionDenied
    if panel is not None:
        if not policy.can_manage_panel(actor, panel):
            raise PermissionDenied
        if not panel.is_open:
            raise ValidationError(_("This panel has closed: nothing on it can be changed"))


def _panel_date(panel):
    return date_format(panel.meets_on, "j F Y")


def _notify_agenda(users, items):
    """Tell panel members which cases they can now see: the reference and the
    panel's date only."""
    for item in items:
        notify(
            users,
            item.episode,
            _("On the agenda of the Early Help and Family Support Panel on %(date)s")
            % {"date": _panel_date(item.panel)},
        )


@transaction.atomic
def arrange_panel(actor, *, meets_on, request=None):
    _check(actor)
    if meets_on is None:
        raise ValidationError({"meets_on": _("Enter the date of the panel")})
    if meets_on < timezone.localdate():
        raise ValidationError(
            {"meets_on": _("The date of the panel must be today or in the future")}
        )
    panel = Panel.objects.create(
        local_authority_id=actor.local_authority_id, meets_on=meets_on, created_by=actor
    )
    record(Action.CREATE, actor=actor, obj=panel, request=request, changes={"fields": ["meets_on"]})
    return panel


def members_offered(panel):
    """Who can sit on the panel: active staff of the council, any role (partner
    agencies' staff sit on panel), not already members."""
    return (
        User.objects.filter(local_authority_id=panel.local_authority_id, is_active=True)
        .exclude(pk__in=panel.members.values("pk"))
        .order_by("full_name", "email")
    )


@transaction.atomic
def add_member(actor, panel, user, *, request=None):
    _check(actor, panel)
    if user is not None and panel.members.filter(pk=user.pk).exists():
        raise ValidationError({"member": _("%(name)s already sits on this panel") % {"name": user}})
    if user is None or not members_offered(panel).filter(pk=user.pk).exists():
        raise ValidationError({"member": _("Choose someone who works for the council")})
    panel.members.add(user)
    record(
        Action.UPDATE,
        actor=actor,
        obj=panel,
        request=request,
        changes={"fields": ["members"], "added": user.pk},
    )
    _notify_agenda([user], panel.agenda_items.select_related("episode", "panel"))
    return user


@transaction.atomic
def remove_member(actor, panel, user, *, request=None):
    _check(actor, panel)
    if not panel.members.filter(pk=user.pk).exists():
        raise ValidationError(_("%(name)s does not sit on this panel") % {"name": user})
    panel.members.remove(user)
    record(
        Action.UPDATE,
        actor=actor,
        obj=panel,
        request=request,
        changes={"fields": ["members"], "removed": user.pk},
    )
    return user


def referrals_awaiting_panel(local_authority_id):
    """Panel referrals of the council's open cases that no agenda has taken yet."""
    return (
        Referral.objects.filter(
            kind=Kind.PANEL,
            status=ReferralStatus.SENT,
            episode__local_authority_id=local_authority_id,
            episode__status__in=OPEN_STATUSES,
        )
        .exclude(pk__in=AgendaItem.objects.filter(referral__isnull=False).values("referral_id"))
        .select_related("episode__family", "sent_by")
        .order_by("sent_at", "id")
    )


def find_case(panel, reference):
    """An open case of the panel's council by its reference (EH000123), or None."""
    match = REFERENCE.match((reference or "").strip())
    if not match:
        return None
    return Episode.objects.filter(
        pk=int(match[1]), local_authority_id=panel.local_authority_id, status__in=OPEN_STATUSES
    ).first()


@transaction.atomic
def add_to_agenda(actor, panel, episode, *, referral=None, request=None):
    """Put an open case of the panel's council on its agenda, with the panel
    referral that brought it there (the oldest waiting one if not given)."""
    _check(actor, panel)
    if episode is None or episode.local_authority_id != panel.local_authority_id:
        raise ValidationError(
            {"reference": _("Enter the reference of an open case, like EH000123")}
        )
    if not episode.is_open:
        raise ValidationError({"reference": _("%(ref)s is closed") % {"ref": episode.reference}})
    if panel.agenda_items.filter(episode=episode).exists():
        raise ValidationError(
            {
                "reference": _("%(ref)s is already on this panel's agenda")
                % {"ref": episode.reference}
            }
        )
    waiting = referrals_awaiting_panel(panel.local_authority_id).filter(episode=episode)
    if referral is None:
        referral = waiting.first()
    elif not waiting.filter(pk=referral.pk).exists():
        raise ValidationError({"referral": _("Choose a referral waiting for the panel")})
    item = AgendaItem.objects.create(
        panel=panel, episode=episode, referral=referral, added_by=actor
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=item,
        request=request,
        changes={"fields": ["panel", "episode", "referral"]},
    )
    _notify_agenda(list(panel.members.all()), [item])
    return item


@transaction.atomic
def record_outcome(actor, item, *, outcome, request=None):
    _check(actor, item.panel)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Enter what the panel decided")})
    changed = outcome != item.outcome
    item.outcome = outcome
    item.outcome_recorded_by = actor
    item.outcome_recorded_at = timezone.now()
    item.save(update_fields=["outcome", "outcome_recorded_by", "outcome_recorded_at"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=item,
        request=request,
        changes={"fields": ["outcome"] if changed else []},
    )
    episode = item.episode
    notify(
        [episode.lead_professional, episode.requested_by],
        episode,
        _("The Early Help and Family Support Panel on %(date)s recorded its decision")
        % {"date": _panel_date(item.panel)},
    )
    return item


def undecided(panel):
    return [item for item in panel.agenda_items.select_related("episode") if not item.outcome]


@transaction.atomic
def close_panel(actor, panel, *, request=None):
    """Close the panel: its members no longer see its cases, and nothing on it
    can be changed. Every case on the agenda needs the panel's decision first."""
    _check(actor, panel)
    waiting = undecided(panel)
    if waiting:
        raise ValidationError(
            _("Record what the panel decided for %(refs)s before closing it")
            % {"refs": ", ".join(item.episode.reference for item in waiting)}
        )
    panel.closed_at = timezone.now()
    panel.closed_by = actor
    panel.save(update_fields=["closed_at", "closed_by"])
    record(
        Action.UPDATE, actor=actor, obj=panel, request=request, changes={"fields": ["closed_at"]}
    )
    return panel
