"""What happens next on a case, by when, and who owes it: the line an Early
Help Officer scans for drift and delay (seed 000).

Computed from the episode's own dates and its council's timescales (each
council sets them; oversight.models.Timescales, read with the council), so a
list of cases needs no extra queries. They are the same timescales the drift
rules (oversight.rules) hold cases to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority, MeetingName, User

from . import states

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import District
    from oversight.models import Timescales

    from .models import Episode


def timescales_of(council: LocalAuthority) -> Timescales:
    """The council's drift and delay timescales (set on its settings pages;
    oversight.models.Timescales), or their defaults if it has none yet."""
    from django.core.exceptions import ObjectDoesNotExist

    from oversight.models import Timescales

    try:
        return council.timescales
    except ObjectDoesNotExist:
        return Timescales()


def council_of(user: User) -> LocalAuthority:
    """The council of `user` (who has one) with its timescales, read once a
    request: the sign-in backend (accounts.backends) loads both with the user,
    and a user loaded otherwise has them read now and kept."""
    if User.local_authority.is_cached(user) and user.local_authority is not None:
        council = user.local_authority
        timescales_of(council)  # read now if the backend did not
    else:
        councils = LocalAuthority.objects.select_related("timescales")
        council = councils.get(pk=user.local_authority_id or 0)
        user.local_authority = council
    return council


def with_council(cases: list[Episode], user: User) -> list[Episode]:
    """`cases` (the user's council's, as core.policy lets through) given the
    user's council and its timescales, read once (and kept on the user for
    the rest of the request), rather than a copy of both on every row."""
    council_id = user.local_authority_id
    if council_id is None or not cases:
        return cases
    council = council_of(user)
    for case in cases:
        if case.local_authority_id == council_id:
            case.local_authority = council
    return cases


def add_working_days(day: date, days: int) -> date:
    """`days` weekdays after `day` (bank holidays are not known here)."""
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def _after_working_days(moment: datetime | None, days: int) -> date | None:
    return add_working_days(timezone.localdate(moment), days) if moment else None


# Who owes a step: the case's worker (its lead professional, else whoever
# asked for help), or the Early Help Officer of its district.
WORKER = "worker"
DISTRICT_EHO = "district_eho"


class CaseReading(Protocol):
    """What next_step reads of a case: an Episode, or a row of one
    (episodes.work_owed.CaseRow) when a caseload's steps are counted."""

    @property
    def status(self) -> str: ...
    @property
    def lead_professional_id(self) -> int | None: ...
    @property
    def lead_professional_due_by(self) -> date | None: ...
    @property
    def requested_by_id(self) -> int | None: ...
    @property
    def requested_at(self) -> datetime: ...
    @property
    def consent_given_at(self) -> datetime | None: ...
    @property
    def assessment_completed_at(self) -> datetime | None: ...
    @property
    def plan_agreed_at(self) -> datetime | None: ...
    @property
    def last_reviewed_at(self) -> datetime | None: ...
    @property
    def stepped_up_at(self) -> datetime | None: ...
    @property
    def local_authority(self) -> LocalAuthority: ...
    @property
    def district(self) -> District: ...


Case = TypeVar("Case", bound=CaseReading)
# NextStep's own parameter is left unbounded: with a bound, mypy checks
# `NextStep[Episode]` before django-stubs has finished Episode's fields, and
# then holds Episode to be no CaseReading everywhere. next_step and owner_id
# still require a CaseReading.
Of = TypeVar("Of")


@dataclass
class NextStep(Generic[Of]):
    what: StrOrPromise
    due: date | None
    owed_by: str  # WORKER or DISTRICT_EHO
    # The state machine's name for doing it (episodes.states.allows), so the
    # case page can offer the button only when the stage allows it.
    activity: str
    episode: Of = field(repr=False, compare=False)

    @property
    def owner(self: NextStep[Episode]) -> User | None:
        """The User who owes it, or None when nobody is named yet (a step of
        an Episode: a CaseRow has only the ids, see owner_id)."""
        if self.owed_by == WORKER:
            return self.episode.lead_professional or self.episode.requested_by
        return self.episode.district.early_help_officer

    @property
    def owner_id(self: NextStep[Case]) -> int | None:
        """The owner's id, from the case row alone (no user is fetched)."""
        if self.owed_by == WORKER:
            return self.episode.lead_professional_id or self.episode.requested_by_id
        return self.episode.district.early_help_officer_id

    def is_overdue(self, today: date | None = None) -> bool:
        return self.due is not None and self.due < (today or timezone.localdate())


def review_due(
    episode: CaseReading,
    *,
    plan_agreed_on: date | datetime | None = None,
    last_review_on: date | datetime | None = None,
) -> date | None:
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


def meeting_called(episode: CaseReading) -> StrOrPromise:
    """The council's name for the meeting, as a noun: "Team Around the Family
    meeting", but "Child Action Meeting" (not "... Meeting meeting")."""
    # The label straight from the choices: get_meeting_name_display() rebuilds
    # them on every call, which shows on a caseload of hundreds.
    name = MeetingName(episode.local_authority.meeting_name).label
    return name if str(name).lower().endswith("meeting") else format_lazy(_("{} meeting"), name)


def _after(moment: datetime | None, days: int) -> date | None:
    return timezone.localdate(moment) + timedelta(days=days) if moment else None


def next_step(episode: Case) -> NextStep[Case] | None:
    """The one next thing on the case, by when, and who owes it (None once
    closed). Reads only the case row, its district and council."""
    # The stage's table itself: states.next_activity takes an Episode, and
    # this may be a CaseRow.
    activity = states.NEXT_ACTIVITY.get(episode.status)
    if activity is None:
        return None
    if (
        activity == "give_consent"
        and episode.lead_professional_id is None
        and episode.lead_professional_due_by
    ):
        # Stepped down from children's social care: a lead first.
        return NextStep(
            _("Agree a lead professional"),
            episode.lead_professional_due_by,
            DISTRICT_EHO,
            "change_lead",
            episode,
        )
    what, due, owed_by = _NEXT_STEPS[activity](episode)
    return NextStep(what, due, owed_by, activity, episode)


# For each stage's next activity (states.NEXT_ACTIVITY): what it is called,
# when it is due, and who owes it.
_NEXT_STEPS: dict[str, Callable[[CaseReading], tuple[StrOrPromise, date | None, str]]] = {
    "give_consent": lambda episode: (
        _("Record consent"),
        _after(episode.requested_at, timescales_of(episode.local_authority).consent_days),
        WORKER,
    ),
    "edit_assessment": lambda episode: (
        _("Complete the assessment"),
        _after(
            episode.requested_at, timescales_of(episode.local_authority).assessment_complete_days
        ),
        WORKER,
    ),
    "hold_meeting": lambda episode: (
        format_lazy(_("Hold the {meeting} and agree the plan"), meeting=meeting_called(episode)),
        _after(
            episode.assessment_completed_at, timescales_of(episode.local_authority).meeting_days
        ),
        WORKER,
    ),
    "record_review": lambda episode: (_("Review the plan"), review_due(episode), WORKER),
    "record_csc_decision": lambda episode: (
        _("Record children's social care's decision"),
        _after_working_days(
            episode.stepped_up_at,
            timescales_of(episode.local_authority).csc_decision_working_days,
        ),
        DISTRICT_EHO,
    ),
}
