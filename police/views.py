"""Police notifications: the queue, recording one, reading and acknowledging
it, and the council's non-school days."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import Action
from audit.services import record
from core import policy
from core.forms import ConfirmForm, posted, run_form_action
from core.paging import counted_page

from . import services
from .forms import AcknowledgeForm, NonSchoolDayForm, NotificationForm
from .models import NonSchoolDay, PoliceNotification

PAGE_SIZE = 50


@require_GET
def notification_list(request):
    visible = policy.police_notifications_visible_to(request.user).select_related(
        "school", "district"
    )
    # Each list its own pages: the oldest due first of those waiting (none
    # may be out of reach, however many are waiting), the newest acknowledged.
    awaiting = counted_page(
        visible.filter(acknowledged_at__isnull=True).order_by("acknowledge_by", "pk"),
        request.GET.get("waiting"),
        PAGE_SIZE,
    )
    page = counted_page(
        visible.filter(acknowledged_at__isnull=False).order_by("-incident_at", "-pk"),
        request.GET.get("page"),
        PAGE_SIZE,
    )
    return render(
        request,
        "police/list.html",
        {
            "awaiting": awaiting,
            "page": page,
            "may_record": policy.can_record_police_notification(request.user),
            "may_manage_calendar": policy.can_manage_school_calendar(request.user),
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
def notification_new(request):
    if not policy.can_record_police_notification(request.user):
        raise PermissionDenied
    la = request.user.local_authority
    form = NotificationForm(posted(request), la=la)
    done = run_form_action(
        request,
        form,
        lambda data: services.record_notification(
            request.user,
            la,
            police_reference=data["police_reference"],
            incident_at=data["incident_at"],
            kind=data["kind"],
            circumstances=data["circumstances"],
            school=data["school"],
            children=data["children"],
            request=request,
        ),
        success=_("Police notification recorded"),
        then=lambda notification: reverse("police:detail", args=[notification.pk]),
    )
    if done:
        return done
    return render(request, "police/new.html", {"form": form})


def _notification_or_404(request, pk):
    try:
        return (
            policy.police_notifications_visible_to(request.user)
            .select_related("school", "district", "episode", "acknowledged_by", "recorded_by")
            .get(pk=pk)
        )
    except PoliceNotification.DoesNotExist:
        raise Http404 from None


def _detail(request, notification, form):
    record(Action.VIEW, actor=request.user, obj=notification, request=request)
    return render(
        request,
        "police/detail.html",
        {
            "notification": notification,
            "children": list(notification.children.all()),
            "form": form,
            "case_visible": notification.episode_id is not None
            and policy.episodes_visible_to(request.user)
            .filter(pk=notification.episode_id)
            .exists(),
        },
    )


@require_GET
def notification_detail(request, pk):
    return _detail(request, _notification_or_404(request, pk), AcknowledgeForm())


@require_POST
def notification_acknowledge(request, pk):
    notification = _notification_or_404(request, pk)
    form = AcknowledgeForm(request.POST)
    done = run_form_action(
        request,
        form,
        lambda data: services.acknowledge(
            request.user, notification, data["note"], request=request
        ),
        success=_("Acknowledged"),
        then=reverse("police:detail", args=[notification.pk]),
    )
    return done or _detail(request, notification, form)


@require_http_methods(["GET", "POST"])
def non_school_days(request):
    if not policy.can_manage_school_calendar(request.user):
        raise PermissionDenied
    form = NonSchoolDayForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.add_non_school_days(
            request.user, data["first_day"], data["last_day"], data["name"], request=request
        ),
        success=lambda added: _("%(count)s days added") % {"count": added},
        then=reverse("police:non_school_days"),
    )
    if done:
        return done
    days = NonSchoolDay.objects.filter(
        local_authority_id=request.user.local_authority_id,
        day__gte=timezone.localdate(),
    )
    return render(request, "police/non_school_days.html", {"form": form, "days": days})


@require_POST
def non_school_day_remove(request, pk):
    if not policy.can_manage_school_calendar(request.user):
        raise PermissionDenied
    try:
        day = NonSchoolDay.objects.get(pk=pk, local_authority_id=request.user.local_authority_id)
    except NonSchoolDay.DoesNotExist:
        raise Http404 from None
    form = ConfirmForm(request.POST)
    return run_form_action(
        request,
        form,
        lambda _data: services.remove_non_school_day(request.user, day, request=request),
        success=_("Day removed"),
        then=reverse("police:non_school_days"),
    )
