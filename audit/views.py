from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core import policy

from . import access_log
from .models import Action
from .services import record


def episode_access_log(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    if not policy.can_see_access_log(request.user, episode):
        raise PermissionDenied
    # Reading the log is itself a look at the case.
    record(
        Action.VIEW,
        actor=request.user,
        obj=episode,
        request=request,
        changes={"page": "access log"},
    )
    page = access_log.page_of(access_log.for_episode(episode), request.GET.get("page"))
    return render(
        request,
        "audit/access_log.html",
        {
            "title_object": episode.reference,
            "back_url": episode,
            "episode": episode,
            "page": page,
            "rows": access_log.rows(page.object_list),
        },
    )


def person_access_log(request, person_pk):
    person = policy.get_person_for(request.user, person_pk, request)
    if not policy.can_see_person_access_log(request.user, person):
        raise PermissionDenied
    record(
        Action.VIEW, actor=request.user, obj=person, request=request, changes={"page": "access log"}
    )
    page = access_log.page_of(access_log.for_person(person), request.GET.get("page"))
    return render(
        request,
        "audit/access_log.html",
        {
            "title_object": person.full_name,
            "person": person,
            "page": page,
            "rows": access_log.rows(page.object_list),
        },
    )
