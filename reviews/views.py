"""Pages for reviews; each fetches the case through core.policy first."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import Action as AuditAction
from audit.services import record
from core import policy
from core.forms import posted, run_form_action
from episodes import states
from plans import document
from plans.services import current_plan

from . import services
from .forms import ReviewForm
from .models import Decision

PAGE_SIZE = 50


def review_list(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    reviews = list(
        episode.reviews.select_related("recorded_by", "plan")
        .prefetch_related("voices__child", "scores__person")
        .order_by("-held_on", "-id")
    )
    due = services.next_review_due(episode, last_review_on=reviews[0].held_on if reviews else None)
    # A review every few months of a case held for years: the newest first,
    # a page at a time.
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/review_list.html",
        {
            "episode": episode,
            "reviews": [(review, services.each_child(review)) for review in page.object_list],
            "page": page,
            "due": due,
            "overdue": due is not None and due < timezone.localdate(),
            "can_review": policy.can_work_on_episode(request.user, episode)
            and states.allows(episode, "record_review"),
        },
    )


@require_http_methods(["GET", "POST"])
def record_review(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    if not policy.can_work_on_episode(request.user, episode):
        raise PermissionDenied
    plan = current_plan(episode)
    refusal = states.why_not(episode, "record_review")
    if plan is None and not refusal:
        refusal = _("There is no agreed plan to review")
    if refusal:
        return render(request, "reviews/review_form.html", {"episode": episode, "refusal": refusal})
    form = ReviewForm(
        posted(request),
        episode=episode,
        actions=services.plan_actions(plan),
        children=services.review_children(episode),
    )
    done = run_form_action(
        request,
        form,
        lambda _data: services.record_review(
            request.user, episode, request=request, **form.service_arguments()
        ),
        success=_("Review recorded"),
        then=lambda review: _next_page(episode, review),
    )
    if done:
        return done
    return render(
        request,
        "reviews/review_form.html",
        {"episode": episode, "plan": plan, "form": form},
    )


def _next_page(episode, review):
    """Where the review's decision is carried on, else the review itself."""
    if review.decision == Decision.AMEND:
        query = urlencode({"review": review.pk})
        return f"{reverse('plans:change', args=[episode.pk])}?{query}"
    if review.decision == Decision.STEP_UP:
        return reverse("referrals:step_up", kwargs={"episode_pk": episode.pk})
    if review.decision == Decision.CLOSE:
        return reverse("episodes:close", kwargs={"pk": episode.pk})
    return reverse("reviews:detail", kwargs={"episode_pk": episode.pk, "pk": review.pk})


def review_detail(request, episode_pk, pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    review = get_object_or_404(
        episode.reviews.select_related("plan", "recorded_by").prefetch_related(
            "voices__child", "scores__person"
        ),
        pk=pk,
    )
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
            "children": services.each_child(review),
            "can_ask_family": policy.can_ask_family(request.user, episode),
            "panel_referral": episode.referrals.filter(kind="panel").order_by("-sent_at").first()
            if review.decision == Decision.PANEL
            else None,
            "family_documents": document.document_links(
                episode, "reviews:document", episode.pk, review.pk
            )
            if policy.can_work_on_episode(request.user, episode)
            else [],
            "family_documents_heading": _("The review's outcome for the family"),
        },
    )


def _outcome_document(request, episode_pk, pk, person_pk, fmt):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    review = get_object_or_404(episode.reviews, pk=pk)
    person = document.family_member(episode, person_pk)
    if person is None:
        raise Http404("No such family member.")
    review.episode = episode
    made = services.outcome_document(
        request.user,
        review,
        person,
        fmt=fmt,
        language=document.requested_language(request, episode.local_authority),
        back_url=reverse("reviews:detail", args=[episode.pk, review.pk]),
        request=request,
    )
    return document.response(made, fmt)


@require_GET
def outcome_document(request, episode_pk, pk, person_pk):
    """A review's outcome for one family member, to print."""
    return _outcome_document(request, episode_pk, pk, person_pk, "html")


@require_GET
def outcome_document_pdf(request, episode_pk, pk, person_pk):
    return _outcome_document(request, episode_pk, pk, person_pk, "pdf")
