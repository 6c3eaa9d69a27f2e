"""The plan part of the case page: the current version and what is outstanding."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from episodes import states
from plans import services
from plans.models import Action

register = template.Library()


@register.simple_tag
def plan_summary(episode):
    plan = services.current_plan(episode)
    if plan is None:
        return None
    counts = Action.objects.filter(goal__plan=plan).aggregate(
        actions=Count("pk"),
        goals=Count("goal", distinct=True),
        overdue=Count(
            "pk",
            filter=Q(status__in=services.OPEN_ACTION_STATUSES, due_by__lt=timezone.localdate()),
        ),
    )
    return {
        "plan": plan,
        "in_place": services.plan_in_place(episode),
        "still_need_copy": services.still_need_copy(plan, services.copy_members(episode)),
        "none_owed": states.why_not(episode, "owe_plan_copies"),
        **counts,
    }
