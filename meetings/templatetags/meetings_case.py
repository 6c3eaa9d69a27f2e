"""The meeting part of the case page: the next or last meeting, and what to do next."""

from django import template
from django.utils import timezone

from meetings.services import meetings_allowed

register = template.Library()


@register.simple_tag
def meeting_summary(episode):
    """{"next": the next meeting not yet held, "last": the latest one that has
    started, "held_any": whether any meeting was recorded as held}; one query."""
    now = timezone.now()
    meetings = list(episode.meetings.order_by("starts_at", "id"))
    upcoming = [m for m in meetings if m.starts_at >= now and not m.held]
    started = [m for m in meetings if m.starts_at < now or m.held]
    return {
        "next": upcoming[0] if upcoming else None,
        "last": started[-1] if started else None,
        "held_any": any(m.held for m in meetings),
        "count": len(meetings),
        "allowed": meetings_allowed(episode),
    }
