"""Each drift rule with a fixed clock: a case just past its timescale is
found, one on its last day is not; and the evaluation keeps, resolves and
never duplicates alerts."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from assessments.models import Assessment, ScalingScore, Scorer
from audit.models import Action as AuditAction
from audit.services import record
from consent.models import SharingOverride
from episodes.models import Episode, Status
from oversight.evaluation import evaluate, find_all, timescales_for
from oversight.models import Alert
from oversight.rules import add_working_days
from plans.models import Action, ActionStatus, Goal, Plan
from police.models import PoliceNotification
from reviews.models import Review
from tests.factories import EpisodeFactory

LONDON = ZoneInfo("Europe/London")
TODAY = datetime.date(2026, 3, 20)  # a Friday


def moment(day, hour=12):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def days_before(days):
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def case(la, district, school, involved):
    def make(status, **fields):
        episode = EpisodeFactory(
            local_authority=la,
            district=district,
            requesting_organisation=school,
            requested_by=involved,
            requested_at=moment(TODAY),
        )
        Episode.objects.filter(pk=episode.pk).update(status=status, **fields)
        episode.refresh_from_db()
        return episode

    return make


def found(la, rule):
    return {key[1:] for key in find_all(la, TODAY) if key[0] == rule}


def ids(*episodes, subject=""):
    return {(episode.pk, subject) for episode in episodes}


def test_no_consent_after_the_councils_days(la, case):
    late = case(Status.REQUESTED, requested_at=moment(days_before(11)))
    case(Status.REQUESTED, requested_at=moment(days_before(10)))  # its last day

    assert found(la, "no_consent") == ids(late)

    timescales = timescales_for(la)
    timescales.consent_days = 12
    timescales.save()
    assert found(la, "no_consent") == set()


def test_assessment_not_started_after_consent(la, case, involved):
    late = case(Status.ASSESSMENT, consent_given_at=moment(days_before(11)))
    case(Status.ASSESSMENT, consent_given_at=moment(days_before(10)))
    started = case(Status.ASSESSMENT, consent_given_at=moment(days_before(30)))
    Assessment.objects.create(episode=started, started_by=involved, updated_by=involved)

    assert found(la, "assessment_not_started") == ids(late)


def test_assessment_not_completed_from_the_request(la, case):
    late = case(
        Status.ASSESSMENT, requested_at=moment(days_before(46)), consent_given_at=moment(TODAY)
    )
    case(Status.ASSESSMENT, requested_at=moment(days_before(45)), consent_given_at=moment(TODAY))

    assert found(la, "assessment_not_completed") == ids(late)


def test_no_meeting_after_a_completed_assessment(la, case):
    late = case(Status.MEETING, assessment_completed_at=moment(days_before(21)))
    case(Status.MEETING, assessment_completed_at=moment(days_before(20)))

    assert found(la, "no_meeting") == ids(late)


def test_no_lead_professional_after_the_meeting_or_the_step_down_timescale(la, case, other_org):
    plan_without = case(Status.PLAN, plan_agreed_at=moment(days_before(1)))
    case(Status.PLAN, plan_agreed_at=moment(days_before(1)), lead_professional=other_org)
    stepped_down = case(Status.ASSESSMENT, lead_professional_due_by=days_before(1))
    case(Status.ASSESSMENT, lead_professional_due_by=TODAY)

    assert found(la, "no_lead_professional") == ids(plan_without, stepped_down)


def test_review_overdue_by_the_councils_interval(la, case, other_org):
    weeks = la.review_interval_weeks
    late = case(
        Status.PLAN,
        lead_professional=other_org,
        plan_agreed_at=moment(TODAY - datetime.timedelta(weeks=weeks, days=1)),
    )
    case(
        Status.PLAN,
        lead_professional=other_org,
        plan_agreed_at=moment(TODAY - datetime.timedelta(weeks=weeks, days=1)),
        last_reviewed_at=moment(days_before(3)),
    )

    assert found(la, "review_overdue") == ids(late)


def test_an_action_of_the_current_plan_past_its_date_and_not_done(la, case, other_org, school):
    episode = case(Status.PLAN, lead_professional=other_org, plan_agreed_at=moment(TODAY))
    old = Plan.objects.create(episode=episode, number=1, agreed_by=other_org)
    current = Plan.objects.create(episode=episode, number=2, agreed_by=other_org)

    def action(plan, due_by, status=ActionStatus.IN_PROGRESS):
        goal = Goal.objects.create(plan=plan, text="A goal", lead_organisation=school)
        return Action.objects.create(
            goal=goal,
            what="Something",
            organisation=school,
            due_by=due_by,
            success_measure="Seen",
            status=status,
            not_done_reason="Could not" if status == ActionStatus.NOT_DONE else "",
        )

    late = action(current, days_before(1))
    action(current, TODAY)
    action(current, days_before(5), ActionStatus.DONE)
    action(current, days_before(5), ActionStatus.NOT_DONE)
    action(old, days_before(5))  # a past version's action

    assert found(la, "action_overdue") == {(episode.pk, f"action:{late.pk}")}


def test_no_recorded_activity_counts_changes_not_views(la, case, involved):
    quiet = case(Status.ASSESSMENT)
    busy = case(Status.ASSESSMENT)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("audit.services.timezone.now", lambda: moment(days_before(40)))
        record(AuditAction.UPDATE, actor=involved, obj=quiet)
        record(AuditAction.UPDATE, actor=involved, obj=busy)
        patch.setattr("audit.services.timezone.now", lambda: moment(days_before(2)))
        record(AuditAction.VIEW, actor=involved, obj=quiet)  # a view is not activity
        record(AuditAction.UPDATE, actor=involved, obj=busy)

    assert found(la, "no_activity") == ids(quiet)


def test_open_longer_than_the_councils_months(la, case):
    long = case(Status.PLAN, requested_at=moment(days_before(361)))
    case(Status.PLAN, requested_at=moment(days_before(360)))

    assert (long.pk, "") in found(la, "open_too_long")
    assert len(found(la, "open_too_long")) == 1


def test_sharing_without_consent_unreviewed_after_two_working_days(la, case, involved, school):
    episode = case(Status.ASSESSMENT)

    def override(recorded_on, **fields):
        return SharingOverride.objects.create(
            episode=episode,
            organisation=school,
            reason="Risk",
            recorded_by=involved,
            recorded_at=moment(recorded_on),
            **fields,
        )

    late = override(datetime.date(2026, 3, 17))  # Tuesday: due Thursday 19th
    override(datetime.date(2026, 3, 18))  # Wednesday: due Friday, today
    override(datetime.date(2026, 3, 2), reviewed_at=moment(TODAY))

    assert found(la, "override_not_reviewed") == {(episode.pk, f"override:{late.pk}")}


def test_working_days_skip_the_weekend():
    assert add_working_days(datetime.date(2026, 3, 20), 1) == datetime.date(2026, 3, 23)


def test_a_step_up_with_no_decision_after_a_working_day(la, case):
    late = case(Status.STEPPED_UP, stepped_up_at=moment(datetime.date(2026, 3, 18)))
    case(Status.STEPPED_UP, stepped_up_at=moment(datetime.date(2026, 3, 19)))

    assert found(la, "step_up_no_decision") == ids(late)


def test_a_police_notification_not_acknowledged_by_its_deadline(la):
    def notification(reference, due, **fields):
        return PoliceNotification.objects.create(
            local_authority=la,
            police_reference=reference,
            incident_at=moment(days_before(3)),
            kind="other",
            circumstances="x",
            acknowledge_by=moment(due, 8),
            **fields,
        )

    late = notification("P1", days_before(1))
    notification("P2", days_before(1), acknowledged_at=moment(days_before(2)))
    notification("P3", TODAY + datetime.timedelta(days=3))

    assert found(la, "police_not_acknowledged") == {(None, f"police:{late.pk}")}


def _review(episode, plan, day, **scores):
    review = Review.objects.create(
        episode=episode,
        plan=plan,
        held_on=day,
        family_views="v",
        engagement="engaged",
        decision="continue",
        recorded_by=plan.agreed_by,
    )
    for scorer, score in scores.items():
        ScalingScore.objects.create(review=review, scorer=scorer, score=score)
    return review


def test_scaling_that_does_not_rise_and_scores_far_apart(la, case, other_org):
    stuck = case(Status.PLAN, lead_professional=other_org, plan_agreed_at=moment(TODAY))
    rising = case(Status.PLAN, lead_professional=other_org, plan_agreed_at=moment(TODAY))
    for episode, family in ((stuck, (5, 5, 4)), (rising, (3, 4, 6))):
        plan = Plan.objects.create(episode=episode, number=1, agreed_by=other_org)
        for weeks, score in zip((24, 16, 8), family, strict=True):
            _review(
                episode,
                plan,
                TODAY - datetime.timedelta(weeks=weeks),
                **{
                    Scorer.PARENT: score,
                    Scorer.PRACTITIONER: score + (4 if weeks == 8 and episode == rising else 0),
                },
            )

    assert found(la, "scaling_not_rising") == ids(stuck)
    assert found(la, "scores_far_apart") == ids(rising)


# The evaluation --------------------------------------------------------------------


def test_the_evaluation_keeps_one_alert_resolves_it_and_runs_once_a_day(la, case):
    late = case(Status.REQUESTED, requested_at=moment(days_before(11)))

    first = evaluate(la, TODAY)
    again = evaluate(la, TODAY)

    assert (first.created, again.pk) == (1, first.pk)
    alert = Alert.objects.get()
    assert (alert.rule, alert.episode, alert.due_since, alert.first_seen) == (
        "no_consent",
        late,
        days_before(1),
        TODAY,
    )
    evaluate(la, TODAY + datetime.timedelta(days=1))
    assert Alert.objects.count() == 1  # still true: the same alert

    Episode.objects.filter(pk=late.pk).update(
        status=Status.ASSESSMENT, consent_given_at=moment(TODAY)
    )
    run = evaluate(la, TODAY + datetime.timedelta(days=2))
    alert.refresh_from_db()
    assert (run.resolved, alert.resolved_on) == (1, TODAY + datetime.timedelta(days=2))


def test_another_councils_cases_are_not_evaluated(la, other_la, case):
    case(Status.REQUESTED, requested_at=moment(days_before(11)))

    assert evaluate(other_la, TODAY).created == 0
