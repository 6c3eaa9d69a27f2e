"""Case notes and attachments; each fetches the case through core.policy first."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import Action
from audit.services import record
from core import policy
from core.forms import posted, run_form_action

from . import services
from .forms import AttachmentForm, NoteForm

PAGE_SIZE = 50


@require_GET
def case_notes(request, episode_pk):
    """Every case note and file of the case, newest first, each list a page
    at a time (the case page shows the newest few)."""
    episode = policy.get_episode_for(request.user, episode_pk, request)
    record(Action.VIEW, actor=request.user, obj=episode, request=request)
    notes = episode.case_notes.select_related("author").order_by(
        "-happened_on", "-recorded_at", "-pk"
    )
    files = episode.attachments.order_by("-uploaded_at", "-pk")
    return render(
        request,
        "notes/list.html",
        {
            "episode": episode,
            "notes": Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page")),
            "files": Paginator(files, PAGE_SIZE).get_page(request.GET.get("files")),
            "can_work": policy.can_work_on_episode(request.user, episode),
        },
    )


@require_http_methods(["GET", "POST"])
def add_note(request, episode_pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    form = NoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.add_note(request.user, episode, request=request, **form.cleaned_data)
        messages.success(request, _("Case note added"))
        return redirect("episodes:detail", pk=episode.pk)
    return render(request, "notes/add_note.html", {"episode": episode, "form": form})


@require_http_methods(["GET", "POST"])
def add_attachment(request, episode_pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    form = AttachmentForm(posted(request), request.FILES or None)
    done = run_form_action(
        request,
        form,
        lambda data: services.add_attachment(
            request.user,
            episode,
            upload=data["file"],
            kind=data["kind"],
            description=data["description"],
            request=request,
        ),
        success=_("File attached"),
        then=reverse("episodes:detail", kwargs={"pk": episode.pk}),
    )
    if done:
        return done
    return render(request, "notes/add_attachment.html", {"episode": episode, "form": form})


def download(request, episode_pk, pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    attachment = episode.attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404
    handle = services.open_attachment(request.user, attachment, request)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
