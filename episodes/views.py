from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from audit.models import Action
from audit.services import record
from core import policy

from .models import OPEN_STATUSES, Status
from .states import allowed_actions

PAGE_SIZE = 50


def episode_list(request):
    if not policy.can_see_case_lists(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "open")
    episodes = policy.episodes_visible_to(request.user).select_related(
        "family", "district", "lead_professional", "requesting_organisation"
    )
    if status == "open":
        episodes = episodes.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        episodes = episodes.filter(status=status)
    page = Paginator(episodes.order_by("-requested_at"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    filters = [("open", "Open")] + list(Status.choices)
    return render(
        request,
        "episodes/episode_list.html",
        {"page": page, "status": status, "filters": filters},
    )


def episode_detail(request, pk):
    episode = policy.get_episode_for(request.user, pk, request)
    record(Action.VIEW, actor=request.user, obj=episode, request=request)
    children = episode.children.all()
    family_members = episode.family.memberships.select_related("person").order_by(
        "relationship", "person__date_of_birth"
    )
    return render(
        request,
        "episodes/episode_detail.html",
        {
            "episode": episode,
            "children": children,
            "family_members": family_members,
            "organisations": episode.organisations.all(),
            "actions": allowed_actions(episode),
        },
    )
