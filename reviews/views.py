"""Pages for reviews; each fetches the case through core.policy first."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.models import Action as AuditAction
from audit.services import record
from core import policy
from core.forms import apply_validation_error
from episodes import states
from episodes.models import Status
from plans.services import current_plan

from . import services
from .forms import ReviewForm
from .models import Decision


def review_list(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    reviews = list(
        episode.reviews.select_related("recorded_by", "plan").order_by("-held_on", "-id")
    )
    due = services.next_review_due(episode, last_review_on=reviews[0].held_on if reviews else None)
    return render(
        request,
        "reviews/review_list.html",
        {
            "episode": episode,
            "reviews": reviews,
            "due": due,
            "overdue": due is not None and due < timezone.localdate(),
            "can_review": policy.can_work_on_episode(request.user, episode)
            and episode.status == Status.PLAN,
        },
    )


@require_http_methods(["GET", "POST"])
def record_review(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    if not policy.can_work_on_episode(request.user, episode):
        raise PermissionDenied
    plan = current_plan(episode)
    refusal = states.refusal(episode, "review")
    if plan is None and not refusal:
        refusal = _("There is no agreed plan to review")
    if refusal:
        return render(request, "reviews/review_form.html", {"episode": episode, "refusal": refusal})
    actions = services.plan_actions(plan)
    form = ReviewForm(request.POST or None, episode=episode, actions=actions)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.record_review(
                request.user, episode, request=request, **form.service_arguments()
            )
        except states.TransitionRefused as refused:
            form.add_error(None, str(refused.message))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Review recorded"))
            if review.decision == Decision.AMEND:
                query = urlencode({"review": review.pk})
                return redirect(f"{reverse('plans:change', args=[episode.pk])}?{query}")
            if review.decision == Decision.STEP_UP:
                return redirect("referrals:step_up", episode_pk=episode.pk)
            if review.decision == Decision.CLOSE:
                return redirect("episodes:close", pk=episode.pk)
            return redirect("reviews:detail", episode_pk=episode.pk, pk=review.pk)
    return render(
        request,
        "reviews/review_form.html",
        {"episode": episode, "plan": plan, "form": form},
    )


def review_detail(request, episode_pk, pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    review = get_object_or_404(episode.reviews.select_related("plan", "recorded_by"), pk=pk)
    record(
        AuditAction.VIEW,
        actor=request.user,
        obj=review,
        request=request,
        local_authority=episode.local_authority,
    )
    progress = review.progress.select_related("action__organisation", "action__worker").order_by(
        "action__goal_id", "action__due_by", "action_id"
    )
    return render(
        request,
        "reviews/review_detail.html",
        {
            "episode": episode,
            "review": review,
            "progress": progress,
            "scores": services.scores_by_scorer(review),
            "panel_referral": episode.referrals.filter(kind="panel").order_by("-sent_at").first()
            if review.decision == Decision.PANEL
            else None,
        },
    )
