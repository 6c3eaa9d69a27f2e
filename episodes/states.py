"""The episode state machine: the only code that changes Episode.status.

Each action names the statuses it may start from, the status it leads to, and
the guards that must pass. Domain functions call `apply`; pages call
`allowed_actions` to decide which buttons to show. Step-up has no guards on
purpose: nothing, including missing forms, may delay a referral to children's
social care (Working Together; seed 001 §3.5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import OPEN_STATUSES, ClosureReason, Episode, Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TransitionRefused(Exception):
    """The action is not allowed now; the message says why and what to do."""

    def __init__(self, message: StrOrPromise) -> None:
        super().__init__(str(message))
        self.message = message


def _needs_lead_professional(episode: Episode, **_kwargs: Any) -> StrOrPromise | None:
    if episode.lead_professional_id is None:
        return _(
            "A plan needs a lead professional: choose one at the meeting before agreeing the plan"
        )
    return None


def _needs_closure_reason(
    episode: Episode, closure_reason: str | None = None, **_kwargs: Any
) -> StrOrPromise | None:
    if not closure_reason:
        return _("Choose why the case is closing before closing it")
    if closure_reason not in ClosureReason.values:
        return _("'%(reason)s' is not a closure reason") % {"reason": closure_reason}
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    label: StrOrPromise
    sources: tuple[str, ...]
    target: str | None  # None: back to the status before the step-up
    guards: tuple[Callable[..., StrOrPromise | None], ...] = field(default=())
    timestamp: str | None = None


TRANSITIONS = {
    t.action: t
    for t in (
        Transition(
            "give_consent",
            _("Record consent"),
            (Status.REQUESTED,),
            Status.ASSESSMENT,
            timestamp="consent_given_at",
        ),
        Transition(
            "decline_consent",
            _("Close: consent declined"),
            (Status.REQUESTED,),
            Status.CLOSED,
            timestamp="closed_at",
        ),
        Transition(
            "complete_assessment",
            _("Complete the assessment"),
            (Status.ASSESSMENT,),
            Status.MEETING,
            timestamp="assessment_completed_at",
        ),
        Transition(
            "agree_plan",
            _("Agree the plan"),
            (Status.MEETING,),
            Status.PLAN,
            guards=(_needs_lead_professional,),
            timestamp="plan_agreed_at",
        ),
        Transition(
            "review",
            _("Review the plan"),
            (Status.PLAN,),
            Status.PLAN,
            timestamp="last_reviewed_at",
        ),
        Transition(
            "step_up",
            _("Refer to children's social care"),
            OPEN_STATUSES,
            Status.STEPPED_UP,
            timestamp="stepped_up_at",
        ),
        Transition(
            "referral_accepted",
            _("Record that children's social care accepted the referral"),
            (Status.STEPPED_UP,),
            Status.CLOSED,
            timestamp="closed_at",
        ),
        Transition(
            "referral_not_accepted",
            _("Record that children's social care did not accept the referral"),
            (Status.STEPPED_UP,),
            None,
        ),
        Transition(
            "close",
            _("Close the case"),
            OPEN_STATUSES,
            Status.CLOSED,
            guards=(_needs_closure_reason,),
            timestamp="closed_at",
        ),
    )
}


def refusal(episode: Episode, action: str, **context: Any) -> StrOrPromise | None:
    """Why `action` may not happen now, or None if it may."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return _("There is no action called '%(action)s'") % {"action": action}
    if episode.status not in transition.sources:
        return _("You cannot %(action)s while the case is '%(status)s'") % {
            "action": str(transition.label).lower(),
            "status": episode.get_status_display(),
        }
    for guard in transition.guards:
        if message := guard(episode, **context):
            return message
    return None


# What a stage allows besides moving on: the one answer to "may this case
# do X now?", so no view, service or template compares statuses. Each row
# says which stages allow it and, for the others, what the user is told.
@dataclass(frozen=True)
class Activity:
    statuses: frozenset[str]
    refused: StrOrPromise  # shown when the stage does not allow it; %(status)s is the stage


_OPEN = frozenset(OPEN_STATUSES)
_NOT_CLOSED = frozenset(OPEN_STATUSES + (Status.STEPPED_UP,))

ACTIVITIES = {
    "edit_assessment": Activity(
        frozenset({Status.ASSESSMENT}),
        _(
            "The assessment can only be changed while the case is at the assessment stage;"
            " it is now '%(status)s'"
        ),
    ),
    "hold_meeting": Activity(
        frozenset({Status.MEETING, Status.PLAN}),
        _(
            "Meetings are arranged from the completed assessment until the plan ends;"
            " the case is now '%(status)s'"
        ),
    ),
    "choose_first_lead": Activity(
        frozenset({Status.MEETING}),
        _("The plan is already agreed with a lead professional"),
    ),
    "change_plan": Activity(
        frozenset({Status.PLAN}),
        _("The plan can only be changed while it is in place; the case is now '%(status)s'"),
    ),
    "owe_plan_copies": Activity(
        frozenset({Status.PLAN}), _("No copies are owed while the case is '%(status)s'")
    ),
    "record_review": Activity(
        frozenset({Status.PLAN}),
        _("A review needs a plan in place; the case is now '%(status)s'"),
    ),
    # The family's voice and plan online (families/services.py).
    "ask_closure_feedback": Activity(
        frozenset({Status.CLOSED}),
        _("Feedback at closure is asked for once the case has closed; it is now '%(status)s'"),
    ),
    "share_plan_online": Activity(
        frozenset({Status.PLAN}),
        _("The family's plan is online only while it is in place; the case is now '%(status)s'"),
    ),
    "judge_consent_refusal": Activity(
        frozenset({Status.REQUESTED}),
        _(
            "The judgement on a refusal is made while the request is open;"
            " the case is now '%(status)s'"
        ),
    ),
    "record_consent": Activity(
        _OPEN, _("The case is '%(status)s': consent is no longer recorded on it")
    ),
    "change_needs": Activity(
        _OPEN, _("The case is '%(status)s': its needs can no longer be changed")
    ),
    "join_team": Activity(_OPEN, _("The case is '%(status)s': organisations cannot join its team")),
    "refer_to_panel": Activity(
        _OPEN, _("Only an open case can be referred to the panel; it is now '%(status)s'")
    ),
    "change_lead": Activity(
        _NOT_CLOSED, _("The case is closed: its lead professional cannot change")
    ),
    "list_as_open": Activity(_NOT_CLOSED, _("The case is closed")),  # work is still owed
    "record_csc_decision": Activity(
        frozenset({Status.STEPPED_UP}),
        _(
            "Children's social care's decision is recorded after a step-up;"
            " the case is now '%(status)s'"
        ),
    ),
    "retain_records": Activity(
        frozenset({Status.CLOSED}),
        _("Records are kept while the case is open; it is now '%(status)s'"),
    ),
}


# What each stage waits for next (episodes/progress.py says by when and who
# owes it); a closed case waits for nothing.
NEXT_ACTIVITY: dict[str, str] = {
    Status.REQUESTED: "give_consent",
    Status.ASSESSMENT: "edit_assessment",
    Status.MEETING: "hold_meeting",
    Status.PLAN: "record_review",
    Status.STEPPED_UP: "record_csc_decision",
}


def statuses_waiting_for(activity: str) -> frozenset[str]:
    """The stages whose next step is `activity`, for queries (`status__in=`)."""
    return frozenset(status for status, next_up in NEXT_ACTIVITY.items() if next_up == activity)


def next_activity(episode: Episode) -> str | None:
    return NEXT_ACTIVITY.get(episode.status)


def allows(episode: Episode, activity: str) -> bool:
    """Whether the case's stage allows `activity`: an action of TRANSITIONS
    (its source statuses) or an entry of ACTIVITIES."""
    if activity in TRANSITIONS:
        return episode.status in TRANSITIONS[activity].sources
    return episode.status in ACTIVITIES[activity].statuses


def why_not(episode: Episode, activity: str) -> StrOrPromise | None:
    """What to tell the user when the stage does not allow `activity`, else None.
    (For transitions, `refusal` also runs the guards.)"""
    if activity in TRANSITIONS:
        return refusal(episode, activity)
    if allows(episode, activity):
        return None
    return ACTIVITIES[activity].refused % {"status": episode.get_status_display()}


def statuses_allowing(activity: str) -> frozenset[str]:
    """The stages that allow `activity`, for queries (`status__in=`)."""
    if activity in TRANSITIONS:
        return frozenset(TRANSITIONS[activity].sources)
    return ACTIVITIES[activity].statuses


# The colour of a case's status tag (GOV.UK tag modifiers), in one place.
STATUS_TAG_CLASSES = {
    Status.REQUESTED: "govuk-tag--blue",
    Status.ASSESSMENT: "govuk-tag--blue",
    Status.MEETING: "govuk-tag--blue",
    Status.PLAN: "govuk-tag--blue",
    Status.STEPPED_UP: "govuk-tag--red",
    Status.CLOSED: "govuk-tag--grey",
}


def allowed_actions(episode: Episode) -> list[Transition]:
    """Actions whose source status matches now (guards are checked on submit)."""
    return [t for t in TRANSITIONS.values() if episode.status in t.sources]


def apply(
    episode: Episode, action: str, *, now: datetime | None = None, **context: Any
) -> tuple[str, str]:
    """Move the episode through `action` in memory; the caller saves and audits."""
    if message := refusal(episode, action, **context):
        raise TransitionRefused(message)
    transition = TRANSITIONS[action]
    now = now or timezone.now()
    previous = episode.status
    if action == "step_up":
        episode.status_before_step_up = previous
    if transition.target is None:
        episode.status = episode.status_before_step_up
        episode.status_before_step_up = ""
    else:
        episode.status = transition.target
    if transition.timestamp:
        setattr(episode, transition.timestamp, now)
    if action == "decline_consent":
        episode.closure_reason = ClosureReason.CONSENT_DECLINED
    elif action == "referral_accepted":
        episode.closure_reason = ClosureReason.STEPPED_UP
    elif action == "close":
        episode.closure_reason = context["closure_reason"]
    return previous, episode.status
