"""The case's pages for the family's voice and their plan online: the worker
gives a family member a link (shown once, to copy, and emailed if asked),
types in a paper form, revokes a link; the feedback itself is shown only to
those policy.feedback_visible_to names. Each fetches the case through the
policy first."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import policy
from core.forms import ConfirmForm, posted, run_form_action
from core.paging import counted_page

from . import services
from .staff_forms import FeedbackLinkForm, PaperFeedbackForm, PlanLinkForm

# The link just made, shown once on the next page (the token is kept nowhere else).
ISSUED = "families_issued_link"
PAGE_SIZE = 25


def _overview(episode_pk):
    return reverse("family_voice:case", kwargs={"episode_pk": episode_pk})


@require_GET
def case(request, episode_pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    feedback = (
        policy.feedback_visible_to(request.user)
        .filter(episode=episode)
        .select_related("person", "review", "recorded_by")
    )
    # A link and an answer from each family member at each review of a case
    # held for years: each list newest first, a page at a time.
    return render(
        request,
        "families/case.html",
        {
            "episode": episode,
            "links": counted_page(
                episode.family_links.select_related("person", "review", "created_by"),
                request.GET.get("links"),
                PAGE_SIZE,
            ),
            "feedback": counted_page(feedback, request.GET.get("page"), PAGE_SIZE),
            "can_see_feedback": policy.can_see_feedback(request.user, episode),
        },
    )


def _issue_page(request, episode_pk, form_class, issue, template):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    extra = {}
    if form_class is not PlanLinkForm:
        extra["initial_review"] = request.GET.get("review", "")[:20]
    form = form_class(posted(request), episode=episode, **extra)

    def act(data):
        issued = issue(episode, form, data)
        request.session[ISSUED] = {"url": issued.url, "link": issued.link.pk}
        return issued

    done = run_form_action(
        request,
        form,
        act,
        then=reverse("family_voice:issued", kwargs={"episode_pk": episode.pk}),
    )
    return done or render(request, template, {"episode": episode, "form": form})


@require_http_methods(["GET", "POST"])
def feedback_link(request, episode_pk):
    def issue(episode, form, data):
        return services.issue_feedback_link(
            request.user,
            episode,
            data["person"],
            review=form.review(),
            email=data["email"],
            request=request,
        )

    return _issue_page(
        request, episode_pk, FeedbackLinkForm, issue, "families/feedback_link_form.html"
    )


@require_http_methods(["GET", "POST"])
def plan_link(request, episode_pk):
    def issue(episode, form, data):
        return services.issue_plan_link(
            request.user, episode, data["person"], email=data["email"], request=request
        )

    return _issue_page(request, episode_pk, PlanLinkForm, issue, "families/plan_link_form.html")


@never_cache
@require_GET
def issued(request, episode_pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    shown = request.session.pop(ISSUED, None)
    link = (
        episode.family_links.select_related("person").filter(pk=shown["link"]).first()
        if shown
        else None
    )
    if link is None:
        return redirect(_overview(episode.pk))
    return render(
        request,
        "families/link_issued.html",
        {"episode": episode, "link": link, "url": shown["url"]},
    )


@require_http_methods(["GET", "POST"])
def paper(request, episode_pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    form = PaperFeedbackForm(
        posted(request), episode=episode, initial_review=request.GET.get("review", "")[:20]
    )
    done = run_form_action(
        request,
        form,
        lambda data: services.record_paper_feedback(
            request.user, episode, data["person"], data, review=form.review(), request=request
        ),
        success=_("Feedback recorded"),
        then=_overview(episode.pk),
    )
    return done or render(
        request, "families/paper_feedback_form.html", {"episode": episode, "form": form}
    )


@require_POST
def revoke(request, episode_pk, pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    link = get_object_or_404(episode.family_links, pk=pk)
    form = ConfirmForm(request.POST)
    done = run_form_action(
        request,
        form,
        lambda _data: services.revoke_link(request.user, link, request=request),
        success=_("The link no longer works"),
        then=_overview(episode.pk),
    )
    return done or redirect(_overview(episode.pk))
