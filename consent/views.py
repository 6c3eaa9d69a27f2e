"""Consent pages; each fetches the case through core.policy first."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core import policy
from core.forms import posted, run_form_action
from core.paging import counted_page

from . import services
from .forms import (
    ConsentForm,
    FamilyConsentForm,
    JudgementForm,
    OverrideReviewForm,
    WithdrawForm,
    council_organisations,
    deciders,
)
from .models import Purpose

DECISIONS_PAGE_SIZE = 50


def _after_decisions(episode):
    """Where to go once decisions are saved: to the judgement if a refusal
    now needs one, else back to the consent page."""
    if services.refusals_awaiting_judgement(episode).exists():
        return reverse("consent:judgement", kwargs={"episode_pk": episode.pk})
    return reverse("consent:list", kwargs={"episode_pk": episode.pk})


def _family_message(result):
    people = {consent.person_id for consent in result.consents}
    message = ngettext(
        "Decisions recorded for %(count)d person",
        "Decisions recorded for %(count)d people",
        len(people),
    ) % {"count": len(people)}
    if result.added_to_team:
        message += ". " + _("Added to the team: %(orgs)s") % {
            "orgs": ", ".join(org.name for org in result.added_to_team)
        }
    return message


@require_http_methods(["GET", "POST"])
def consent_list(request, episode_pk):
    """The decisions recorded, the whole family's answers in one grid (one
    submission), and the form for one person's decision."""
    episode = policy.get_episode_for(request.user, episode_pk, request)
    can_work = policy.can_work_on_episode(request.user, episode)
    if request.method == "POST" and not can_work:
        raise PermissionDenied
    family_posted = request.method == "POST" and request.POST.get("form") == "family"
    source = request.POST if family_posted else request.GET
    offered = services.offered_organisations(episode, source.getlist("offer"))
    # Each listed twice on the page: read once.
    people = deciders(episode)
    organisations = council_organisations(episode)
    family_form = FamilyConsentForm(
        posted(request) if family_posted else None,
        episode=episode,
        viewer=request.user,
        organisations=offered,
        people=people,
    )
    form = ConsentForm(
        None if family_posted else posted(request),
        episode=episode,
        viewer=request.user,
        people=people,
        organisations=organisations,
    )
    if family_posted:
        done = run_form_action(
            request,
            family_form,
            lambda data: services.record_family_consent(
                request.user,
                episode,
                family_form.decisions(),
                add_to_team=data.get("add_to_team", False),
                request=request,
            ),
            success=_family_message,
            then=lambda _result: _after_decisions(episode),
        )
    else:
        done = run_form_action(
            request,
            form,
            lambda data: services.record_consent(
                request.user,
                episode,
                person=data["person"],
                purpose=data["purpose"],
                given=data["decision"] == "yes",
                method=data["method"],
                given_on=data["given_on"],
                organisations=data["organisations"],
                request=request,
            ),
            success=lambda rows: (
                _("Consent decision recorded for %(name)s") % {"name": rows[0].person.full_name}
            ),
            then=lambda _rows: _after_decisions(episode),
        )
    if done:
        return done
    # Each person's answer for each organisation, and every change of mind:
    # the newest first, a page at a time.
    consents = counted_page(
        episode.consents.select_related("person", "organisation", "recorded_by").order_by(
            "-recorded_at", "-pk"
        ),
        request.GET.get("page"),
        DECISIONS_PAGE_SIZE,
    )
    return render(
        request,
        "consent/consent_list.html",
        {
            "episode": episode,
            "form": form,
            "family_form": family_form,
            "offered": offered,
            "all_organisations": organisations,
            "consents": consents,
            "Purpose": Purpose,
            "awaiting_judgement": services.refusals_awaiting_judgement(episode).exists(),
            "can_work": can_work,
        },
    )


@require_http_methods(["GET", "POST"])
def judgement(request, episode_pk):
    """The judgement on refused consent. Once made it is shown, not asked for
    again, until consent is refused again."""
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    form = JudgementForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.record_refusal_judgement(
            request.user,
            episode,
            escalates=data["escalates"] == "yes",
            reasoning=data["reasoning"],
            advice=data["advice"],
            request=request,
        ),
        success=lambda judgement: (
            _("Judgement recorded: refer the family to children's social care now")
            if judgement.escalates
            else _("The request is closed: consent declined")
        ),
        then=lambda judgement: (
            reverse("referrals:step_up", kwargs={"episode_pk": episode.pk})
            if judgement.escalates
            else reverse("episodes:detail", kwargs={"pk": episode.pk})
        ),
    )
    if done:
        return done
    return render(
        request,
        "consent/judgement.html",
        {
            "episode": episode,
            "form": form,
            "awaiting_judgement": services.refusals_awaiting_judgement(episode).exists(),
        },
    )


def _withdrawn_message(consent):
    organisation = consent.organisation
    if organisation is not None and not services.organisation_may_see(
        consent.episode, organisation
    ):
        return _("Consent withdrawn: staff of %(org)s can no longer see this case") % {
            "org": organisation.name
        }
    return _("Consent withdrawn: sharing stops from now")


@require_http_methods(["GET", "POST"])
def withdraw(request, episode_pk, pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    consent = episode.consents.filter(pk=pk, withdrawn_at__isnull=True).first()
    if consent is None:
        raise Http404

    def then(_consent):
        # Withdrawing their own organisation's consent may end the user's access.
        if not policy.episodes_visible_to(request.user, few=True).filter(pk=episode.pk).exists():
            return reverse("home")
        return reverse("consent:list", kwargs={"episode_pk": episode.pk})

    form = WithdrawForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.withdraw_consent(
            request.user, consent, note=data["note"], request=request
        ),
        success=_withdrawn_message,
        then=then,
    )
    if done:
        return done
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
    done = run_form_action(
        request,
        form,
        lambda data: services.review_sharing_override(
            request.user,
            override,
            justified=data["justified"] == "yes",
            note=data["note"],
            request=request,
        ),
        success=_("Review recorded"),
        then=reverse("episodes:detail", kwargs={"pk": episode.pk}),
    )
    if done:
        return done
    return render(
        request,
        "consent/review_override.html",
        {"episode": episode, "override": override, "form": form},
    )
