"""Pages for assessments; each fetches the case through core.policy first.

The task list links to one page per section; each is saved with "Save and
continue" or, in the background, by autosave.js through the section's autosave
endpoint (JSON). "Check and complete" shows everything and completes it. Once
the assessment is complete (or the episode has moved on) the same address
shows it read-only.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import Action
from audit.services import record
from core import policy
from core.forms import ConfirmForm, posted, run_form_action
from episodes import states
from plans import document

from . import sections, services
from .models import Assessment


def _load(request, episode_pk):
    """The case (a 404 for anyone who may not see it) and its assessment or None."""
    episode = policy.get_episode_for(request.user, episode_pk, request)
    assessment = (
        Assessment.objects.filter(episode=episode)
        .select_related(
            "started_by",
            "updated_by",
            "completed_by",
            "completed_by_organisation",
            "existing_plan__uploaded_by",
        )
        .first()
    )
    if assessment is not None:
        assessment.episode = episode
    return episode, assessment


def _editable(user, episode, assessment):
    return (
        assessment is not None
        and services.editing_refusal(assessment, episode) is None
        and policy.can_work_on_episode(user, episode)
    )


def _error_summary(items):
    return {"titleText": _("There is a problem"), "errorList": items} if items else None


def _summary(assessment, episode, known):
    """Every section with its rows, for the check page and the read-only view."""
    missing = {key for key, _message in services.missing_parts(assessment, known)}
    return [
        {
            "section": section,
            "rows": section.summary(assessment, known),
            "missing": section.key in missing,
        }
        for section in sections.all_sections(episode, known)
    ]


@require_GET
def task_list(request, episode_pk):
    episode, assessment = _load(request, episode_pk)
    if assessment is None:
        return _not_started(request, episode)
    known = services.facts(assessment)
    if not _editable(request.user, episode, assessment):
        record(Action.VIEW, actor=request.user, obj=assessment, request=request)
        return render(
            request,
            "assessments/assessment_view.html",
            {
                "episode": episode,
                "assessment": assessment,
                "summary": _summary(assessment, episode, known),
                "refusal": services.editing_refusal(assessment, episode),
                "family_documents": document.document_links(
                    episode, "assessments:document", episode.pk
                )
                if assessment.completed_at and policy.can_work_on_episode(request.user, episode)
                else [],
                "family_documents_heading": _("The assessment summary for the family"),
            },
        )
    rows = sections.task_list(assessment, episode, known)
    counted = [row for row in rows if row.status != sections.OPTIONAL]
    return render(
        request,
        "assessments/task_list.html",
        {
            "episode": episode,
            "assessment": assessment,
            "rows": rows,
            "done": sum(row.status == sections.COMPLETED for row in counted),
            "total": len(counted),
        },
    )


def _not_started(request, episode, form=None):
    can_start = states.allows(episode, "edit_assessment") and policy.can_work_on_episode(
        request.user, episode
    )
    return render(
        request,
        "assessments/not_started.html",
        {
            "episode": episode,
            "can_start": can_start,
            "form": form,
        },
    )


@require_POST
def start(request, episode_pk):
    episode, assessment = _load(request, episode_pk)
    task_list = reverse("assessments:task_list", args=[episode.pk])
    if assessment is not None:
        return redirect(task_list)
    form = ConfirmForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda _data: services.start_assessment(request.user, episode, request=request),
        then=task_list,
    )
    return done or _not_started(request, episode, form)


# Sections -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def section(request, episode_pk, section):
    episode, assessment = _load(request, episode_pk)
    return _section_page(request, episode, assessment, sections.get_section(episode, section))


@require_http_methods(["GET", "POST"])
def child(request, episode_pk, person_pk):
    episode, assessment = _load(request, episode_pk)
    return _section_page(
        request, episode, assessment, sections.get_child_section(episode, person_pk)
    )


def _section_page(request, episode, assessment, handler):
    if assessment is None:
        return redirect("assessments:task_list", episode.pk)
    if request.method == "GET" and not _editable(request.user, episode, assessment):
        return redirect("assessments:task_list", episode.pk)
    if request.method == "POST" and not policy.can_work_on_episode(request.user, episode):
        # A reader (a panel member) is refused whatever was posted, not shown a form.
        raise PermissionDenied
    posted_form = form = handler.form(assessment, data=posted(request))
    conflict = None

    def show_both(stale):
        nonlocal form, conflict
        current = stale.current
        current.episode = episode
        conflict = {
            "rows": sections.differences(posted_form, handler.values(current)),
            "by": current.updated_by,
            "at": timezone.localtime(current.updated_at),
        }
        # Keep what this person typed, but from the version now saved,
        # so saving again (after merging) goes through.
        data = request.POST.copy()
        data["version"] = str(current.version)
        form = handler.form(current, data=data)
        form.is_valid()
        return form

    # A refusal (e.g. completed meanwhile) keeps the typed text on the page.
    done = run_form_action(
        request,
        posted_form,
        lambda _data: handler.save(request.user, assessment, posted_form, request=request),
        then=reverse("assessments:task_list", args=[episode.pk]),
        on_stale=show_both,
    )
    if done:
        return done
    if request.method != "POST":
        record(Action.VIEW, actor=request.user, obj=assessment, request=request)
    return render(
        request,
        "assessments/section.html",
        {
            "episode": episode,
            "assessment": assessment,
            "section": handler,
            "form": form,
            "conflict": conflict,
            "draft_key": f"earlyhelp:assessment:{request.user.pk}:{episode.pk}:{handler.key}",
            **handler.context(assessment),
        },
    )


@require_POST
def section_autosave(request, episode_pk, section):
    episode, assessment = _load(request, episode_pk)
    return _autosave(request, episode, assessment, sections.get_section(episode, section))


@require_POST
def child_autosave(request, episode_pk, person_pk):
    episode, assessment = _load(request, episode_pk)
    return _autosave(request, episode, assessment, sections.get_child_section(episode, person_pk))


def _autosave(request, episode, assessment, handler):
    """Save a draft of one section in the background. Never completes the
    assessment; a conflicting save is refused with 409 like any other."""
    if assessment is None:
        return JsonResponse(
            {"saved": False, "message": _("The assessment has not been started")}, status=404
        )
    form = handler.form(assessment, data=request.POST, autosave=True)
    if not form.is_valid():
        errors = {name: [str(message) for message in errs] for name, errs in form.errors.items()}
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    try:
        handler.save(request.user, assessment, form, request=request)
    except services.StaleEdit:
        return JsonResponse(
            {
                "saved": False,
                "conflict": True,
                "message": _(
                    "Someone else has changed this section: reload to see their changes; "
                    "your text is kept in this browser"
                ),
            },
            status=409,
        )
    except ValidationError as error:
        return JsonResponse({"saved": False, "message": " ".join(error.messages)}, status=409)
    except PermissionDenied:
        return JsonResponse(
            {"saved": False, "message": _("You cannot change this assessment")}, status=403
        )
    return JsonResponse(
        {
            "saved": True,
            "version": assessment.version,
            "saved_at": time_format(timezone.localtime(assessment.updated_at), "H:i"),
        }
    )


# Check and complete -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def check(request, episode_pk):
    episode, assessment = _load(request, episode_pk)
    if not _editable(request.user, episode, assessment):
        return redirect("assessments:task_list", episode.pk)
    known = services.facts(assessment)
    form = ConfirmForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda _data: services.complete_assessment(request.user, assessment, request=request),
        success=_("The assessment is complete"),
        then=reverse("episodes:detail", args=[episode.pk]),
    )
    if done:
        return done
    if request.method != "POST":
        record(Action.VIEW, actor=request.user, obj=assessment, request=request)
    # Each missing part links to the section where it is filled in.
    urls = {section.key: section.url() for section in sections.all_sections(episode, known)}
    refusals = form.non_field_errors()
    errors = [
        {"text": text, "href": urls.get(error.code, "#main-content")}
        for error, text in zip(refusals.as_data(), refusals, strict=True)
    ]
    return render(
        request,
        "assessments/check.html",
        {
            "episode": episode,
            "assessment": assessment,
            "summary": _summary(assessment, episode, known),
            "form": form,
            "error_summary": _error_summary(errors),
        },
    )


def _summary_document(request, episode_pk, person_pk, fmt):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    assessment = Assessment.objects.filter(episode=episode, completed_at__isnull=False).first()
    person = document.family_member(episode, person_pk)
    if assessment is None or person is None:
        raise Http404("No completed assessment, or no such family member.")
    assessment.episode = episode
    made = services.summary_document(
        request.user,
        assessment,
        person,
        fmt=fmt,
        language=document.requested_language(request, episode.local_authority),
        back_url=reverse("assessments:task_list", args=[episode.pk]),
        request=request,
    )
    return document.response(made, fmt)


@require_GET
def summary_document(request, episode_pk, person_pk):
    """The completed assessment's summary for one family member, to print."""
    return _summary_document(request, episode_pk, person_pk, "html")


@require_GET
def summary_document_pdf(request, episode_pk, person_pk):
    return _summary_document(request, episode_pk, person_pk, "pdf")
