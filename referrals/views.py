"""Referral pages; each fetches the case through core.policy first."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.models import Action
from audit.services import record
from core import policy
from core.forms import posted, run_form_action
from episodes import states
from episodes.chronology import chronology

from . import services
from .forms import DecisionForm, PanelReferralForm, StepUpForm
from .models import Kind


@require_http_methods(["GET", "POST"])
def step_up(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    if not policy.can_step_up(request.user, episode):
        raise PermissionDenied
    form = StepUpForm(posted(request))
    # A closed or already stepped-up case is refused: it says so, and sends nothing.
    done = run_form_action(
        request,
        form,
        lambda data: services.step_up(request.user, episode, request=request, **data),
        success=_("Referral sent to children's social care"),
        then=lambda referral: reverse(
            "referrals:detail", kwargs={"episode_pk": episode.pk, "pk": referral.pk}
        ),
    )
    if done:
        return done
    return render(request, "referrals/step_up.html", {"episode": episode, "form": form})


def _referral(request, episode, pk):
    referral = episode.referrals.filter(pk=pk).select_related("sent_by").first()
    if referral is None:
        raise Http404
    return referral


def detail(request, episode_pk, pk):
    """The referral as children's social care receives it: the concern, with
    the assessment, the current plan and the chronology attached."""
    episode = policy.get_episode_for(request.user, episode_pk, request)
    referral = _referral(request, episode, pk)
    record(Action.VIEW, actor=request.user, obj=referral, request=request)
    assessment = getattr(episode, "assessment", None)
    plan = episode.plans.order_by("-number").prefetch_related("goals__actions").first()
    return render(
        request,
        "referrals/detail.html",
        {
            "episode": episode,
            "referral": referral,
            "assessment": assessment,
            "plan": plan,
            "chronology": chronology(episode, request.user),
            "Kind": Kind,
            "can_decide": policy.can_record_csc_decision(request.user, episode),
        },
    )


@require_http_methods(["GET", "POST"])
def decision(request, episode_pk, pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    referral = _referral(request, episode, pk)
    if not policy.can_record_csc_decision(request.user, episode):
        raise PermissionDenied
    form = DecisionForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.record_decision(
            request.user,
            referral,
            accepted=data["accepted"] == "yes",
            advice=data["advice"],
            request=request,
        ),
        success=_("Children's social care's decision recorded"),
        then=reverse("episodes:detail", kwargs={"pk": episode.pk}),
    )
    if done:
        return done
    return render(
        request, "referrals/decision.html", {"episode": episode, "referral": referral, "form": form}
    )


@require_http_methods(["GET", "POST"])
def refer_to_panel(request, episode_pk):
    """Refer the family to the panel, from any open stage, with the reason."""
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    form = PanelReferralForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.refer_to_panel(
            request.user,
            episode,
            reason=data["reason"],
            concern=data["concern"],
            request=request,
        ),
        success=_("Referred to the Early Help and Family Support Panel"),
        then=reverse("episodes:detail", kwargs={"pk": episode.pk}),
    )
    if done:
        return done
    return render(
        request,
        "referrals/panel.html",
        {
            "episode": episode,
            "form": form,
            "refused": states.why_not(episode, "refer_to_panel"),
            "waiting": services.waiting_for_panel(episode),
        },
    )
