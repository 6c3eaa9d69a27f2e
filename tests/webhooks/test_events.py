"""Each event partner systems may subscribe to is emitted by the domain
function where it happens, once, and reaches a subscribed client whose
organisation may see the case."""

import datetime

import pytest
from django.utils import timezone

from episodes.lead_professional import change_lead_professional
from episodes.models import ClosureReason
from episodes.services import transition
from oversight.evaluation import evaluate
from plans import services as plan_services
from tests.journey_factories import (  # noqa: F401
    agree,
    colleague,
    complete_assessment,
    goal_data,
)
from webhooks.models import Delivery, Event


@pytest.fixture
def listening(school_system, subscribe):
    subscribe(school_system, events=Event.values)
    return school_system


def heard(capture, action):
    """The events posted while `action` runs (and its transaction commits)."""
    before = set(Delivery.objects.values_list("pk", flat=True))
    with capture(execute=True):
        action()
    return [
        made.event
        for made in Delivery.objects.exclude(pk__in=before).order_by("pk")
        if made.status == Delivery.Status.DELIVERED
    ]


def test_the_request_taken_up_is_heard_once_the_sharing_in_the_same_conversation_is_saved(
    episode, involved, listening, receiver, django_capture_on_commit_callbacks
):
    # Consent to the assessment first, then to sharing with the school: the
    # school hears of it, as the whole change is committed before fanning out.
    assert heard(
        django_capture_on_commit_callbacks, lambda: complete_assessment(episode, involved)
    ) == [Event.REQUEST_TAKEN_UP]


def test_agreeing_the_plan_tells_of_the_lead_and_the_plan(
    episode, involved, school, listening, receiver, django_capture_on_commit_callbacks
):
    complete_assessment(episode, involved)
    assert heard(
        django_capture_on_commit_callbacks, lambda: agree(episode, involved, involved, school)
    ) == [Event.LEAD_PROFESSIONAL_AGREED, Event.PLAN_CHANGED]


@pytest.fixture
def led(episode, involved, school):
    complete_assessment(episode, involved)
    plan = agree(episode, involved, involved, school)
    episode.refresh_from_db()
    return plan


def test_a_new_lead_a_new_plan_version_and_a_due_review_are_heard(
    la,
    led,
    episode,
    eho,
    involved,
    school,
    colleague,  # noqa: F811
    listening,
    receiver,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    assert heard(
        capture,
        lambda: change_lead_professional(
            eho,
            episode,
            colleague,
            reason="Casey knows the family.",
            family_view="They are pleased.",
        ),
    ) == [Event.LEAD_PROFESSIONAL_AGREED]
    assert heard(
        capture,
        lambda: plan_services.new_version(
            involved,
            led,
            change_summary="Amended at a meeting",
            added_goals=[goal_data(school, involved, text="A third goal")],
        ),
    ) == [Event.PLAN_CHANGED]
    later = timezone.localdate() + datetime.timedelta(weeks=la.review_interval_weeks + 1)
    assert heard(capture, lambda: evaluate(la, later)) == [Event.REVIEW_DUE]
    # The alert stays open the next day: the review is not due again.
    assert heard(capture, lambda: evaluate(la, later + datetime.timedelta(days=1))) == []


def test_stepping_up_and_closing_are_heard(
    led, episode, manager, listening, receiver, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    assert heard(capture, lambda: transition(manager, episode, "step_up")) == [
        Event.CASE_STEPPED_UP
    ]
    assert heard(capture, lambda: transition(manager, episode, "referral_accepted")) == [
        Event.CASE_CLOSED
    ]


def test_closing_is_heard(
    led, episode, manager, listening, receiver, django_capture_on_commit_callbacks
):
    assert heard(
        django_capture_on_commit_callbacks,
        lambda: transition(manager, episode, "close", closure_reason=ClosureReason.values[0]),
    ) == [Event.CASE_CLOSED]


def test_with_no_subscription_nothing_is_written(
    episode, involved, school, django_capture_on_commit_callbacks
):
    from webhooks.models import CaseEvent

    with django_capture_on_commit_callbacks(execute=True):
        complete_assessment(episode, involved)
        agree(episode, involved, involved, school)
    assert not CaseEvent.objects.exists() and not Delivery.objects.exists()
