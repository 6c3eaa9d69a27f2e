"""Pages for meetings; each fetches the case through core.policy first."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import Action
from audit.services import record
from consent import services as consent_services
from core import policy
from core.forms import apply_validation_error, posted

from . import calendar, services
from .forms import AddOrganisationForm, ArrangeMeetingForm, RecordMeetingForm


def _meeting(episode, pk):
    return get_object_or_404(
        episode.meetings.select_related("arranged_by", "lead_professional"), pk=pk
    )


def meeting_list(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    meetings = (
        episode.meetings.annotate(
            invited=Count("invitees"), came=Count("invitees", filter=Q(invitees__attended=True))
        )
        .select_related("lead_professional")
        .order_by("-starts_at")
    )
    can_work = policy.can_work_on_episode(request.user, episode)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "episode": episode,
            "meetings": meetings,
            "meeting_name": services.meeting_name(episode),
            "can_arrange": can_work and services.meetings_allowed(episode),
        },
    )


@require_http_methods(["GET", "POST"])
def arrange(request, episode_pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    family_members = list(episode.family.memberships.select_related("person").order_by("id"))
    staff = list(services.invitable_staff(episode))
    organisations = services.staff_organisations(episode, staff)
    form = ArrangeMeetingForm(
        request.POST or None,
        family_members=family_members,
        staff=staff,
        organisations=organisations,
        initial={"people": [m.person.pk for m in family_members], "users": [request.user.pk]},
    )
    refusal = None
    if not services.meetings_allowed(episode):
        refusal = _("You can arrange the %(meeting)s meeting once the assessment is complete") % {
            "meeting": services.meeting_name(episode)
        }
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.arrange_meeting(
                request.user, episode, request=request, **form.service_arguments()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Meeting arranged"))
            return redirect("meetings:detail", episode_pk=episode.pk, pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_arrange.html",
        {
            "episode": episode,
            "form": form,
            "refusal": refusal,
            "meeting_name": services.meeting_name(episode),
        },
    )


@require_http_methods(["GET", "POST"])
def add_organisation(request, episode_pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    team = services.team_organisations(episode)
    organisations = list(
        episode.local_authority.organisations.exclude(pk__in=team.values("pk")).order_by("name")
    )
    form = AddOrganisationForm(posted(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.organisations[form.cleaned_data["organisation"]]
        try:
            services.add_organisation(
                request.user,
                episode,
                organisation,
                override_reason=form.cleaned_data["override_reason"],
                request=request,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has joined the %(meeting)s")
                % {"name": organisation.name, "meeting": services.meeting_name(episode)},
            )
            return redirect("meetings:arrange", episode_pk=episode.pk)
    return render(
        request,
        "meetings/add_organisation.html",
        {
            "episode": episode,
            "form": form,
            "team": team.order_by("name"),
            "meeting_name": services.meeting_name(episode),
            "consented": sorted(
                {c.organisation.name for c in consent_services.current_sharing_consents(episode)}
            ),
        },
    )


def meeting_detail(request, episode_pk, pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    meeting = _meeting(episode, pk)
    record(
        Action.VIEW,
        actor=request.user,
        obj=meeting,
        request=request,
        local_authority=episode.local_authority,
    )
    return _render_detail(request, episode, meeting)


def _render_detail(request, episode, meeting, form=None):
    invitees = meeting.invitees.select_related("person", "user", "organisation").order_by(
        "user", "id"
    )
    can_work = policy.can_work_on_episode(request.user, episode)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "episode": episode,
            "meeting": meeting,
            "form": form,
            "family_invitees": [i for i in invitees if i.person_id],
            "professional_invitees": [i for i in invitees if i.user_id],
            "meeting_name": services.meeting_name(episode),
            "can_work": can_work,
            "can_record": can_work and services.meetings_allowed(episode),
            "can_agree_plan": can_work and meeting.held and episode.status == "meeting",
        },
    )


@require_http_methods(["GET", "POST"])
def record_meeting(request, episode_pk, pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    meeting = _meeting(episode, pk)
    invitees = list(
        meeting.invitees.select_related("person", "user", "organisation").order_by("user", "id")
    )
    lead_candidates = None
    if episode.status == "meeting":
        users = list(services.team_staff(episode))
        lead_candidates = (users, services.staff_organisations(episode, users))
    initial = {
        "attended": [i.pk for i in invitees if i.attended],
        "notes": meeting.notes,
        "lead_professional": meeting.lead_professional_id,
        "family_view_on_lead": meeting.family_view_on_lead,
    }
    form = RecordMeetingForm(
        request.POST or None,
        invitees=invitees,
        lead_candidates=lead_candidates,
        meeting_name=services.meeting_name(episode),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting(
                request.user, meeting, request=request, **form.service_arguments()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Meeting recorded"))
            return redirect("meetings:detail", episode_pk=episode.pk, pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_record.html",
        {
            "episode": episode,
            "meeting": meeting,
            "form": form,
            "meeting_name": services.meeting_name(episode),
        },
    )


def invite_ics(request, episode_pk, pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    meeting = _meeting(episode, pk)
    record(
        Action.EXPORT,
        actor=request.user,
        obj=meeting,
        request=request,
        local_authority=episode.local_authority,
        changes={"format": "ics"},
    )
    response = HttpResponse(
        calendar.meeting_ics(meeting).encode("utf-8"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{calendar.filename(meeting)}"'
    return response


@require_POST
def email_invite(request, episode_pk, pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    meeting = _meeting(episode, pk)
    try:
        recipients = services.email_invite(request.user, meeting, request=request)
    except ValidationError as error:
        form = forms.Form({})
        form.is_valid()
        form.add_error(None, error.messages)
        return _render_detail(request, episode, meeting, form)
    messages.success(
        request,
        ngettext(
            "Invitation emailed to %(count)s professional",
            "Invitation emailed to %(count)s professionals",
            len(recipients),
        )
        % {"count": len(recipients)},
    )
    return redirect("meetings:detail", episode_pk=episode.pk, pk=meeting.pk)
