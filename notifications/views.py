from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import policy
from core.paging import counted_page

from . import outbox, services

PAGE_SIZE = 50


@require_POST
def mark_all_read(request):
    services.mark_all_read(request.user)
    return redirect("core:home")


def failed_emails(request):
    """The council's emails that could not be sent, for its administrator."""
    if not policy.can_manage_users(request.user):
        raise PermissionDenied
    page = counted_page(outbox.failed_for(request.user), request.GET.get("page"), PAGE_SIZE)
    return render(request, "notifications/failed_emails.html", {"page": page})


@require_POST
def send_again(request, pk):
    if not policy.can_manage_users(request.user):
        raise PermissionDenied
    email = get_object_or_404(outbox.failed_for(request.user), pk=pk)
    email = outbox.send_again(request.user, email.pk, request=request)
    email.refresh_from_db()  # sent by now if the task ran at once, after the commit
    if email.status == email.Status.SENT:
        messages.success(request, _("Email sent again"))
    else:
        messages.success(request, _("Email queued to be sent again"))
    return redirect("notifications:failed_emails")
