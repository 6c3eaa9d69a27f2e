"""The Early Help and Family Support Panel (seed 000): arranging a panel, its
members and agenda, its decisions, and closing it.

Each function checks the permission through core.policy, refuses changes to a
closed panel, writes in one transaction and records its audit event (names of
fields and ids, never what was decided). Members are told through
notifications that name the case reference and the event only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Required, TypedDict, Unpack

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from audit.models import Action
from audit.services import record
from core import policy
from episodes import states
from episodes.lead_professional import record_lead_change
from episodes.models import Episode, LeadChangeRoute
from episodes.services import close_episode
from meetings.services import add_organisation, team_organisations
from notifications.services import notify
from outcomes.evidence import Evidence
from referrals.models import Kind, Referral, ReferralStatus
from referrals.services import step_up

from .models import AgendaItem, Panel, PanelDecision

if TYPE_CHECKING:
    from django.http import HttpRequest

REFERENCE = re.compile(r"^(?:EH)?\s*0*([0-9]{1,12})$", re.IGNORECASE)


class DecisionDetails(TypedDict, total=False):
    """What each panel decision needs besides its reasons (record_outcome)."""

    new_lead: User | None
    family_view: str
    handover_note: str
    organisation: Organisation | None
    override_reason: str
    concern: str
    significant_harm: str
    closure_reason: str
    need_outcomes: Mapping[int, str] | None
    # What shows each need's outcome (outcomes.evidence), as the closure page asks.
    evidence: Mapping[int, Evidence] | None


class _Decided(DecisionDetails, total=False):
    outcome: Required[str]  # the panel's reasons, asked of every decision


def _check(actor: User, panel: Panel | None = None) -> None:
    if not policy.can_manage_panels(actor):
        raise PermissionDenied
    if panel is not None:
        if not policy.can_manage_panel(actor, panel):
            raise PermissionDenied
        if not panel.is_open:
            raise ValidationError(_("This panel has closed: nothing on it can be changed"))


def _panel_date(panel: Panel) -> str:
    return date_format(panel.meets_on, "j F Y")


def _notify_agenda(users: list[User], items: Iterable[AgendaItem]) -> None:
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
def arrange_panel(
    actor: User, *, meets_on: date | None, request: HttpRequest | None = None
) -> Panel:
    _check(actor)
    if actor.local_authority_id is None:  # _check lets only a council's staff through
        raise PermissionDenied
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


def members_offered(panel: Panel) -> QuerySet[User]:
    """Who can sit on the panel: active staff of the council, any role (partner
    agencies' staff sit on panel), not already members."""
    return (
        User.objects.filter(local_authority_id=panel.local_authority_id, is_active=True)
        .exclude(pk__in=panel.members.values("pk"))
        .order_by("full_name", "email")
    )


@transaction.atomic
def add_member(
    actor: User, panel: Panel, user: User | None, *, request: HttpRequest | None = None
) -> User:
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
def remove_member(
    actor: User, panel: Panel, user: User, *, request: HttpRequest | None = None
) -> User:
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


def referrals_awaiting_panel(local_authority_id: int) -> QuerySet[Referral]:
    """Panel referrals of the council's open cases that no agenda has taken yet."""
    return (
        Referral.objects.filter(
            kind=Kind.PANEL,
            status=ReferralStatus.SENT,
            episode__local_authority_id=local_authority_id,
            episode__status__in=states.statuses_allowing("refer_to_panel"),
        )
        .exclude(pk__in=AgendaItem.objects.filter(referral__isnull=False).values("referral_id"))
        .select_related("episode__family", "sent_by")
        .order_by("sent_at", "id")
    )


def find_case(panel: Panel, reference: str | None) -> Episode | None:
    """An open case of the panel's council by its reference (EH000123), or None."""
    match = REFERENCE.match((reference or "").strip())
    if not match:
        return None
    return Episode.objects.filter(
        pk=int(match[1]),
        local_authority_id=panel.local_authority_id,
        status__in=states.statuses_allowing("refer_to_panel"),
    ).first()


@transaction.atomic
def add_to_agenda(
    actor: User,
    panel: Panel,
    episode: Episode | None,
    *,
    referral: Referral | None = None,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Put an open case of the panel's council on its agenda, with the panel
    referral that brought it there (the oldest waiting one if not given)."""
    _check(actor, panel)
    if episode is None or episode.local_authority_id != panel.local_authority_id:
        raise ValidationError(
            {"reference": _("Enter the reference of an open case, like EH000123")}
        )
    if refused := states.why_not(episode, "refer_to_panel"):
        raise ValidationError({"reference": f"{episode.reference}: {refused}"})
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


def organisations_to_add(episode: Episode) -> QuerySet[Organisation]:
    """The council's organisations not yet in the case's team."""
    return (
        Organisation.objects.filter(local_authority_id=episode.local_authority_id)
        .exclude(pk__in=team_organisations(episode).values("pk"))
        .order_by("name", "pk")
    )


def _act_on_case(
    actor: User,
    item: AgendaItem,
    decision: str,
    details: _Decided,
    request: HttpRequest | None,
) -> None:
    """Carry out the panel's decision through the case's domain functions;
    each raises ValidationError or TransitionRefused to refuse it."""
    episode = item.episode
    if decision == PanelDecision.ALLOCATE_LEAD:
        record_lead_change(
            actor,
            episode,
            details.get("new_lead"),
            reason=_("The panel on %(date)s: %(reasons)s")
            % {"date": _panel_date(item.panel), "reasons": details["outcome"]},
            family_view=details.get("family_view", ""),
            handover_note=details.get("handover_note", ""),
            route=LeadChangeRoute.PANEL,
            first_allowed=True,
            request=request,
        )
    elif decision == PanelDecision.ADD_ORGANISATION:
        organisation = details.get("organisation")
        if organisation is None:
            raise ValidationError({"organisation": _("Choose the organisation or service")})
        add_organisation(
            actor,
            episode,
            organisation,
            override_reason=details.get("override_reason", ""),
            request=request,
        )
    elif decision == PanelDecision.STEP_UP:
        step_up(
            actor,
            episode,
            concern=details.get("concern", ""),
            significant_harm=details.get("significant_harm", ""),
            request=request,
        )
    elif decision == PanelDecision.CLOSE:
        if not details.get("closure_reason"):
            raise ValidationError({"closure_reason": _("Choose why early help is closing")})
        close_episode(
            actor,
            episode,
            reason=details["closure_reason"],
            need_outcomes=details.get("need_outcomes") or {},
            evidence=details.get("evidence"),
            summary=details["outcome"],
            request=request,
        )


@transaction.atomic
def record_outcome(
    actor: User,
    item: AgendaItem,
    *,
    outcome: str,
    decision: str = PanelDecision.RETURN_TO_TEAM,
    request: HttpRequest | None = None,
    **details: Unpack[DecisionDetails],
) -> AgendaItem:
    """Record the panel's decision and act on the case in the same
    transaction: allocate a lead professional (`new_lead`, `family_view`,
    `handover_note`), add an `organisation` to the team (`override_reason`
    without consent), step up (`concern`, `significant_harm`), close
    (`closure_reason`, `need_outcomes`), or return the case to its team with
    the panel's advice (`outcome`, asked of every decision: its reasons).
    The referral that brought the case is marked decided; the referrer and
    the lead professional are told. A decision is recorded once: it has acted."""
    _check(actor, item.panel)
    if item.is_decided:
        raise ValidationError(
            _("The panel's decision for %(ref)s is recorded and has acted on the case")
            % {"ref": item.episode.reference}
        )
    outcome = (outcome or "").strip()
    errors: dict[str, str] = {}
    if not outcome:
        errors["outcome"] = _("Enter what the panel decided")
    if decision not in PanelDecision.values:
        errors["decision"] = _("Choose what the panel decided")
    if errors:
        raise ValidationError(errors)
    _act_on_case(actor, item, decision, {**details, "outcome": outcome}, request)

    episode = Episode.objects.get(pk=item.episode_id)
    item.episode = episode
    item.decision = decision
    item.decided_lead = details.get("new_lead") if decision == PanelDecision.ALLOCATE_LEAD else None
    item.decided_organisation = (
        details.get("organisation") if decision == PanelDecision.ADD_ORGANISATION else None
    )
    item.outcome = outcome
    item.outcome_recorded_by = actor
    item.outcome_recorded_at = timezone.now()
    item.save(
        update_fields=[
            "decision",
            "decided_lead",
            "decided_organisation",
            "outcome",
            "outcome_recorded_by",
            "outcome_recorded_at",
        ]
    )
    record(
        Action.UPDATE,
        actor=actor,
        obj=item,
        request=request,
        changes={"fields": ["decision", "outcome"], "decision": decision},
    )
    referral = item.referral
    if referral is not None and referral.status == ReferralStatus.SENT:
        referral.status = ReferralStatus.DECIDED
        referral.save(update_fields=["status"])
        record(
            Action.UPDATE,
            actor=actor,
            obj=referral,
            request=request,
            changes={"fields": ["status"]},
        )
    referrer = referral.sent_by if referral is not None else episode.requested_by
    notify(
        [user for user in (referrer, episode.lead_professional) if user and user.pk != actor.pk],
        episode,
        _("The Early Help and Family Support Panel on %(date)s decided: %(decision)s")
        % {"date": _panel_date(item.panel), "decision": item.get_decision_display()},
    )
    return item


def undecided(panel: Panel) -> list[AgendaItem]:
    return [item for item in panel.agenda_items.select_related("episode") if not item.is_decided]


@transaction.atomic
def close_panel(actor: User, panel: Panel, *, request: HttpRequest | None = None) -> Panel:
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
