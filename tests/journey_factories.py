"""Factories and helpers for the meeting, plan and review steps of the journey.
All names and details are invented. Episodes are moved through the real state
machine (episodes.services.transition), never by assigning the status."""

import datetime

import factory
import pytest
from django.utils import timezone

from accounts.models import Role
from assessments.models import Assessment
from consent.models import Consent, Purpose
from episodes.services import transition
from meetings.models import Invitee, Meeting
from people.models import FamilyMember, Relationship
from plans import services as plan_services
from plans.models import Action, Goal, Plan
from tests.factories import PersonFactory, UserFactory

GOAL_LINES = [
    "Sam goes to school every day and feels settled there",
    "The family has a calm morning routine",
]


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    duration_minutes = 60
    location = "Testshire Primary, Room 2"


class InviteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitee


def years_ago(years, today=None):
    """The date `years` years before today (28 February for a 29 February)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def date_fields(name, day):
    """A date as the GOV.UK date input `name` posts it: day, month, year."""
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def add_member(episode, relationship=Relationship.PARENT, **person):
    """A person added to the episode's family."""
    defaults = {"local_authority": episode.local_authority}
    if relationship != Relationship.CHILD:
        defaults["date_of_birth"] = datetime.date(1988, 2, 3)
    defaults.update(person)
    created = PersonFactory(**defaults)
    FamilyMember.objects.create(family=episode.family, person=created, relationship=relationship)
    return created


def complete_assessment(episode, actor, goal_lines=GOAL_LINES):
    """Consent (to the assessment, and to sharing with the requesting
    organisation), an assessment with wellbeing goals, and its completion: the
    episode ends at "meeting"."""
    transition(actor, episode, "give_consent")
    share_with(episode, episode.requesting_organisation, actor)
    Assessment.objects.create(
        episode=episode,
        started_by=actor,
        updated_by=actor,
        wellbeing_goals="\n".join(goal_lines),
        completed_at=timezone.now(),
    )
    transition(actor, episode, "complete_assessment")
    return episode


def share_with(episode, organisation, actor):
    """A family member's current consent to share with `organisation`."""
    return Consent.objects.create(
        episode=episode,
        person=episode.family.memberships.order_by("id").first().person,
        purpose=Purpose.SHARING,
        organisation=organisation,
        given=True,
        method="in_person",
        given_on=timezone.localdate(),
        recorded_by=actor,
    )


def action_data(organisation, worker=None, what="Daily check-in with the family", days=28):
    return {
        "what": what,
        "organisation": organisation,
        "worker": worker,
        "due_by": timezone.localdate() + datetime.timedelta(days=days),
        "success_measure": "Attendance above 95% for four weeks",
    }


def goal_data(organisation, worker=None, text=GOAL_LINES[0], actions=1):
    return {
        "text": text,
        "outcome": "education",
        "lead_organisation": organisation,
        "actions": [
            action_data(organisation, worker, what=f"Action {n + 1} for: {text}")
            for n in range(actions)
        ],
    }


def agree(episode, actor, lead, organisation, goals=2, actions=1):
    """Agree version 1 of the plan with `goals` goals of `actions` actions each."""
    return plan_services.agree_plan(
        actor,
        episode,
        lead_professional=lead,
        goals=[
            goal_data(organisation, lead, text=f"Goal {n + 1}", actions=actions)
            for n in range(goals)
        ],
    )


def plan_actions(plan):
    return list(Action.objects.filter(goal__plan=plan).order_by("goal_id", "due_by", "id"))


# Fixtures, imported by the conftest of tests/meetings, tests/plans and tests/reviews.


@pytest.fixture
def at_meeting(episode, involved):
    """The case with its assessment complete: the meeting is next."""
    return complete_assessment(episode, involved)


@pytest.fixture
def parent(episode):
    return add_member(episode, Relationship.PARENT, first_name="Robin", last_name="Testfamily")


@pytest.fixture
def colleague(la, school):
    """Another worker at the requesting school."""
    return UserFactory(
        local_authority=la,
        email="colleague@test.example",
        full_name="Casey Colleague",
        organisation=school,
        roles=[Role.PRACTITIONER],
    )


@pytest.fixture
def planned(at_meeting, involved, school):
    """The case with version 1 of the plan agreed: two goals of one action each,
    all delivered by the school, led by `involved`."""
    plan = agree(at_meeting, involved, involved, school)
    at_meeting.refresh_from_db()
    return plan


__all__ = [
    "GOAL_LINES",
    "Goal",
    "InviteeFactory",
    "MeetingFactory",
    "Plan",
    "action_data",
    "add_member",
    "at_meeting",
    "colleague",
    "parent",
    "planned",
    "agree",
    "complete_assessment",
    "goal_data",
    "plan_actions",
    "years_ago",
]
