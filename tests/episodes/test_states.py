"""Every transition of the episode state machine, allowed and refused."""

import pytest

from episodes import states
from episodes.models import OPEN_STATUSES, ClosureReason, Episode, Status
from episodes.states import TRANSITIONS, TransitionRefused


def make(status, **fields):
    # The state machine works in memory, so no database is needed.
    return Episode(status=status, **fields)


ALLOWED = [
    (action, source) for action, transition in TRANSITIONS.items() for source in transition.sources
]
REFUSED = [
    (action, status)
    for action, transition in TRANSITIONS.items()
    for status in Status.values
    if status not in transition.sources
]
CONTEXT = {"closure_reason": ClosureReason.NEEDS_MET}


@pytest.mark.parametrize(("action", "source"), ALLOWED)
def test_each_allowed_transition_reaches_its_target(action, source):
    episode = make(source, lead_professional_id=1, status_before_step_up=Status.PLAN)

    previous, new = states.apply(episode, action, **CONTEXT)

    expected = TRANSITIONS[action].target or Status.PLAN
    assert (previous, new, episode.status) == (source, expected, expected)


@pytest.mark.parametrize(("action", "status"), REFUSED)
def test_each_transition_from_a_wrong_status_is_refused(action, status):
    episode = make(status, lead_professional_id=1)

    with pytest.raises(TransitionRefused) as refused:
        states.apply(episode, action, **CONTEXT)

    assert episode.status == status
    assert "You cannot" in str(refused.value)


def test_a_plan_cannot_be_agreed_without_a_lead_professional():
    episode = make(Status.MEETING)

    with pytest.raises(TransitionRefused) as refused:
        states.apply(episode, "agree_plan")

    assert str(refused.value) == (
        "A plan needs a lead professional: choose one at the meeting before agreeing the plan"
    )
    assert episode.status == Status.MEETING


@pytest.mark.parametrize("reason", [None, "", "bored"])
def test_closing_needs_a_known_reason(reason):
    episode = make(Status.PLAN)

    with pytest.raises(TransitionRefused):
        states.apply(episode, "close", closure_reason=reason)

    assert (episode.status, episode.closure_reason) == (Status.PLAN, "")


def test_a_review_before_a_plan_is_refused_with_the_status_named():
    episode = make(Status.ASSESSMENT)

    with pytest.raises(TransitionRefused) as refused:
        states.apply(episode, "review")

    assert str(refused.value) == (
        "You cannot review the plan while the case is 'Assessment in progress'"
    )


@pytest.mark.parametrize("status", OPEN_STATUSES)
def test_step_up_is_never_blocked_and_not_accepted_returns_to_the_same_stage(status):
    episode = make(status)  # no lead professional, no forms: still allowed

    states.apply(episode, "step_up")
    assert (episode.status, episode.status_before_step_up) == (Status.STEPPED_UP, status)
    states.apply(episode, "referral_not_accepted")

    assert (episode.status, episode.status_before_step_up) == (status, "")


def test_an_accepted_referral_closes_as_stepped_up():
    episode = make(Status.STEPPED_UP, status_before_step_up=Status.PLAN)

    states.apply(episode, "referral_accepted")

    assert (episode.status, episode.closure_reason) == (Status.CLOSED, ClosureReason.STEPPED_UP)
    assert episode.closed_at is not None


def test_declined_consent_closes_with_that_reason():
    episode = make(Status.REQUESTED)

    states.apply(episode, "decline_consent")

    assert (episode.status, episode.closure_reason) == (
        Status.CLOSED,
        ClosureReason.CONSENT_DECLINED,
    )


def test_unknown_action_is_refused():
    with pytest.raises(TransitionRefused) as refused:
        states.apply(make(Status.PLAN), "teleport")

    assert str(refused.value) == "There is no action called 'teleport'"


def test_allowed_actions_lists_only_those_from_the_current_status():
    actions = [t.action for t in states.allowed_actions(make(Status.REQUESTED))]

    assert actions == ["give_consent", "decline_consent", "step_up", "close"]


@pytest.mark.parametrize(
    ("status", "agree", "change"),
    [
        (Status.MEETING, True, False),
        (Status.PLAN, False, True),
        (Status.CLOSED, False, False),
    ],
)
def test_the_state_machine_says_what_a_stage_allows(status, agree, change):
    episode = Episode(status=status)
    assert (states.allows(episode, "agree_plan"), states.allows(episode, "change_plan")) == (
        agree,
        change,
    )


@pytest.mark.parametrize("activity", sorted(states.ACTIVITIES))
def test_every_activity_says_why_not_in_the_stages_that_refuse_it(activity):
    for status in Status.values:
        episode = Episode(status=status)
        if states.allows(episode, activity):
            assert states.why_not(episode, activity) is None
        else:
            message = states.why_not(episode, activity)
            assert message and "%(" not in message and "episode" not in message
