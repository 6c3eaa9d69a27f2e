"""The review part of the case page: when the next review is due, and the last decision."""

from django import template
from django.utils import timezone

from reviews.services import next_review_due

register = template.Library()


@register.simple_tag
def review_summary(episode):
    # The case page has read the reviews already (in held_on, id order).
    reviews = list(episode.reviews.all())
    last = max(reviews, key=lambda review: (review.held_on, review.pk), default=None)
    due = next_review_due(episode, last_review_on=last.held_on if last else None)
    return {
        "last": last,
        "due": due,
        "overdue": due is not None and due < timezone.localdate(),
    }
