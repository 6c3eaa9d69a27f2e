"""The Early Help Officer's queue of requests families sent themselves: each
as the family typed it, with the "already known?" check run for the officer
(need-to-know applies; the family never sees it)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import Action
from audit.services import record
from core import policy
from core.forms import posted, run_form_action
from core.paging import counted_page
from people.search import search_people

from . import services
from .models import FamilyRequest
from .staff_forms import CloseRequestForm, StartCaseForm

PAGE_SIZE = 20


def _known_check(user, family_request):
    """[(child, matches)] for each child the family named."""
    return [
        (
            {**child, "date_of_birth": _date(child["date_of_birth"])},
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
    return date.fromisoformat(iso)


@require_GET
def queue(request):
    if not policy.can_give_advice(request.user):
        raise PermissionDenied
    visible = policy.family_requests_visible_to(request.user).select_related(
        "district", "episode", "closed_by"
    )
    # Waiting: neither a case started nor closed; dealt with: the others, newest first.
    dealt_with = request.GET.get("show") == "dealt-with"
    waiting = Q(episode__isnull=True, closed_at__isnull=True)
    chosen = visible.exclude(waiting) if dealt_with else visible.filter(waiting)
    page = counted_page(chosen.order_by("-received_at", "-pk"), request.GET.get("page"), PAGE_SIZE)
    # The "already known?" check is for deciding what to do: not run again once done.
    shown = [(item, [] if dealt_with else _known_check(request.user, item)) for item in page]
    for item, _checks in shown:
        record(Action.VIEW, actor=request.user, obj=item, request=request)
    return render(
        request,
        "families/queue.html",
        {"page": page, "shown": shown, "dealt_with": dealt_with},
    )


def _request_or_404(request, pk):
    if not policy.can_give_advice(request.user):
        raise PermissionDenied
    try:
        return (
            policy.family_requests_visible_to(request.user)
            .select_related("district", "episode", "closed_by")
            .get(pk=pk)
        )
    except FamilyRequest.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def start_case(request, pk):
    """Start the family's case: the officer chooses the district and needs."""
    family_request = _request_or_404(request, pk)
    form = StartCaseForm(
        posted(request), user=request.user, initial={"district": family_request.district}
    )
    if response := run_form_action(
        request,
        form,
        lambda data: services.start_case(
            request.user,
            family_request,
            district=data["district"],
            needs=data["needs"],
            request=request,
        ),
        success=lambda episode: (
            _("Case %(reference)s started from the family's request")
            % {"reference": episode.reference}
        ),
        then=lambda episode: reverse("episodes:detail", args=[episode.pk]),
    ):
        return response
    return render(
        request,
        "families/start_case.html",
        {"form": form, "family_request": family_request},
    )


@require_http_methods(["GET", "POST"])
def close_request(request, pk):
    """Deal with the family's request without starting a case."""
    family_request = _request_or_404(request, pk)
    form = CloseRequestForm(posted(request))
    if response := run_form_action(
        request,
        form,
        lambda data: services.close_request(
            request.user,
            family_request,
            reason=data["reason"],
            note=data["note"],
            request=request,
        ),
        success=lambda closed: _("Request %(reference)s closed") % {"reference": closed.reference},
        then=reverse("family_requests:queue"),
    ):
        return response
    return render(
        request,
        "families/close_request.html",
        {
            "form": form,
            "family_request": family_request,
            "retention_days": settings.FAMILY_REQUEST_RETENTION_DAYS,
        },
    )
