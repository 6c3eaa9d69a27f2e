"""A meeting's state and its tag colour, from the one mapping beside the model."""

from datetime import datetime

from django import template
from django.utils import timezone

from meetings.models import MEETING_STATE_TAG_CLASSES, Meeting, MeetingState

register = template.Library()


@register.simple_tag
def meeting_state(meeting: Meeting, now: datetime | None = None) -> MeetingState:
    """`{% meeting_state meeting now as state %}`; `now` is the page's, or this moment."""
    return meeting.state(now or timezone.now())


@register.filter
def meeting_state_tag_classes(state: MeetingState) -> str:
    """`{% govuk_tag state.label state|meeting_state_tag_classes %}`"""
    return MEETING_STATE_TAG_CLASSES[MeetingState(state)]
