"""Leavers' cases: the district's Early Help Officer and the managers give
the open cases of someone who left (or is away) new lead professionals, one
by one or several at once."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core import policy
from core.forms import posted, run_form_action

from . import services
from .leaver_forms import ReallocateForm
from .models import User


def leavers(request):
    if not policy.can_reallocate_cases(request.user):
        raise PermissionDenied
    people = [
        {"user": user, "cases": services.cases_to_reallocate(request.user, user).count()}
        for user in services.leavers_with_cases(request.user)
    ]
    return render(request, "accounts/leavers.html", {"people": people})


@require_http_methods(["GET", "POST"])
def leaver_cases(request, pk):
    if not policy.can_reallocate_cases(request.user):
        raise PermissionDenied
    leader = User.objects.filter(local_authority_id=request.user.local_authority_id, pk=pk).first()
    if leader is None:
        raise Http404("No such member of staff.")
    episodes = list(services.cases_to_reallocate(request.user, leader))
    form = ReallocateForm(
        posted(request),
        episodes=episodes,
        candidates=list(services.reallocation_candidates(request.user, leader)),
    )
    done = run_form_action(
        request,
        form,
        lambda data: services.reallocate_cases(
            request.user,
            leader,
            form.chosen_cases(),
            form.chosen_lead(),
            reason=data["reason"],
            family_view=data["family_view"],
            handover_note=data["handover_note"],
            request=request,
        ),
        success=lambda changed: (
            ngettext(
                "%(count)d case now has a new lead professional",
                "%(count)d cases now have a new lead professional",
                len(changed),
            )
            % {"count": len(changed)}
        ),
        then=reverse("accounts:leaver_cases", kwargs={"pk": leader.pk}),
    )
    if done:
        return done
    return render(
        request,
        "accounts/leaver_cases.html",
        {"leader": leader, "episodes": episodes, "form": form},
    )
