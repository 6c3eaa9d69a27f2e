from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from accounts.models import Role
from audit.models import Action
from audit.services import record
from core import policy
from episodes.models import OPEN_STATUSES


def home(request):
    user = request.user
    context = {"can_see_cases": policy.can_see_case_lists(user)}
    if context["can_see_cases"]:
        open_episodes = policy.episodes_visible_to(user).filter(status__in=OPEN_STATUSES)
        context["open_count"] = open_episodes.count()
        context["leading"] = open_episodes.filter(lead_professional=user).count()
    context["is_eho"] = user.has_role(Role.EARLY_HELP_OFFICER)
    context["districts"] = user.districts_as_eho.all()
    return render(request, "core/home.html", context)


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")


@login_not_required
def privacy(request):
    return render(request, "core/privacy.html")


def permission_denied(request, exception=None):
    """403 page; the refusal itself is audited."""
    if request.user.is_authenticated:
        record(
            Action.PERMISSION_DENIED,
            actor=request.user,
            request=request,
            changes={"path": request.path},
        )
    return render(request, "403.html", status=403)
