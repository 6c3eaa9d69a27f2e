"""Pages for meetings; each fetches the case through core.policy first."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import Action
from audit.services import record
from consent import services as consent_services
from core import policy
from core.forms import posted, run_form_action
from episodes import states
from people import restrictions

from . import calendar, invitations, services
from .forms import (
    AddOrganisationForm,
    ArrangeMeetingForm,
    CancelMeetingForm,
    RecordMeetingForm,
    RescheduleMeetingForm,
)
from .models import InvitationChannel

PAGE_SIZE = 50


def _meeting(episode, pk):
    return get_object_or_404(
        episode.meetings.select_related("arranged_by", "lead_professional"), pk=pk
    )


def meeting_list(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    meetings = list(
        episode.meetings.annotate(
            invited=Count("invitees"), came=Count("invitees", filter=Q(invitees__attended=True))
        )
        .select_related("lead_professional")
        .order_by("-starts_at")
    )
    can_work = policy.can_work_on_episode(request.user, episode)
    overview = services.meeting_overview(episode, meetings)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "episode": episode,
            # A meeting every month or so of a case held for years: the
            # newest first, a page at a time.
            "meetings": Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page")),
            "next_meeting": overview["next"],
            "now": timezone.now(),
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
    ticked = [m.person.pk for m in family_members if services.ticked_to_invite(m.person)]
    channel_notes = {
        m.person.pk: {
            channel: refusal
            for channel in (InvitationChannel.TEXT, InvitationChannel.LETTER)
            if (
                refusal := invitations.channel_refusal(
                    channel, m.person, episode.local_authority, request.user
                )
            )
        }
        for m in family_members
    }
    needing_interpreter = [
        m.person.full_name
        for m in family_members
        if invitations.interpreter_needed(m.person, request.user)
    ]
    form = ArrangeMeetingForm(
        posted(request),
        family_members=family_members,
        staff=staff,
        organisations=organisations,
        channel_notes=channel_notes,
        initial={"people": ticked, "users": [request.user.pk]},
    )
    done = run_form_action(
        request,
        form,
        lambda _data: services.arrange_meeting(
            request.user, episode, request=request, **form.service_arguments()
        ),
        success=_("Meeting arranged"),
        then=lambda meeting: _detail_url(meeting),
    )
    if done:
        return done
    return render(
        request,
        "meetings/meeting_arrange.html",
        {
            "episode": episode,
            "form": form,
            "refusal": states.why_not(episode, "hold_meeting"),
            "meeting_name": services.meeting_name(episode),
            "needing_interpreter": needing_interpreter,
        },
    )


def _detail_url(meeting):
    return reverse("meetings:detail", kwargs={"episode_pk": meeting.episode_id, "pk": meeting.pk})


@require_http_methods(["GET", "POST"])
def add_organisation(request, episode_pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    team = services.team_organisations(episode)
    organisations = list(
        episode.local_authority.organisations.exclude(pk__in=team.values("pk")).order_by("name")
    )
    form = AddOrganisationForm(posted(request), organisations=organisations)
    done = run_form_action(
        request,
        form,
        lambda data: services.add_organisation(
            request.user,
            episode,
            form.organisations[data["organisation"]],
            override_reason=data["override_reason"],
            request=request,
        ),
        success=lambda organisation: (
            _("%(name)s has joined the %(meeting)s")
            % {"name": organisation.name, "meeting": services.meeting_name(episode)}
        ),
        then=reverse("meetings:arrange", kwargs={"episode_pk": episode.pk}),
    )
    if done:
        return done
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
    invitees = list(
        meeting.invitees.select_related("person", "user", "organisation")
        .prefetch_related("person__restrictions")
        .order_by("user", "id")
    )
    family = [i for i in invitees if i.person_id]
    can_work = policy.can_work_on_episode(request.user, episode)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "episode": episode,
            "meeting": meeting,
            "form": form,
            "family_invitees": family,
            "professional_invitees": [i for i in invitees if i.user_id],
            "meeting_name": services.meeting_name(episode),
            "can_work": can_work,
            "now": timezone.now(),
            "can_record": can_work and services.recording_refusal(meeting) is None,
            "can_change": can_work and services.change_refusal(meeting) is None,
            "can_email": can_work and not meeting.is_cancelled,
            "can_agree_plan": can_work and meeting.held and states.allows(episode, "agree_plan"),
            "letters_to_post": services.letters_to_post(meeting, family) if can_work else [],
            "interpreter_missing": _interpreter_missing(request.user, meeting, family),
        },
    )


def _interpreter_missing(user, meeting, invitees):
    """The family members invited who need an interpreter, when none is booked."""
    if meeting.interpreter_booked or not invitees:
        return []
    restrictions.prefetch_household([i.person for i in invitees])
    return [
        i.person.full_name
        for i in invitees
        if i.person_id and invitations.interpreter_needed(i.person, user)
    ]


@require_http_methods(["GET", "POST"])
def record_meeting(request, episode_pk, pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    meeting = _meeting(episode, pk)
    invitees = list(
        meeting.invitees.select_related("person", "user", "organisation").order_by("user", "id")
    )
    lead_candidates = new_lead_candidates = None
    if states.allows(episode, "choose_first_lead"):
        users = list(services.team_staff(episode))
        lead_candidates = (users, services.staff_organisations(episode, users))
    elif episode.lead_professional_id and states.allows(episode, "change_lead"):
        from episodes.lead_professional import lead_candidates as new_leads

        users = list(new_leads(episode))
        new_lead_candidates = (users, services.staff_organisations(episode, users))
    initial = {
        "attended": [i.pk for i in invitees if i.attended],
        "notes": meeting.notes,
        "lead_professional": meeting.lead_professional_id,
        "family_view_on_lead": meeting.family_view_on_lead,
    }
    form = RecordMeetingForm(
        posted(request),
        invitees=invitees,
        lead_candidates=lead_candidates,
        new_lead_candidates=new_lead_candidates,
        meeting_name=services.meeting_name(episode),
        initial=initial,
    )
    done = run_form_action(
        request,
        form,
        lambda _data: services.record_meeting(
            request.user, meeting, request=request, **form.service_arguments()
        ),
        success=_("Meeting recorded"),
        then=_detail_url(meeting),
    )
    if done:
        return done
    return render(
        request,
        "meetings/meeting_record.html",
        {
            "episode": episode,
            "meeting": meeting,
            "form": form,
            "refusal": services.recording_refusal(meeting),
            "meeting_name": services.meeting_name(episode),
        },
    )


@require_http_methods(["GET", "POST"])
def reschedule(request, episode_pk, pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    meeting = _meeting(episode, pk)
    form = RescheduleMeetingForm(
        posted(request), initial=RescheduleMeetingForm.initial_for(meeting)
    )
    done = run_form_action(
        request,
        form,
        lambda _data: services.reschedule_meeting(
            request.user, meeting, request=request, **form.time_and_place()
        ),
        success=lambda emailed: _told(emailed, _("Meeting moved")),
        then=_detail_url(meeting),
    )
    if done:
        return done
    return _change_page(request, episode, meeting, form, cancelling=False)


@require_http_methods(["GET", "POST"])
def cancel(request, episode_pk, pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    meeting = _meeting(episode, pk)
    form = CancelMeetingForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.cancel_meeting(
            request.user, meeting, reason=data["reason"], request=request
        ),
        success=lambda emailed: _told(emailed, _("Meeting cancelled")),
        then=_detail_url(meeting),
    )
    if done:
        return done
    return _change_page(request, episode, meeting, form, cancelling=True)


def _change_page(request, episode, meeting, form, *, cancelling):
    """Moving or cancelling a meeting: the same page, told which."""
    return render(
        request,
        "meetings/meeting_change.html",
        {
            "episode": episode,
            "meeting": meeting,
            "form": form,
            "refusal": services.change_refusal(meeting),
            "meeting_name": services.meeting_name(episode),
            "cancelling": cancelling,
        },
    )


def _told(emailed, done):
    """The message after a change: who was emailed, and that family members
    are sent it the way chosen for their invitation, or told by the worker."""
    if not emailed:
        return _(
            "%(done)s. No professional could be emailed: tell them. Family members are sent "
            "the change the way chosen for their invitation; tell any who have none"
        ) % {"done": done}
    return ngettext(
        "%(done)s. %(count)s professional was emailed. Family members are sent the change "
        "the way chosen for their invitation; tell any who have none",
        "%(done)s. %(count)s professionals were emailed. Family members are sent the change "
        "the way chosen for their invitation; tell any who have none",
        len(emailed),
    ) % {"done": done, "count": len(emailed)}


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
    form = forms.Form(posted(request))
    done = run_form_action(
        request,
        form,
        lambda _data: services.email_invite(request.user, meeting, request=request),
        success=lambda recipients: (
            ngettext(
                "Invitation emailed to %(count)s professional",
                "Invitation emailed to %(count)s professionals",
                len(recipients),
            )
            % {"count": len(recipients)}
        ),
        then=_detail_url(meeting),
    )
    return done or _render_detail(request, episode, meeting, form)


def letter(request, episode_pk, pk, person_pk):
    """The letter to print and post to a family member (a council without
    GOV.UK Notify), as a PDF in their language."""
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    meeting = _meeting(episode, pk)
    # Someone not invited to this meeting (another family's) is not found.
    invitee = get_object_or_404(
        meeting.invitees.select_related("person").prefetch_related("person__restrictions"),
        person_id=person_pk,
    )
    if refused := services.letter_refusal(request.user, meeting, invitee):
        messages.error(request, refused)
        return redirect(_detail_url(meeting))
    pdf, filename = services.print_letter(request.user, meeting, person_pk, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
