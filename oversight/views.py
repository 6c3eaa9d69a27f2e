"""The worklist of drift and delay alerts, and acknowledging or chasing one."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import District, Organisation, User
from core import policy
from core.forms import ConfirmForm, posted, run_form_action

from . import dashboard as dashboards
from . import services
from .forms import AcknowledgeForm
from .models import Alert
from .rules import RULES
from .worklist import Filters, page_of, shown_count, table_rows, worklist

PAGE_SIZE = 50


@require_GET
def alert_list(request):
    if not policy.can_see_case_lists(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    filters = Filters.from_query(request.GET)
    alerts, counts = worklist(request.user, filters, today)
    page = page_of(alerts, request.GET.get("page"), PAGE_SIZE, shown_count(filters, counts))
    labels = {rule.key: str(rule.label) for rule in RULES}
    la = request.user.local_authority
    return render(
        request,
        "oversight/worklist.html",
        {
            "page": page,
            "table_rows": table_rows(page.object_list, labels),
            "filters": filters,
            "rules": [(rule, counts.get(rule.key, 0)) for rule in RULES],
            "total": sum(counts.values()),
            # (id, name) pairs for the filters' options, not whole records.
            "districts": District.objects.filter(local_authority=la)
            .order_by("name")
            .values_list("pk", "name"),
            "organisations": Organisation.objects.filter(local_authority=la)
            .order_by("name")
            .values_list("pk", "name"),
            "workers": User.objects.filter(
                pk__in=policy.alerts_visible_to(request.user).values("episode__lead_professional")
            )
            .order_by("full_name")
            .values_list("pk", "full_name"),
            "may_see_dashboard": dashboards.can_see_dashboard(request.user),
            "today": today,
        },
    )


def _alert_or_404(request, pk):
    try:
        return policy.alerts_visible_to(request.user).select_related("episode").get(pk=pk)
    except Alert.DoesNotExist:
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def alert_acknowledge(request, pk):
    alert = _alert_or_404(request, pk)
    form = AcknowledgeForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.acknowledge(
            request.user, alert, note=data["note"], until=data["until"], request=request
        ),
        success=_("Acknowledged: it comes back if still true on the date you gave"),
        then=reverse("oversight:worklist"),
    )
    if done:
        return done
    rule = next((r for r in RULES if r.key == alert.rule), None)
    return render(
        request, "oversight/acknowledge.html", {"form": form, "alert": alert, "rule": rule}
    )


@require_POST
def alert_chase(request, pk):
    alert = _alert_or_404(request, pk)
    form = ConfirmForm(request.POST)
    done = run_form_action(
        request,
        form,
        lambda _data: services.chase(request.user, alert, request=request),
        success=lambda lead: (
            _("%(name)s has been asked to look at the case") % {"name": lead.full_name}
        ),
        then=reverse("oversight:worklist"),
    )
    if done:
        return done
    rule = next((r for r in RULES if r.key == alert.rule), None)
    return render(request, "oversight/chase.html", {"form": form, "alert": alert, "rule": rule})


@require_GET
def dashboard(request):
    if not dashboards.can_see_dashboard(request.user):
        raise PermissionDenied
    allowed = dashboards.districts_for(request.user)
    from core.validators import parse_whole_number

    chosen = parse_whole_number(request.GET.get("district", ""))
    districts = allowed.filter(pk=chosen) if chosen is not None else allowed
    return render(
        request,
        "oversight/dashboard.html",
        {
            "charts": dashboards.dashboard(request.user, districts),
            "allowed": allowed.values_list("pk", "name"),
            "chosen": chosen if districts.exists() else None,
        },
    )


@require_http_methods(["GET", "POST"])
def timescales(request):
    if not policy.can_set_timescales(request.user):
        raise PermissionDenied
    from .evaluation import timescales_for
    from .forms import TimescalesForm

    form = TimescalesForm(posted(request), instance=timescales_for(request.user.local_authority))
    done = run_form_action(
        request,
        form,
        lambda data: services.update_timescales(request.user, data, request=request),
        success=_("Timescales saved: the worklists follow them from tomorrow's check"),
        then=reverse("oversight:timescales"),
    )
    if done:
        return done
    return render(request, "oversight/timescales.html", {"form": form})
