"""The panel part of the case page: the open panels the case is on and what
each panel decided."""

from django import template
from django.db.models import Q

from core import policy
from panels.models import AgendaItem

register = template.Library()


@register.simple_tag
def panel_items(episode, user=None):
    items = (
        AgendaItem.objects.filter(episode=episode)
        .filter(Q(panel__closed_at__isnull=True) | ~Q(outcome=""))
        .select_related("panel")
        .order_by("panel__meets_on", "id")
    )
    can_manage = bool(getattr(user, "is_authenticated", False)) and policy.can_manage_panels(user)
    return {"items": list(items), "can_manage": can_manage}
