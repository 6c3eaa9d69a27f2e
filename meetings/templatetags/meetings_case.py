"""The meeting part of the case page: the next or last meeting, and what to do next."""

from django import template

from meetings import services

register = template.Library()


@register.simple_tag
def meeting_summary(episode):
    """services.meeting_overview (next, last, held_any) with the count of
    meetings and whether the stage holds meetings; one query."""
    meetings = list(episode.meetings.all())
    return {
        **services.meeting_overview(episode, meetings),
        "count": len(meetings),
        "allowed": services.meetings_allowed(episode),
    }
