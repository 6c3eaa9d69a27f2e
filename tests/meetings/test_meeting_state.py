"""A meeting's state (arranged, not yet recorded, held, cancelled) is worked out
in one place, Meeting.state, and has one tag colour, chosen beside it."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from meetings.models import MEETING_STATE_TAG_CLASSES, Meeting, MeetingState

NOW = timezone.now()


def test_every_meeting_state_has_a_tag_colour():
    assert set(MEETING_STATE_TAG_CLASSES) == set(MeetingState)
    assert all(classes.startswith("govuk-tag--") for classes in MEETING_STATE_TAG_CLASSES.values())


@pytest.mark.parametrize(
    ("starts_in", "held", "cancelled", "state"),
    [
        (timedelta(days=2), False, False, MeetingState.ARRANGED),
        (-timedelta(hours=1), False, False, MeetingState.NOT_YET_RECORDED),
        (-timedelta(hours=1), True, False, MeetingState.HELD),
        # A cancelled meeting is cancelled, whether or not its time has passed.
        (-timedelta(hours=1), False, True, MeetingState.CANCELLED),
        (timedelta(days=2), False, True, MeetingState.CANCELLED),
    ],
)
def test_state_and_its_tag(starts_in, held, cancelled, state):
    meeting = Meeting(
        pk=7, starts_at=NOW + starts_in, held=held, cancelled_at=NOW if cancelled else None
    )
    assert meeting.state(NOW) == state
    html = render_to_string("meetings/_meeting_tag.html", {"meeting": meeting, "now": NOW})
    assert html.strip() == (
        f'<strong class="govuk-tag {MEETING_STATE_TAG_CLASSES[state]}">{state.label}</strong>'
    )


def test_the_next_meeting_also_has_a_next_tag():
    meeting = Meeting(pk=7, starts_at=NOW + timedelta(days=2))
    html = render_to_string(
        "meetings/_meeting_tag.html", {"meeting": meeting, "now": NOW, "next_meeting": meeting}
    )
    assert '<strong class="govuk-tag govuk-tag--blue">Arranged</strong>' in html
    assert '<strong class="govuk-tag">Next</strong>' in html
