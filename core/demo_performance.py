"""Demo only: a year and more of finished casework, so a manager's
performance indicators (performance/) have a trend to show. Each month a
dozen synthetic families asked for help; most were assessed within the
council's timescale, had their plan reviewed and closed; some were late, some
came back within the year. The cases are written as they would stand today
(closed, with their dates), not walked through the domain functions: the
walk would stamp today's date on every step."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from assessments.models import Assessment
from episodes.models import ClosureReason, Episode, EpisodeChild, Status
from people.models import Family, FamilyMember, Person, Relationship
from plans.models import Plan
from reviews.models import Review

MONTHS = 15
CASES_A_MONTH = 12
FIRST_NAMES = ["Alex", "Bailey", "Casey", "Devon", "Ellis", "Frankie", "Harper", "Jordan"]
SURNAMES = ["Exampleton", "Sampleby", "Testwood", "Demoford", "Mockridge", "Placeholm"]


def _moment(day: date, hour: int = 11) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _family(la: Any, rng: random.Random, today: date) -> Family:
    surname = rng.choice(SURNAMES)
    family = Family.objects.create(local_authority=la, name=f"{surname} family")
    child = Person.objects.create(
        local_authority=la,
        first_name=rng.choice(FIRST_NAMES),
        last_name=surname,
        date_of_birth=today - timedelta(days=rng.randint(2 * 365, 15 * 365)),
    )
    FamilyMember.objects.create(family=family, person=child, relationship=Relationship.CHILD)
    return family


def add_history(la: Any, districts: list, organisations: list, staff: dict) -> None:
    """About CASES_A_MONTH closed cases a month for MONTHS months, ending
    three months ago (later ones would still be open)."""
    rng = random.Random(f"history-{la.slug}")  # its own, so the rest of the demo is unchanged
    today = timezone.localdate()
    worker = staff["practitioner"]
    interval = timedelta(weeks=la.review_interval_weeks)
    requesters = [org for org in organisations if org.type != "early_help"] or organisations
    families: list[Family] = []
    for month in range(MONTHS + 3, 3, -1):
        for _n in range(CASES_A_MONTH + rng.randint(-3, 3)):
            requested = today - timedelta(days=30 * month + rng.randint(0, 29))
            # A re-request: a family whose last case closed in the past year.
            came_back = len(families) > 60 and rng.random() < 0.15
            family = rng.choice(families[-120:-40]) if came_back else _family(la, rng, today)
            families.append(family)
            # Most assessments within 45 days, some late; districts differ a little.
            district = rng.choice(districts)
            late = rng.random() < (0.12 if district == districts[0] else 0.25)
            assessed = requested + timedelta(
                days=rng.randint(46, 70) if late else rng.randint(10, 45)
            )
            agreed = assessed + timedelta(days=rng.randint(7, 20))
            reviews = []
            held = agreed
            for _r in range(rng.randint(1, 3)):
                held = (
                    held + interval + timedelta(days=rng.choice([0, -3, -7, 2, 0, -1, -5, 0, 10]))
                )
                reviews.append(held)
            closed = min(reviews[-1], today - timedelta(days=1))
            reviews = [day for day in reviews if day <= closed]
            organisation = rng.choice(requesters)
            episode = Episode.objects.create(
                local_authority=la,
                district=district,
                family=family,
                status=Status.CLOSED,
                closure_reason=ClosureReason.NEEDS_MET,
                worries="Synthetic history for the performance indicators.",
                requested_by=worker,
                requesting_organisation=organisation,
                lead_professional=worker,
                requested_at=_moment(requested),
                consent_given_at=_moment(requested + timedelta(days=3)),
                assessment_completed_at=_moment(assessed),
                plan_agreed_at=_moment(agreed),
                last_reviewed_at=_moment(reviews[-1]) if reviews else None,
                closed_at=_moment(closed, 16),
            )
            child = family.memberships.filter(relationship=Relationship.CHILD).first()
            if child is not None:
                EpisodeChild.objects.create(episode=episode, person=child.person)
            Assessment.objects.create(
                episode=episode,
                family_story="Synthetic history.",
                started_at=_moment(requested + timedelta(days=3)),
                started_by=worker,
                completed_at=_moment(assessed),
                completed_by=worker,
                updated_by=worker,
            )
            plan = Plan.objects.create(
                episode=episode, number=1, agreed_at=_moment(agreed), agreed_by=worker
            )
            Review.objects.bulk_create(
                Review(
                    episode=episode,
                    plan=plan,
                    held_on=day,
                    family_views="Synthetic history.",
                    engagement="fully",
                    decision="close" if day == reviews[-1] else "continue",
                    recorded_by=worker,
                    recorded_at=_moment(day, 17),
                )
                for day in reviews
            )
