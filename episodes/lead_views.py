"""The page for changing a case's lead professional."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import policy
from core.forms import posted, run_form_action
from meetings.services import staff_organisations

from . import states
from .lead_forms import ChangeLeadForm
from .lead_professional import change_lead_professional, first_lead_owed, lead_candidates


@require_http_methods(["GET", "POST"])
def change_lead(request, pk):
    episode = policy.get_episode_for(request.user, pk, request)
    if not policy.can_change_lead(request.user, episode):
        raise PermissionDenied
    candidates = list(lead_candidates(episode))
    form = ChangeLeadForm(
        posted(request),
        candidates=candidates,
        organisations=staff_organisations(episode, candidates),
    )
    done = run_form_action(
        request,
        form,
        lambda data: change_lead_professional(
            request.user,
            episode,
            form.chosen_lead(),
            reason=data["reason"],
            family_view=data["family_view"],
            handover_note=data["handover_note"],
            request=request,
        ),
        success=lambda changed: (
            _("%(name)s is now the lead professional")
            % {"name": changed.lead_professional.full_name}
        ),
        then=reverse("episodes:detail", kwargs={"pk": episode.pk}),
    )
    if done:
        return done
    if not states.allows(episode, "change_lead"):
        refused = states.why_not(episode, "change_lead")
    elif episode.lead_professional_id is None and not first_lead_owed(episode):
        refused = _(
            "No lead professional has been agreed yet: the team chooses one at its meeting, "
            "or the panel allocates one"
        )
    else:
        refused = None
    return render(
        request,
        "episodes/change_lead.html",
        {
            "episode": episode,
            "form": form,
            "refused": refused,
            "has_candidates": bool(candidates),
            "first": first_lead_owed(episode),
        },
    )
