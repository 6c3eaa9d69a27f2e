"""The indicators, worked by hand on a small fixed world.

Today is 15 July 2026, so the 12 months shown are July 2025 to June 2026;
the council's timescale for an assessment is 45 days and its review interval
8 weeks (56 days), the defaults. Every date below is a day in the council's
time zone, at midday unless a boundary needs otherwise."""

import datetime

import pytest
from django.utils import timezone

from episodes.models import Episode, Status
from performance.indicators import (
    COUNCIL,
    INDICATORS_BY_KEY,
    SUPPRESSED,
    Figure,
    Window,
    compute,
    last_months,
    status_of,
)
from performance.indicators import (
    Status as Rag,
)
from performance.models import Targets
from plans.models import Plan
from reviews.models import Review
from tests.factories import DistrictFactory, EpisodeFactory, FamilyFactory, OrganisationFactory

TODAY = datetime.date(2026, 7, 15)
MARCH = 8  # the index of March 2026 among the 12 months
APRIL = 9
MAY = 10
JUNE = 11


def at(day, hour=12, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def d(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def world(la, district, school, involved):
    health = OrganisationFactory(local_authority=la, name="Health centre", type="health")
    other = DistrictFactory(local_authority=la, name="West District")
    return {"la": la, "near": district, "west": other, "school": school, "health": health}


@pytest.fixture
def make_case(world, involved):
    def make(*, requested, district="near", org="school", family=None, **fields):
        kwargs = {
            "local_authority": world["la"],
            "district": world[district],
            "requesting_organisation": world[org],
            "requested_by": involved,
        }
        if family is not None:
            kwargs["family"] = family
        episode = EpisodeFactory(**kwargs)
        Episode.objects.filter(pk=episode.pk).update(requested_at=at(requested), **fields)
        episode.refresh_from_db()
        return episode

    return make


def result(la, key):
    return compute(INDICATORS_BY_KEY[key], Window.of(la, TODAY), Targets(local_authority=la))


def test_the_months_are_the_twelve_complete_months_before_today():
    months = last_months(TODAY)
    assert months[0] == d("2025-07-01")
    assert months[-1] == d("2026-06-01")
    assert len(months) == 12
    assert last_months(d("2026-01-01"))[-1] == d("2025-12-01")


def test_assessments_are_counted_in_the_month_they_were_due_and_day_45_is_within(make_case, world):
    # Due 45 days after the request: a request on 15 April is due 30 May.
    on_the_day = make_case(
        requested=d("2026-04-15"),
        status=Status.MEETING,
        assessment_completed_at=at(d("2026-05-30"), 23, 30),
    )
    a_day_late = make_case(
        requested=d("2026-04-15"),
        status=Status.MEETING,
        assessment_completed_at=at(d("2026-05-31"), 0, 30),
    )
    # Still waiting, and due in May: late.
    make_case(requested=d("2026-04-10"), status=Status.ASSESSMENT)
    # Closed 20 days after the request without an assessment: left out.
    make_case(
        requested=d("2026-04-10"),
        status=Status.CLOSED,
        closure_reason="consent_declined",
        closed_at=at(d("2026-04-30")),
    )
    # Closed 50 days after, without an assessment: late.
    make_case(
        requested=d("2026-04-01"),
        status=Status.CLOSED,
        closure_reason="disengaged",
        closed_at=at(d("2026-05-21")),
    )
    # Due in June (request 17 April + 45 = 1 June): not May.
    make_case(
        requested=d("2026-04-17"),
        status=Status.MEETING,
        assessment_completed_at=at(d("2026-04-20")),
    )
    figures = result(world["la"], "assessment_on_time").months_of(COUNCIL)

    assert figures[MAY] == Figure(met=1, base=4)
    assert figures[JUNE] == Figure(met=1, base=1)
    assert figures[APRIL] == Figure(0, 0)
    assert on_the_day.pk and a_day_late.pk


def test_the_breakdowns_add_up_to_the_council(make_case, world):
    for org, district in (("school", "near"), ("health", "west"), ("health", "near")):
        make_case(
            requested=d("2026-04-15"),
            district=district,
            org=org,
            status=Status.MEETING,
            assessment_completed_at=at(d("2026-04-25")),
        )
    outcome = result(world["la"], "assessment_on_time")

    assert outcome.months_of(COUNCIL)[MAY] == Figure(3, 3)
    assert outcome.months_of(("type", "health"))[MAY] == Figure(2, 2)
    assert outcome.months_of(("type", "school"))[MAY] == Figure(1, 1)
    assert outcome.months_of(("district", str(world["west"].pk)))[MAY] == Figure(1, 1)
    assert outcome.months_of(("district", str(world["near"].pk)))[MAY] == Figure(2, 2)


def _plan(episode, agreed, involved):
    Episode.objects.filter(pk=episode.pk).update(plan_agreed_at=at(agreed))
    return Plan.objects.create(episode=episode, number=1, agreed_at=at(agreed), agreed_by=involved)


def _review(episode, plan, held_on, involved):
    Review.objects.create(
        episode=episode,
        plan=plan,
        held_on=held_on,
        family_views="Synthetic views.",
        engagement="fully",
        decision="continue",
        recorded_by=involved,
    )
    Episode.objects.filter(pk=episode.pk).update(last_reviewed_at=at(held_on))


def test_first_reviews_and_reviews_on_time(make_case, world, involved):
    # Plan agreed 1 March: first review due 26 April (56 days).
    on_time = make_case(requested=d("2026-01-05"), status=Status.PLAN)
    plan = _plan(on_time, d("2026-03-01"), involved)
    _review(on_time, plan, d("2026-04-26"), involved)  # on the day: on time
    _review(on_time, plan, d("2026-06-22"), involved)  # due 21 June: a day late

    late = make_case(requested=d("2026-01-05"), status=Status.PLAN)
    plan = _plan(late, d("2026-03-02"), involved)
    _review(late, plan, d("2026-04-28"), involved)  # due 27 April: late
    # Its next was due 23 June, not held, still open: late in June.

    never = make_case(requested=d("2026-01-05"), status=Status.PLAN)
    _plan(never, d("2026-03-03"), involved)  # due 28 April, never held: late

    closed_early = make_case(
        requested=d("2026-01-05"),
        status=Status.CLOSED,
        closure_reason="needs_met",
        closed_at=at(d("2026-04-01")),
    )
    _plan(closed_early, d("2026-03-04"), involved)  # closed before due: left out

    first = result(world["la"], "first_review_on_time").months_of(COUNCIL)
    assert first[APRIL] == Figure(met=1, base=3)

    reviews = result(world["la"], "reviews_on_time").months_of(COUNCIL)
    # April: on_time's first (on time), late's first (late), never's (missed).
    assert reviews[APRIL] == Figure(met=1, base=3)
    # June: on_time's second (late), late's second (missed, still open).
    assert reviews[JUNE] == Figure(met=0, base=2)


def test_a_re_request_is_a_request_within_365_days_of_the_familys_last_closure(make_case, world):
    family = FamilyFactory(local_authority=world["la"])
    make_case(
        requested=d("2025-01-10"),
        family=family,
        status=Status.CLOSED,
        closure_reason="needs_met",
        closed_at=at(d("2025-05-01")),
    )
    again = make_case(requested=d("2026-05-01"), family=family)  # 365 days: counts
    late_family = FamilyFactory(local_authority=world["la"])
    make_case(
        requested=d("2025-01-10"),
        family=late_family,
        status=Status.CLOSED,
        closure_reason="needs_met",
        closed_at=at(d("2025-04-30")),
    )
    make_case(requested=d("2026-05-01"), family=late_family)  # 366 days: does not
    make_case(requested=d("2026-05-20"))  # a new family
    figures = result(world["la"], "re_requests").months_of(COUNCIL)

    assert figures[MAY] == Figure(met=1, base=3)
    assert again.pk


@pytest.mark.parametrize(
    ("met", "base", "higher", "expected"),
    [
        (8, 10, True, Rag.GREEN),  # 80% on a target of 80: met
        (76, 100, True, Rag.AMBER),  # 4 points short, band 5
        (75, 100, True, Rag.AMBER),  # exactly the band
        (74, 100, True, Rag.RED),
        (20, 100, False, Rag.GREEN),  # at most 20%
        (25, 100, False, Rag.AMBER),
        (26, 100, False, Rag.RED),
        (0, 0, True, Rag.NO_DATA),
        (4, 4, True, Rag.NO_DATA),  # a base of 4 gets no status
    ],
)
def test_red_amber_green(met, base, higher, expected):
    target = 80 if higher else 20
    assert status_of(Figure(met, base), target, 5, higher_is_better=higher) == expected


@pytest.mark.parametrize(
    ("figure", "shown"),
    [
        (Figure(0, 0), "–"),
        (Figure(1, 1), SUPPRESSED),
        (Figure(0, 4), SUPPRESSED),
        (Figure(4, 5), "80%"),
        (Figure(2, 3), SUPPRESSED),
    ],
)
def test_a_base_of_one_to_four_is_never_shown_as_a_percentage(figure, shown):
    assert figure.shown == shown
    assert (figure.met_shown == SUPPRESSED) == (0 < figure.base < 5)
