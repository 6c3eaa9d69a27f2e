"""Every figure of the partnership report: what it counts, from which date,
what it leaves out (the words shown beside the figure on the page, in the
workbook and in the CSV), and the query that computes it. The page, the
`partnership_report` command and the tests all read this one module.

Each query is one aggregate over the council's rows for the period, grouped
by the case's district, its requesting organisation's type and the figure's
category: a few hundred rows at most, whatever the size of the council
(reporting/report.py adds them up into tables and protects them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advice.models import AdviceContact
from core.codes import ClosureCode
from episodes.models import Episode, EpisodeNeed, NeedOutcome, RequestSource, Status
from episodes.needs import NEED_OUTCOME, Outcome
from families.models import Feedback
from meetings.models import Meeting
from police.models import PoliceNotification
from referrals.models import Kind, Referral, ReferralStatus
from reviews.models import Review

from .sql import DaysBetween, Percentile, RecordKey

DISTRICT = "district"
ORGANISATION_TYPE = "organisation_type"
BOTH = (DISTRICT, ORGANISATION_TYPE)
RE_REQUEST_DAYS = 365


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included, in the council's local time."""

    start: date
    end: date

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_before(self) -> datetime:
        """The first moment after the period (midnight after `end`)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def moments(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.starts_at, f"{name}__lt": self.ends_before})

    def days(self, name: str) -> Q:
        return Q(**{f"{name}__gte": self.start, f"{name}__lte": self.end})


@dataclass(frozen=True)
class Scope:
    """What a figure is computed for: a council (its id), a period, the
    council's review interval (for reviews on time) and its secret salt for
    record keys (reporting/cellkey.py)."""

    council: int
    period: Period
    review_interval_weeks: int = 8
    salt: str = ""


Rows = QuerySet[Any, dict[str, Any]]


@dataclass(frozen=True)
class Figure:
    id: str
    label: Any
    counts: Any  # what is counted
    dates: Any  # from which date
    excludes: Any  # what is left out
    # (key, label) of each category; () for a single count.
    categories: tuple[tuple[str, Any], ...] = ()
    # Whether every counted thing is in exactly one category (so they add up
    # to the figure's total); needs by headline outcome do not.
    exclusive: bool = True
    dims: tuple[str, ...] = BOTH
    # Counts grouped by d (district id), t (organisation type), c (category):
    # n, and k, the sum of the counted records' keys (reporting/cellkey.py).
    query: Callable[[Scope], Rows] | None = None
    # Another figure's category shown again under this figure's own name:
    # the same cells, so they are suppressed alike.
    same_as: tuple[str, str] | None = None
    # Percent: the share of the total in this category.
    rate_of: str | None = None
    # Median and 90th percentile of days, over the cases this figure counts
    # (`durations`, one query a breakdown).
    durations: Callable[[Scope], QuerySet[Any]] | None = None
    shown: bool = True


def _counted(scope: Scope, model: Any) -> dict[str, Any]:
    """n, the rows counted, and k, the sum of their record keys."""
    return {"n": Count("pk"), "k": Sum(RecordKey(scope.salt, model._meta.db_table))}


def _episode_rows(scope: Scope, where: Q, category: Any = None) -> Rows:
    return (
        Episode.objects.filter(where, local_authority_id=scope.council)
        .order_by()
        .values(d=F("district_id"), t=F("requesting_organisation__type"), c=_category(category))
        .annotate(**_counted(scope, Episode))
    )


def _category(expression: Any) -> Any:
    return Value("", output_field=CharField()) if expression is None else expression


def _requests(scope: Scope) -> Rows:
    return _episode_rows(scope, scope.period.moments("requested_at"), F("source"))


def _assessments_started(scope: Scope) -> Rows:
    return _episode_rows(scope, scope.period.moments("consent_given_at"))


def _assessments_completed(scope: Scope) -> Rows:
    return _episode_rows(scope, scope.period.moments("assessment_completed_at"))


def _plans_agreed(scope: Scope) -> Rows:
    return _episode_rows(scope, scope.period.moments("plan_agreed_at"))


def _meetings_held(scope: Scope) -> Rows:
    council, period = scope.council, scope.period
    return (
        Meeting.objects.filter(
            period.moments("starts_at"),
            local_authority_id=council,
            held=True,
            cancelled_at__isnull=True,
        )
        .order_by()
        .values(
            d=F("episode__district_id"),
            t=F("episode__requesting_organisation__type"),
            c=_category(None),
        )
        .annotate(**_counted(scope, Meeting))
    )


def _reviews(scope: Scope) -> Rows:
    council, period, interval_weeks = scope.council, scope.period, scope.review_interval_weeks
    previous = (
        Review.objects.filter(
            local_authority_id=council,
            episode_id=OuterRef("episode_id"),
            held_on__lt=OuterRef("held_on"),
        )
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    due = ExpressionWrapper(
        Coalesce(Subquery(previous), TruncDate("episode__plan_agreed_at"))
        + timedelta(weeks=interval_weeks),
        output_field=DateField(),
    )
    return (
        Review.objects.filter(period.days("held_on"), local_authority_id=council)
        .annotate(due=due)
        .order_by()
        .values(
            d=F("episode__district_id"),
            t=F("episode__requesting_organisation__type"),
            c=Case(
                When(held_on__lte=F("due"), then=Value("on_time")),
                default=Value("late"),
                output_field=CharField(),
            ),
        )
        .annotate(**_counted(scope, Review))
    )


def _open_at_end(scope: Scope) -> Rows:
    council, period = scope.council, scope.period
    end = period.ends_before
    awaiting_csc = Referral.objects.filter(
        Q(decided_at__isnull=True) | Q(decided_at__gte=end),
        local_authority_id=council,
        episode_id=OuterRef("pk"),
        kind=Kind.STEP_UP,
        sent_at__lt=end,
    )
    stage = Case(
        When(Exists(awaiting_csc), then=Value(Status.STEPPED_UP.value)),
        When(plan_agreed_at__lt=end, then=Value(Status.PLAN.value)),
        When(assessment_completed_at__lt=end, then=Value(Status.MEETING.value)),
        When(consent_given_at__lt=end, then=Value(Status.ASSESSMENT.value)),
        default=Value(Status.REQUESTED.value),
        output_field=CharField(),
    )
    still_open = Q(requested_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    return _episode_rows(scope, still_open, stage)


def _closures(scope: Scope) -> Rows:
    return _episode_rows(scope, scope.period.moments("closed_at"), F("closure_code"))


def _step_ups(scope: Scope) -> Rows:
    council, period = scope.council, scope.period
    end = period.ends_before
    outcome = Case(
        When(status=ReferralStatus.ACCEPTED, decided_at__lt=end, then=Value("accepted")),
        When(status=ReferralStatus.NOT_ACCEPTED, decided_at__lt=end, then=Value("not_accepted")),
        default=Value("awaiting"),
        output_field=CharField(),
    )
    return (
        Referral.objects.filter(
            period.moments("sent_at"), local_authority_id=council, kind=Kind.STEP_UP
        )
        .order_by()
        .values(
            d=F("episode__district_id"), t=F("episode__requesting_organisation__type"), c=outcome
        )
        .annotate(**_counted(scope, Referral))
    )


def _re_requests(scope: Scope) -> Rows:
    council, period = scope.council, scope.period
    closed_before = Episode.objects.filter(
        local_authority_id=council,
        family_id=OuterRef("family_id"),
        closed_at__lt=OuterRef("requested_at"),
        closed_at__gte=OuterRef("requested_at") - timedelta(days=RE_REQUEST_DAYS),
    )
    return _episode_rows(scope, period.moments("requested_at") & Q(Exists(closed_before)))


_OUTCOME_OF_NEED = Case(
    *(When(need=need.value, then=Value(outcome.value)) for need, outcome in NEED_OUTCOME.items()),
    default=Value(""),
    output_field=CharField(),
)


def _needs(scope: Scope, where: Q) -> Rows:
    # A case with several needs under one outcome is counted once: the sum
    # of distinct (case id x 256 + its key) is, modulo 256, the sum of the
    # distinct cases' keys.
    keyed = Cast("episode_id", BigIntegerField()) * 256 + RecordKey(
        scope.salt, Episode._meta.db_table, "episode_id"
    )
    return (
        EpisodeNeed.objects.filter(where, local_authority_id=scope.council)
        .order_by()
        .values(
            d=F("episode__district_id"),
            t=F("episode__requesting_organisation__type"),
            c=_OUTCOME_OF_NEED,
        )
        .annotate(n=Count("episode_id", distinct=True), k=Sum(keyed, distinct=True))
    )


def _needs_by_outcome(scope: Scope) -> Rows:
    period = scope.period
    return _needs(
        scope,
        Q(
            episode__requested_at__gte=period.starts_at,
            episode__requested_at__lt=period.ends_before,
        ),
    )


def _outcomes_achieved(scope: Scope) -> Rows:
    period = scope.period
    return _needs(
        scope,
        Q(
            episode__closed_at__gte=period.starts_at,
            episode__closed_at__lt=period.ends_before,
            outcome=NeedOutcome.ACHIEVED,
        ),
    )


def _advice_calls(scope: Scope) -> Rows:
    council, period = scope.council, scope.period
    return (
        AdviceContact.objects.filter(period.days("received_on"), local_authority_id=council)
        .order_by()
        .values(d=F("district_id"), t=F("caller_organisation__type"), c=_category(None))
        .annotate(**_counted(scope, AdviceContact))
    )


def _police_notifications(scope: Scope) -> Rows:
    council, period = scope.council, scope.period
    return (
        PoliceNotification.objects.filter(period.moments("incident_at"), local_authority_id=council)
        .order_by()
        .values(d=F("district_id"), t=Value("", output_field=CharField()), c=_category(None))
        .annotate(**_counted(scope, PoliceNotification))
    )


def _family_feedback(scope: Scope) -> Rows:
    council, period = scope.council, scope.period
    agreed = Case(
        When(listened__gte=4, then=Value("agreed")),
        default=Value("not_agreed"),
        output_field=CharField(),
    )
    return (
        Feedback.objects.filter(
            period.moments("received_at"), local_authority_id=council, listened__isnull=False
        )
        .order_by()
        .values(
            d=F("episode__district_id"), t=F("episode__requesting_organisation__type"), c=agreed
        )
        .annotate(**_counted(scope, Feedback))
    )


def _request_to_assessment(scope: Scope) -> QuerySet[Any]:
    council, period = scope.council, scope.period
    return Episode.objects.filter(
        period.moments("assessment_completed_at"), local_authority_id=council
    ).annotate(days=DaysBetween("assessment_completed_at", "requested_at"))


def _assessment_to_plan(scope: Scope) -> QuerySet[Any]:
    council, period = scope.council, scope.period
    return Episode.objects.filter(
        period.moments("plan_agreed_at"), local_authority_id=council
    ).annotate(days=DaysBetween("plan_agreed_at", "assessment_completed_at"))


def percentiles(cases: QuerySet[Any], *group_by: str) -> list[dict[str, Any]]:
    """Median and 90th percentile of `days` over `cases`: one row, or one a
    group (`group_by`: fields of the case)."""
    stats = {"median": Percentile("days", 0.5), "p90": Percentile("days", 0.9)}
    if not group_by:
        return [cases.order_by().aggregate(**stats)]
    return list(cases.order_by().values(*group_by).annotate(**stats))


FIGURES: tuple[Figure, ...] = (
    Figure(
        "requests",
        _("Requests for early help"),
        counts=_(
            "Cases asked for, by who asked: a professional, a parent or carer, the young person, "
            "or children's social care stepping a family down."
        ),
        dates=_("The date the request was sent."),
        excludes=_("Advice calls that did not become a request; requests to other councils."),
        categories=tuple((value, label) for value, label in RequestSource.choices),
        query=_requests,
    ),
    Figure(
        "step_downs",
        _("Step-downs from children's social care"),
        counts=_(
            "Requests made by children's social care stepping a family down to early help (the "
            "same cases as the step-down column of the requests)."
        ),
        dates=_("The date the request was sent."),
        excludes=_(
            "Cases closed as 'stepped down to universal services', which are closures, not "
            "requests."
        ),
        same_as=("requests", RequestSource.STEP_DOWN.value),
    ),
    Figure(
        "re_requests",
        _("Re-requests within 12 months of a closure"),
        counts=_(
            "Requests for a family that had a case closed in the 365 days before the request."
        ),
        dates=_("The date of the new request; the earlier case's closing date."),
        excludes=_("A family whose earlier case is still open (it is not a re-request)."),
        query=_re_requests,
    ),
    Figure(
        "assessments_started",
        _("Assessments started"),
        counts=_("Cases whose assessment stage began: consent was recorded."),
        dates=_("The date consent was recorded."),
        excludes=_("Cases closed because consent was declined."),
        query=_assessments_started,
    ),
    Figure(
        "assessments_completed",
        _("Assessments completed"),
        counts=_("Cases whose Early Help Assessment was completed."),
        dates=_("The date the assessment was completed."),
        excludes=_("Assessments still in progress at the end of the period."),
        query=_assessments_completed,
        durations=_request_to_assessment,
    ),
    Figure(
        "meetings_held",
        _("Team Around the Family meetings held"),
        counts=_("Meetings recorded as held (a family may have several)."),
        dates=_("The date the meeting was held."),
        excludes=_("Cancelled meetings, and meetings not yet recorded as held."),
        query=_meetings_held,
    ),
    Figure(
        "plans_agreed",
        _("Plans agreed"),
        counts=_("Cases whose first plan was agreed."),
        dates=_("The date the plan was agreed."),
        excludes=_("Later versions of a plan already agreed."),
        query=_plans_agreed,
        durations=_assessment_to_plan,
    ),
    Figure(
        "reviews",
        _("Reviews held, and on time"),
        counts=_(
            "Plan reviews held; on time means held no later than one review interval (the "
            "council's setting) after the plan was agreed or after the review before it."
        ),
        dates=_("The date the review was held."),
        excludes=_("Reviews that are owed but have not been held (see open cases)."),
        categories=(("on_time", _("On time")), ("late", _("Late"))),
        query=_reviews,
        rate_of="on_time",
    ),
    Figure(
        "open_at_end",
        _("Open cases at the end of the period, by stage"),
        counts=_(
            "Cases asked for by the period's last day and not closed by then, at the stage they "
            "had reached that day (a case stepped up and not accepted counts at the stage it "
            "returned to)."
        ),
        dates=_("The period's last day."),
        excludes=_("Cases closed on or before the last day."),
        categories=tuple(
            (value, label)
            for value, label in (
                (Status.REQUESTED.value, _("Request received")),
                (Status.ASSESSMENT.value, _("Assessment")),
                (Status.MEETING.value, _("Meeting to be held")),
                (Status.PLAN.value, _("Plan in place")),
                (Status.STEPPED_UP.value, _("Awaiting children's social care")),
            )
        ),
        query=_open_at_end,
    ),
    Figure(
        "closures",
        _("Closures, by reason"),
        counts=_("Cases closed, by the closure reason code recorded."),
        dates=_("The date the case closed."),
        excludes=_("Cases still open, including those awaiting children's social care's decision."),
        categories=tuple((value, label) for value, label in ClosureCode.choices),
        query=_closures,
    ),
    Figure(
        "step_ups",
        _("Step-ups to children's social care, and their outcome"),
        counts=_(
            "Referrals to children's social care, by the decision recorded by the period's last "
            "day: accepted, not accepted, or still awaited."
        ),
        dates=_("The date the referral was sent; its decision by the period's last day."),
        excludes=_("Referrals to the Early Help and Family Support Panel."),
        categories=(
            ("accepted", _("Accepted")),
            ("not_accepted", _("Not accepted")),
            ("awaiting", _("Awaiting a decision")),
        ),
        query=_step_ups,
    ),
    Figure(
        "needs_by_outcome",
        _("Needs at the request, by Supporting Families headline outcome"),
        counts=_(
            "Cases asked for, counted once under each headline outcome one of their needs falls "
            "under: a case with needs under two outcomes is counted under both, so the outcomes "
            "add up to more than the cases."
        ),
        dates=_("The date the request was sent."),
        excludes=_("Needs added after the period."),
        categories=tuple((value, label) for value, label in Outcome.choices),
        exclusive=False,
        query=_needs_by_outcome,
    ),
    Figure(
        "outcomes_achieved",
        _("Outcomes achieved at closure, by headline outcome"),
        counts=_(
            "Cases closed with at least one need under the headline outcome recorded as achieved "
            "at closure (a case may count under several outcomes)."
        ),
        dates=_("The date the case closed."),
        excludes=_(
            "Needs partly achieved or not achieved; whether the outcome was sustained afterwards."
        ),
        categories=tuple((value, label) for value, label in Outcome.choices),
        exclusive=False,
        query=_outcomes_achieved,
    ),
    Figure(
        "advice_calls",
        _("Advice calls and emails to Early Help Officers"),
        counts=_(
            "Calls, emails and in-person requests for advice recorded on the advice line, by the "
            "caller's organisation's type."
        ),
        dates=_("The date the advice was asked for."),
        excludes=_("Advice given and not recorded."),
        query=_advice_calls,
    ),
    Figure(
        "police_notifications",
        _("Police notifications"),
        counts=_(
            "Notifications from the police (Operation Encompass and others), by the district of "
            "the child's school or address."
        ),
        dates=_("The date of the incident."),
        excludes=_("Nothing by organisation type: the police send them all."),
        dims=(DISTRICT,),
        query=_police_notifications,
    ),
    Figure(
        "family_feedback",
        _('Families\' feedback: "I felt listened to"'),
        counts=_(
            'Answers to "I felt listened to" given by family members at a review or at '
            "closure, through their link or on paper: agreed (agree or strongly agree; a "
            'child\'s "yes") or not. Counted without names; the percentage is of the answers.'
        ),
        dates=_("The date the answer was received."),
        excludes=_(
            "Feedback that left this question unanswered; the other questions and what "
            "families wrote, which only the case's lead professional, its Early Help Officer "
            "and managers read."
        ),
        categories=(("agreed", _("Agreed")), ("not_agreed", _("Did not agree"))),
        query=_family_feedback,
        rate_of="agreed",
    ),
)

DURATION_LABELS = {
    "assessments_completed": _("Days from request to assessment completed"),
    "plans_agreed": _("Days from assessment completed to plan agreed"),
}
DURATION_TEXT = _(
    "Median and 90th percentile of whole days (local dates), over the cases counted; "
    "shown only where that count is shown (5 or more)."
)

# Beside the figures on the page and in the downloads' About (reporting/cellkey.py).
NOISE_TEXT = _(
    "Every count shown is changed by a small amount, at most 2 either way, which is always "
    "the same for the same records counted, so that reports for overlapping periods cannot be "
    "compared to find out about one family. No count is changed to or from 0, or to a number "
    "from 1 to 4. Totals are changed on their own, so a row may not add up exactly to its "
    "total; percentages are of the counts shown."
)

FIGURES_BY_ID = {figure.id: figure for figure in FIGURES}


__all__ = [
    "BOTH",
    "DISTRICT",
    "DURATION_LABELS",
    "DURATION_TEXT",
    "FIGURES",
    "FIGURES_BY_ID",
    "NOISE_TEXT",
    "ORGANISATION_TYPE",
    "Figure",
    "Period",
    "percentiles",
    "Scope",
]
