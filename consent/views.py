"""Consent pages; each fetches the case through core.policy first."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import policy
from core.forms import apply_validation_error, posted

from . import services
from .forms import ConsentForm, JudgementForm, OverrideReviewForm, WithdrawForm
from .models import Purpose


@require_http_methods(["GET", "POST"])
def consent_list(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    can_work = policy.can_work_on_episode(request.user, episode)
    if request.method == "POST" and not can_work:
        raise PermissionDenied
    form = ConsentForm(posted(request), episode=episode, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_consent(
                request.user,
                episode,
                person=data["person"],
                purpose=data["purpose"],
                given=data["decision"] == "yes",
                method=data["method"],
                given_on=data["given_on"],
                organisations=data["organisations"],
                request=request,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Consent decision recorded for %(name)s") % {"name": data["person"].full_name},
            )
            if services.refusals_awaiting_judgement(episode).exists():
                return redirect("consent:judgement", episode_pk=episode.pk)
            return redirect("consent:list", episode_pk=episode.pk)
    consents = episode.consents.select_related("person", "organisation", "recorded_by")
    return render(
        request,
        "consent/consent_list.html",
        {
            "episode": episode,
            "form": form,
            "consents": consents,
            "Purpose": Purpose,
            "awaiting_judgement": services.refusals_awaiting_judgement(episode).exists(),
            "can_work": can_work,
        },
    )


@require_http_methods(["GET", "POST"])
def judgement(request, episode_pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    form = JudgementForm(posted(request))
    if request.method == "POST" and form.is_valid():
        escalates = form.cleaned_data["escalates"] == "yes"
        try:
            services.record_refusal_judgement(
                request.user,
                episode,
                escalates=escalates,
                reasoning=form.cleaned_data["reasoning"],
                advice=form.cleaned_data["advice"],
                request=request,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if escalates:
                return redirect("referrals:step_up", episode_pk=episode.pk)
            messages.success(request, _("The request is closed: consent declined"))
            return redirect("episodes:detail", pk=episode.pk)
    return render(request, "consent/judgement.html", {"episode": episode, "form": form})


@require_http_methods(["GET", "POST"])
def withdraw(request, episode_pk, pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    consent = episode.consents.filter(pk=pk, withdrawn_at__isnull=True).first()
    if consent is None:
        raise Http404
    form = WithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.withdraw_consent(
            request.user, consent, note=form.cleaned_data["note"], request=request
        )
        organisation = consent.organisation
        if organisation is not None and not services.organisation_may_see(episode, organisation):
            messages.success(
                request,
                _("Consent withdrawn: staff of %(org)s can no longer see this case")
                % {"org": organisation.name},
            )
        else:
            messages.success(request, _("Consent withdrawn: sharing stops from now"))
        if not policy.episodes_visible_to(request.user).filter(pk=episode.pk).exists():
            return redirect("home")
        return redirect("consent:list", episode_pk=episode.pk)
    return render(
        request, "consent/withdraw.html", {"episode": episode, "consent": consent, "form": form}
    )


@require_http_methods(["GET", "POST"])
def review_override(request, episode_pk, pk):
    """The district EHO's or a manager's review of sharing without consent."""
    episode = policy.get_episode_for(request.user, episode_pk, request)
    if not policy.can_review_sharing_override(request.user, episode):
        raise PermissionDenied
    override = get_object_or_404(
        episode.sharing_overrides.select_related("organisation", "recorded_by"), pk=pk
    )
    form = OverrideReviewForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.review_sharing_override(
                request.user,
                override,
                justified=form.cleaned_data["justified"] == "yes",
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Review recorded"))
            return redirect("episodes:detail", pk=episode.pk)
    return render(
        request,
        "consent/review_override.html",
        {"episode": episode, "override": override, "form": form},
    )
