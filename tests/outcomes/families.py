"""Hand-built synthetic families for the Supporting Families claim: one that
meets every rule, and the same family failing exactly one."""

import datetime

from django.utils import timezone

from assessments.models import Assessment
from episodes.models import ClosureReason, EpisodeNeed, NeedOutcome, OutcomeEvidence, Status
from outcomes.models import SustainmentCheck
from plans.models import Action, Goal, Plan
from tests.factories import EpisodeFactory

CLOSED_ON = datetime.date(2026, 3, 2)
CHECKED_ON = datetime.date(2026, 9, 10)
# Needs in three headline outcomes: education, health, housing.
NEEDS = ("attendance", "adult_mental_health", "housing")
OUTCOME_OF = {"attendance": "education", "adult_mental_health": "health", "housing": "housing"}


def aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def family(la, district, organisation, lead, *, breaks=None, name="Claimfamily"):
    """A closed case; `breaks` names the one rule (outcomes.claim.RULES) it fails."""
    episode = EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=organisation,
        requested_by=lead,
        family__name=name,
        status=Status.CLOSED,
        closure_reason=ClosureReason.NEEDS_MET,
        requested_at=aware(datetime.date(2025, 9, 1)),
        closed_at=aware(CLOSED_ON),
        lead_professional=None if breaks == "lead_professional" else lead,
    )
    needs = NEEDS[:2] if breaks == "three_outcomes" else NEEDS
    Assessment.objects.create(
        episode=episode,
        started_by=lead,
        updated_by=lead,
        family_circumstances=""
        if breaks == "whole_family_assessment"
        else "Two adults, two children.",
        started_at=aware(datetime.date(2025, 9, 15)),
        completed_at=aware(datetime.date(2025, 10, 1)),
    )
    plan = Plan.objects.create(episode=episode, number=1, agreed_by=lead)
    addressed = needs[:-1] if breaks == "plan_addresses_needs" else needs
    for need in addressed:
        goal = Goal.objects.create(
            plan=plan,
            text="Things are better",
            outcome=OUTCOME_OF[need],
            lead_organisation=organisation,
        )
        Action.objects.create(
            goal=goal,
            what="Weekly visit",
            organisation=organisation,
            worker=lead,
            due_by=CLOSED_ON,
            success_measure="The family says so",
        )
    for index, key in enumerate(needs):
        last = index == len(needs) - 1
        need = EpisodeNeed.objects.create(
            episode=episode,
            need=key,
            recorded_at=aware(datetime.date(2025, 9, 1)),
            outcome=NeedOutcome.PARTLY if breaks == "needs_met" and last else NeedOutcome.ACHIEVED,
            evidence_type=OutcomeEvidence.ATTENDANCE,
            evidence="Attendance 97% this term.",
            outcome_on=datetime.date(2026, 2, 20),
        )
        SustainmentCheck.objects.create(
            episode=episode,
            need=need,
            asked=lead,
            due_on=datetime.date(2026, 9, 2),
            sustained=not (breaks == "needs_sustained" and last),
            evidence_type=OutcomeEvidence.TENANCY,
            evidence="Still in the tenancy.",
            checked_on=CHECKED_ON,
            recorded_by=lead,
            recorded_at=aware(CHECKED_ON),
        )
    return episode
