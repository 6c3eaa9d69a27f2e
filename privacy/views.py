from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import Action
from audit.services import record
from core import policy
from core.forms import posted, run_form_action

from . import due_counts, retention
from . import subject_access as sar
from .forms import RetentionRuleForm


@require_GET
def subject_access(request, pk):
    person = policy.get_person_for_subject_access(request.user, pk, request)
    record(Action.VIEW, actor=request.user, obj=person, request=request)
    copy = sar.collect(person, request.user)
    return render(
        request,
        "privacy/subject_access.html",
        {"person": person, "withheld": copy["withheld"], "episodes": len(copy["episodes"])},
    )


@never_cache
@require_GET
def subject_access_download(request, pk, fmt):
    if fmt not in sar.FORMATS:
        raise Http404("Choose json, html or pdf.")
    person = policy.get_person_for_subject_access(request.user, pk, request)
    content = sar.export(request.user, person, fmt, request=request)
    response = HttpResponse(content, content_type=sar.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{sar.filename(person, fmt)}"'
    return response


@require_http_methods(["GET", "POST"])
def retention_settings(request):
    la = request.user.local_authority
    if la is None or not policy.can_change_retention_rule(request.user, la):
        raise PermissionDenied
    rule = retention.rule_for(la)
    initial = {name: getattr(rule, name) for name in retention.RULE_FIELDS}
    form = RetentionRuleForm(posted(request), initial=initial)
    done = run_form_action(
        request,
        form,
        lambda data: retention.update_rule(request.user, la, data, request=request),
        # Saving nothing new says nothing.
        success=lambda changed: changed and _("Retention rule saved for %(la)s") % {"la": la.name},
        then=reverse("privacy:retention"),
    )
    if done:
        return done
    counted = due_counts.shown(la)
    return render(
        request,
        "privacy/retention_settings.html",
        {
            "form": form,
            "la": la,
            "rule": rule,
            "due": counted.due,
            "undetermined": counted.undetermined,
            "counted_at": counted.counted_at,
        },
    )
