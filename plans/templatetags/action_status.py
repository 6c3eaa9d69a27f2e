"""The tag colour of an action's status, from the one mapping beside the model."""

from django import template

from plans.models import ACTION_STATUS_TAG_CLASSES, ActionStatus

register = template.Library()


@register.filter
def action_status_tag_classes(status: str) -> str:
    """`{% govuk_tag action.get_status_display action.status|action_status_tag_classes %}`"""
    return ACTION_STATUS_TAG_CLASSES[ActionStatus(status)]
