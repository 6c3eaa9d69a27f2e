"""The advice line's pages: the adviser's list, recording advice (with the
"already known?" check), one record, and marking a follow-up done."""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import Action
from audit.services import record
from core import policy
from core.forms import ConfirmForm, posted, run_form_action
from core.paging import counted_page

from . import services
from .forms import AdviceForm
from .models import AdviceContact

PAGE_SIZE = 50
CHECK = "check"  # the name of the "Check if the family is known" button


def _require_adviser(request):
    if not policy.can_give_advice(request.user):
        raise PermissionDenied


def _contact_or_404(request, pk):
    try:
        return (
            policy.advice_visible_to(request.user)
            .select_related(
                "district", "caller_organisation", "person", "recorded_by", "followed_up_by"
            )
            .get(pk=pk)
        )
    except AdviceContact.DoesNotExist:
        raise Http404 from None


@require_GET
def advice_list(request):
    _require_adviser(request)
    visible = policy.advice_visible_to(request.user).select_related(
        "district", "caller_organisation"
    )
    follow_ups = visible.filter(follow_up_on__isnull=False, followed_up_at__isnull=True).order_by(
        "follow_up_on", "pk"
    )[:PAGE_SIZE]
    page = counted_page(
        visible.order_by(F("received_on").desc(), "-pk"), request.GET.get("page"), PAGE_SIZE
    )
    return render(
        request,
        "advice/list.html",
        {
            "follow_ups": follow_ups,
            "page": page,
            "today": timezone.localdate(),
            # Families who asked for help themselves (families/), no case started yet.
            "family_requests_waiting": policy.family_requests_visible_to(request.user)
            .filter(episode__isnull=True)
            .count(),
        },
    )


def _family_details(request):
    """The family details posted so far, read by the full form's own fields."""
    form = AdviceForm(request.POST, la=request.user.local_authority)
    form.is_valid()  # only the valid family fields count
    return services.FamilyDetails.from_data(form.cleaned_data)


@require_http_methods(["GET", "POST"])
def advice_new(request):
    _require_adviser(request)
    la = request.user.local_authority
    matches = None
    if request.method == "POST":
        details = _family_details(request)
        matches = services.check_known(request.user, details)
        if CHECK in request.POST:
            record(
                Action.VIEW,
                actor=request.user,
                request=request,
                changes={"search": "people", "results": len(matches or []), "for": "advice"},
            )
    people = [(m.person.pk, m.person.full_name) for m in matches or [] if m.person is not None]
    initial = {"received_on": timezone.localdate()}
    form = AdviceForm(posted(request), la=la, people=people, initial=initial)
    if CHECK not in request.POST:
        done = run_form_action(
            request,
            form,
            lambda data: services.record_advice(request.user, data, request=request),
            success=_("Advice recorded"),
            then=lambda contact: reverse("advice:detail", args=[contact.pk]),
        )
        if done:
            return done
    elif matches is None:
        form.add_error(
            "last_name",
            _("Enter the child's or family's last name and one more detail to check"),
        )
    open_cases = services.open_cases_of(request.user, matches or [])
    return render(
        request,
        "advice/new.html",
        {
            "form": form,
            "matches": matches,
            "found": [
                (match, open_cases.get(match.person.pk) if match.person else None)
                for match in matches or []
            ],
            "checked": CHECK in request.POST,
        },
    )


@require_GET
def advice_detail(request, pk):
    _require_adviser(request)
    contact = _contact_or_404(request, pk)
    record(Action.VIEW, actor=request.user, obj=contact, request=request)
    return render(
        request,
        "advice/detail.html",
        {"contact": contact, "form": ConfirmForm()},
    )


@require_http_methods(["POST"])
def follow_up_done(request, pk):
    _require_adviser(request)
    contact = _contact_or_404(request, pk)
    form = ConfirmForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda _data: services.mark_followed_up(request.user, contact, request=request),
        success=_("Follow-up marked as done"),
        then=reverse("advice:detail", args=[contact.pk]),
    )
    if done:
        return done
    record(Action.VIEW, actor=request.user, obj=contact, request=request)
    return render(request, "advice/detail.html", {"contact": contact, "form": form})
