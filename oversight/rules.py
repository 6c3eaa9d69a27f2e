"""The drift and delay rules: each names what has gone past its timescale, in
words an Early Help Officer would use, and finds the cases it applies to in
one council on one day. The thresholds are the council's (oversight.models.
Timescales, and its review interval and step-down timescale); nothing here is
a fixed number of days except where a rule says why.

A rule yields `Found` rows: the case, what in it (an action, a notification),
the day the timescale passed, and a short detail with no family details."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority
from assessments.models import Assessment, ScalingScore, Scorer
from audit.models import Action as AuditAction
from audit.models import AuditEvent
from consent.models import SharingOverride
from episodes import states
from episodes.models import Episode
from episodes.progress import add_working_days
from plans.models import Action, ActionStatus, Plan
from police.models import PoliceNotification
from reviews.models import Review

from .models import Timescales


@dataclass(frozen=True)
class Found:
    episode_id: int | None
    district_id: int | None
    due_since: datetime.date
    subject: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Context:
    la: LocalAuthority
    timescales: Timescales
    today: datetime.date

    def start_of(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def days_ago(self, days: int) -> datetime.datetime:
        """Something dated before this moment had `days` days, all past by today:
        its due date (its day + `days`) is before today."""
        return self.start_of(self.today - datetime.timedelta(days=days))


def _local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


def _open_cases(context: Context, activity: str) -> QuerySet[Episode]:
    return Episode.objects.filter(
        local_authority=context.la, status__in=states.statuses_waiting_for(activity)
    )


def _after(cases: QuerySet[Episode], field: str, days: int, context: Context) -> Iterator[Found]:
    for pk, district_id, moment in cases.filter(
        **{f"{field}__lt": context.days_ago(days)}
    ).values_list("pk", "district_id", field):
        yield Found(pk, district_id, _local_day(moment) + datetime.timedelta(days=days))


def no_consent(context: Context) -> Iterator[Found]:
    yield from _after(
        _open_cases(context, "give_consent"),
        "requested_at",
        context.timescales.consent_days,
        context,
    )


def assessment_not_started(context: Context) -> Iterator[Found]:
    cases = _open_cases(context, "edit_assessment").exclude(
        Exists(Assessment.objects.filter(episode=OuterRef("pk")))
    )
    yield from _after(cases, "consent_given_at", context.timescales.assessment_start_days, context)


def assessment_not_completed(context: Context) -> Iterator[Found]:
    yield from _after(
        _open_cases(context, "edit_assessment"),
        "requested_at",
        context.timescales.assessment_complete_days,
        context,
    )


def no_meeting(context: Context) -> Iterator[Found]:
    yield from _after(
        _open_cases(context, "hold_meeting"),
        "assessment_completed_at",
        context.timescales.meeting_days,
        context,
    )


def no_lead_professional(context: Context) -> Iterator[Found]:
    """A plan with no lead professional is overdue at once (the meeting names
    one); a stepped-down case, once the council's step-down timescale passes."""
    cases = Episode.objects.filter(
        local_authority=context.la,
        status__in=states.statuses_allowing("list_as_open"),
        lead_professional__isnull=True,
    )
    for pk, district_id, status, agreed, due_by in cases.values_list(
        "pk", "district_id", "status", "plan_agreed_at", "lead_professional_due_by"
    ):
        if due_by is not None and due_by < context.today:
            yield Found(pk, district_id, due_by)
        elif status in states.statuses_waiting_for("record_review") and agreed is not None:
            yield Found(pk, district_id, _local_day(agreed))


def review_overdue(context: Context) -> Iterator[Found]:
    interval = datetime.timedelta(weeks=context.la.review_interval_weeks)
    for pk, district_id, agreed, reviewed in _open_cases(context, "record_review").values_list(
        "pk", "district_id", "plan_agreed_at", "last_reviewed_at"
    ):
        last = reviewed or agreed
        if last is not None and _local_day(last) + interval < context.today:
            due = _local_day(last) + interval
            yield Found(
                pk,
                district_id,
                due,
                detail=str(_("Review was due %(day)s")) % {"day": due.strftime("%-d %b %Y")},
            )


# An action is finished when done, or not done with its reason given.
FINISHED_ACTIONS = (ActionStatus.DONE, ActionStatus.NOT_DONE)


def action_overdue(context: Context) -> Iterator[Found]:
    cases = _open_cases(context, "record_review")
    latest = Plan.objects.filter(episode__in=cases).values("episode").annotate(number=Max("number"))
    current = Q()
    for row in latest:
        current |= Q(goal__plan__episode_id=row["episode"], goal__plan__number=row["number"])
    if not latest:
        return
    actions = Action.objects.filter(current, due_by__lt=context.today).exclude(
        status__in=FINISHED_ACTIONS
    )
    for pk, episode_id, district_id, due_by in actions.values_list(
        "pk", "goal__plan__episode_id", "goal__plan__episode__district_id", "due_by"
    ):
        yield Found(episode_id, district_id, due_by, subject=f"action:{pk}")


def no_activity(context: Context) -> Iterator[Found]:
    """Nothing recorded (any change, not a view) for the timescale."""
    days = context.timescales.no_activity_days
    cases = dict(
        Episode.objects.filter(
            local_authority=context.la, status__in=states.statuses_allowing("list_as_open")
        ).values_list("pk", "district_id")
    )
    last = dict(
        AuditEvent.objects.filter(local_authority=context.la, episode_id__in=list(cases))
        .exclude(action=AuditAction.VIEW)
        .values("episode_id")
        .annotate(last=Max("created_at"))
        .values_list("episode_id", "last")
    )
    limit = context.days_ago(days)
    for pk, district_id in cases.items():
        moment = last.get(pk)
        if moment is not None and moment < limit:
            yield Found(pk, district_id, _local_day(moment) + datetime.timedelta(days=days))


def open_too_long(context: Context) -> Iterator[Found]:
    months = context.timescales.open_months
    # A month as 30 days: the rule asks "about a year", not a calendar sum.
    days = months * 30
    cases = Episode.objects.filter(
        local_authority=context.la, status__in=states.statuses_allowing("list_as_open")
    )
    yield from _after(cases, "requested_at", days, context)


def override_not_reviewed(context: Context) -> Iterator[Found]:
    overrides = SharingOverride.objects.filter(
        episode__local_authority=context.la, reviewed_at__isnull=True, ended_at__isnull=True
    )
    for pk, episode_id, district_id, recorded in overrides.values_list(
        "pk", "episode_id", "episode__district_id", "recorded_at"
    ):
        due = add_working_days(
            _local_day(recorded), context.timescales.override_review_working_days
        )
        if due < context.today:
            yield Found(episode_id, district_id, due, subject=f"override:{pk}")


def step_up_no_decision(context: Context) -> Iterator[Found]:
    for pk, district_id, stepped_up in _open_cases(context, "record_csc_decision").values_list(
        "pk", "district_id", "stepped_up_at"
    ):
        if stepped_up is None:
            continue
        due = add_working_days(_local_day(stepped_up), context.timescales.csc_decision_working_days)
        if due < context.today:
            yield Found(pk, district_id, due)


def police_not_acknowledged(context: Context) -> Iterator[Found]:
    late = PoliceNotification.objects.filter(
        local_authority=context.la,
        acknowledged_at__isnull=True,
        acknowledge_by__lt=context.start_of(context.today + datetime.timedelta(days=1)),
    )
    for pk, episode_id, district_id, due, reference in late.values_list(
        "pk", "episode_id", "district_id", "acknowledge_by", "police_reference"
    ):
        if due < timezone.now() or _local_day(due) < context.today:
            yield Found(
                episode_id,
                district_id,
                _local_day(due),
                subject=f"police:{pk}",
                detail=str(_("Police reference %(reference)s")) % {"reference": reference},
            )


def _review_scores(cases: QuerySet[Episode]) -> dict[int, list[dict[str, list[int]]]]:
    """Per case, its reviews' scores (oldest first), by who gave them."""
    rows = (
        ScalingScore.objects.filter(review__episode__in=cases)
        .order_by("review__held_on", "review_id")
        .values_list("review__episode_id", "review_id", "scorer", "score")
    )
    by_case: dict[int, dict[int, dict[str, list[int]]]] = {}
    for episode_id, review_id, scorer, score in rows:
        by_case.setdefault(episode_id, {}).setdefault(review_id, {}).setdefault(scorer, []).append(
            score
        )
    return {episode_id: list(reviews.values()) for episode_id, reviews in by_case.items()}


def _family(scores: dict[str, list[int]]) -> float | None:
    given = scores.get(Scorer.PARENT, []) + scores.get(Scorer.CHILD, [])
    return sum(given) / len(given) if given else None


def scaling_not_rising(context: Context) -> Iterator[Found]:
    """The family's scaling score (0 to 10) has not risen over the last two
    reviews. Scores are given for the case, not per goal, here."""
    cases = _open_cases(context, "record_review")
    districts = dict(cases.values_list("pk", "district_id"))
    for episode_id, reviews in _review_scores(cases).items():
        family = [score for review in reviews if (score := _family(review)) is not None]
        if len(family) >= 3 and family[-1] <= family[-3] and family[-2] <= family[-3]:
            last_review = Review.objects.filter(episode_id=episode_id).order_by("-held_on").first()
            due = last_review.held_on if last_review else context.today
            yield Found(episode_id, districts.get(episode_id), due)


SCORE_GAP = 4  # the issue's own figure: a gap this wide means they see it differently


def scores_far_apart(context: Context) -> Iterator[Found]:
    """At the last review, the family's and the practitioner's scores differ by 4 or more."""
    cases = _open_cases(context, "record_review")
    districts = dict(cases.values_list("pk", "district_id"))
    for episode_id, reviews in _review_scores(cases).items():
        last = reviews[-1]
        family = _family(last)
        practitioner = last.get(Scorer.PRACTITIONER)
        if family is not None and practitioner and abs(family - practitioner[0]) >= SCORE_GAP:
            review = Review.objects.filter(episode_id=episode_id).order_by("-held_on").first()
            yield Found(
                episode_id, districts.get(episode_id), review.held_on if review else context.today
            )


@dataclass(frozen=True)
class Rule:
    key: str
    label: str | Promise
    explanation: str | Promise
    severity: int  # 3 urgent (a child may be at risk), 2 high, 1 normal
    find: Callable[[Context], Iterator[Found]]


RULES = (
    Rule(
        "step_up_no_decision",
        _("Step-up with no decision"),
        _(
            "Children's social care's decision on a step-up is not recorded within the "
            "council's working days."
        ),
        3,
        step_up_no_decision,
    ),
    Rule(
        "police_not_acknowledged",
        _("Police notification not acknowledged"),
        _("A police notification was not acknowledged before the school day started."),
        3,
        police_not_acknowledged,
    ),
    Rule(
        "override_not_reviewed",
        _("Sharing without consent not reviewed"),
        _("Information was shared without consent and the review is overdue."),
        3,
        override_not_reviewed,
    ),
    Rule(
        "no_consent",
        _("No consent recorded"),
        _("A request for help has no consent recorded within the council's timescale."),
        2,
        no_consent,
    ),
    Rule(
        "assessment_not_started",
        _("Assessment not started"),
        _("Consent was given but the assessment has not been started."),
        2,
        assessment_not_started,
    ),
    Rule(
        "assessment_not_completed",
        _("Assessment not completed"),
        _("The assessment is not completed within the timescale from the request."),
        2,
        assessment_not_completed,
    ),
    Rule(
        "no_meeting",
        _("No meeting after the assessment"),
        _("The assessment is complete but the first meeting has not been held."),
        2,
        no_meeting,
    ),
    Rule(
        "no_lead_professional",
        _("No lead professional"),
        _(
            "The case has no lead professional: after the meeting, or after a step-down "
            "once the council's timescale has passed."
        ),
        2,
        no_lead_professional,
    ),
    Rule(
        "review_overdue",
        _("Review overdue"),
        _("The plan was not reviewed within the council's review interval."),
        2,
        review_overdue,
    ),
    Rule(
        "action_overdue",
        _("Plan action overdue"),
        _("An action of the current plan is past its date and not done."),
        1,
        action_overdue,
    ),
    Rule(
        "no_activity",
        _("No recorded activity"),
        _("Nothing has been recorded on the open case for the council's timescale."),
        1,
        no_activity,
    ),
    Rule(
        "open_too_long",
        _("Open a long time"),
        _("The case has been open longer than the council's timescale."),
        1,
        open_too_long,
    ),
    Rule(
        "scaling_not_rising",
        _("Scaling not rising"),
        _("The family's scaling score has not risen over the last two reviews."),
        1,
        scaling_not_rising,
    ),
    Rule(
        "scores_far_apart",
        _("Family and practitioner see it differently"),
        _("At the last review the family's and the practitioner's scores differ by 4 or more."),
        1,
        scores_far_apart,
    ),
)
RULES_BY_KEY = {rule.key: rule for rule in RULES}
