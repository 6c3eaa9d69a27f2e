"""The Early Help Officer's queue of requests families sent themselves: each
as the family typed it, with the "already known?" check run for the officer
(need-to-know applies; the family never sees it)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit.models import Action
from audit.services import record
from core import policy
from people.search import search_people

PAGE_SIZE = 20


def _known_check(user, family_request):
    """[(child, matches)] for each child the family named."""
    return [
        (
            child,
            search_people(
                user,
                first_name=child["first_name"],
                last_name=child["last_name"],
                date_of_birth=_date(child["date_of_birth"]),
                postcode=family_request.postcode,
            ),
        )
        for child in family_request.children
    ]


def _date(iso):
    from datetime import date

    return date.fromisoformat(iso)


@require_GET
def queue(request):
    if not policy.can_give_advice(request.user):
        raise PermissionDenied
    visible = policy.family_requests_visible_to(request.user).select_related("district")
    page = Paginator(visible.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = [(item, _known_check(request.user, item)) for item in page]
    for item, _checks in shown:
        record(Action.VIEW, actor=request.user, obj=item, request=request)
    return render(request, "families/queue.html", {"page": page, "shown": shown})
