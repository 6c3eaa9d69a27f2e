"""What a case's stage allows, for templates: they ask the state machine
instead of comparing status strings."""

from django import template

from episodes import states

register = template.Library()


@register.filter
def allows(episode, activity):
    """`{% if episode|allows:"record_review" %}`"""
    return states.allows(episode, activity)


@register.filter
def status_tag_classes(episode):
    """The GOV.UK tag colour for the case's status."""
    return states.STATUS_TAG_CLASSES.get(episode.status, "govuk-tag--grey")
