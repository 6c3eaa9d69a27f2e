"""What happens next on a case, by when, and who owes it: the line an Early
Help Officer scans for drift and delay (seed 000).

Computed from the episode's own dates, so a list of cases needs no extra
queries. Timescales other than the review interval are common practice, not
statute; they are named here so a council can see and question them.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Status

CONSENT_WITHIN_DAYS = 10
ASSESSMENT_WITHIN_DAYS = 30
MEETING_WITHIN_DAYS = 20
CSC_DECISION_WITHIN_DAYS = 1
OVERRIDE_REVIEW_WITHIN_DAYS = 1  # sharing without consent is checked the next day


@dataclass
class NextStep:
    what: str
    due: date | None
    owner: object  # a User, or None when nobody is named yet
    # The state machine's name for doing it (episodes.states.allows), so the
    # case page can offer the button only when the stage allows it.
    activity: str = ""

    def is_overdue(self, today: date | None = None) -> bool:
        return self.due is not None and self.due < (today or timezone.localdate())


def review_due(episode, *, plan_agreed_on=None, last_review_on=None):
    """First review one interval after the plan was agreed, then one interval
    after the latest review was held (the LA's setting, 8 weeks by default).
    A review stamps `last_reviewed_at` with the day it was held, so this needs
    no query; the dates can also be given (date or datetime)."""
    last = last_review_on or episode.last_reviewed_at or plan_agreed_on or episode.plan_agreed_at
    if last is None:
        return None
    if isinstance(last, datetime):
        last = timezone.localdate(last)
    return last + timedelta(weeks=episode.local_authority.review_interval_weeks)


def meeting_called(episode) -> str:
    """The council's name for the meeting, as a noun: "Team Around the Family
    meeting", but "Child Action Meeting" (not "... Meeting meeting")."""
    name = str(episode.local_authority.get_meeting_name_display())
    return name if name.lower().endswith("meeting") else _("%(name)s meeting") % {"name": name}


def _after(moment, days):
    return timezone.localdate(moment) + timedelta(days=days) if moment else None


def next_step(episode) -> NextStep | None:
    """The one next thing on the case, by when, and who owes it (None once closed)."""
    worker = episode.lead_professional or episode.requested_by
    if episode.status == Status.REQUESTED:
        if episode.lead_professional_id is None and episode.lead_professional_due_by:
            return NextStep(
                _("Agree a lead professional"),
                episode.lead_professional_due_by,
                episode.district.early_help_officer,
                "change_lead",
            )
        return NextStep(
            _("Record consent"),
            _after(episode.requested_at, CONSENT_WITHIN_DAYS),
            worker,
            "give_consent",
        )
    if episode.status == Status.ASSESSMENT:
        return NextStep(
            _("Complete the assessment"),
            _after(episode.consent_given_at, ASSESSMENT_WITHIN_DAYS),
            worker,
            "edit_assessment",
        )
    if episode.status == Status.MEETING:
        return NextStep(
            _("Hold the %(meeting)s and agree the plan") % {"meeting": meeting_called(episode)},
            _after(episode.assessment_completed_at, MEETING_WITHIN_DAYS),
            worker,
            "hold_meeting",
        )
    if episode.status == Status.PLAN:
        return NextStep(_("Review the plan"), review_due(episode), worker, "record_review")
    if episode.status == Status.STEPPED_UP:
        return NextStep(
            _("Record children's social care's decision"),
            _after(episode.stepped_up_at, CSC_DECISION_WITHIN_DAYS),
            episode.district.early_help_officer,
            "record_csc_decision",
        )
    return None
