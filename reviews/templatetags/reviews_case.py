"""The review part of the case page: when the next review is due, and the last decision."""

from django import template
from django.utils import timezone

from reviews.services import next_review_due

register = template.Library()


@register.simple_tag
def review_summary(episode):
    last = episode.reviews.order_by("-held_on", "-id").first()
    due = next_review_due(episode, last_review_on=last.held_on if last else None)
    return {
        "last": last,
        "due": due,
        "overdue": due is not None and due < timezone.localdate(),
    }
