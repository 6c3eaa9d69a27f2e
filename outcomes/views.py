"""Supporting Families outcomes: the six-month checks a lead professional owes
and answers, and the managers' claim report and its download."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Min
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import Action
from audit.services import record
from core import policy
from core.forms import PeriodForm, posted, run_form_action
from episodes.models import Episode
from people import restrictions

from . import export, services
from .claim import RULES, claim_report
from .forms import SustainmentForm
from .models import SustainmentCheck

PAGE_SIZE = 50


@require_GET
def checks(request):
    """The six-month checks the user owes, by case."""
    if not policy.can_see_case_lists(request.user):
        raise PermissionDenied
    owed = policy.sustainment_checks_owed_by(request.user)
    # A page of cases, the soonest due first: checks nobody answers stay owed.
    page = Paginator(
        owed.values("episode_id").annotate(due=Min("due_on")).order_by("due", "episode_id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    cases: dict[Episode, list[SustainmentCheck]] = {}
    for check in (
        owed.filter(episode_id__in=[row["episode_id"] for row in page.object_list])
        .select_related("episode__family", "need")
        .order_by("due_on", "episode_id", "pk")
    ):
        cases.setdefault(check.episode, []).append(check)
    return render(
        request,
        "outcomes/checks.html",
        {
            "cases": [
                (episode, items, services.answer_by(items[0])) for episode, items in cases.items()
            ],
            "page": page,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def record_checks(request, episode_pk):
    episode = policy.get_case_for_sustainment(request.user, episode_pk, request)
    owed = list(
        policy.sustainment_checks_for(request.user)
        .filter(episode=episode, sustained__isnull=True)
        .select_related("need")
        .order_by("pk")
    )
    record(Action.VIEW, actor=request.user, obj=episode, request=request)
    form = SustainmentForm(posted(request), checks=owed)
    done = None
    if owed:
        done = run_form_action(
            request,
            form,
            lambda data: services.record_sustainment(
                request.user, episode, form.answers(), request=request
            ),
            success=_("Thank you: whether the outcomes lasted is recorded"),
            then=reverse("outcomes:checks"),
        )
    if done:
        return done
    answered = (
        policy.sustainment_checks_for(request.user)
        .filter(episode=episode, sustained__isnull=False)
        .select_related("need")
        .order_by("pk")
    )
    return render(
        request,
        "outcomes/record_checks.html",
        {"episode": episode, "form": form, "owed": owed, "answered": answered},
    )


def _period(request):
    """The period form, bound once a period was asked for."""
    asked = any(key.startswith(("start-", "end-")) for key in request.GET)
    return PeriodForm(request.GET if asked else None)


def _report(request, form):
    user = request.user
    return claim_report(
        user.local_authority,
        form.cleaned_data["start"],
        form.cleaned_data["end"],
        name_of=lambda person: restrictions.shown_to(user, person, request).full_name,
    )


@require_GET
def claim(request):
    if not policy.can_see_supporting_families_claim(request.user):
        raise PermissionDenied
    form = _period(request)
    report = None
    if form.is_bound and form.is_valid():
        report = _report(request, form)
        record(
            Action.VIEW,
            actor=request.user,
            request=request,
            local_authority=request.user.local_authority,
            changes={
                "report": "supporting_families_claim",
                "from": report.start.isoformat(),
                "to": report.end.isoformat(),
                "families": len(report.families),
            },
        )
    return render(
        request,
        "outcomes/claim.html",
        {
            "form": form,
            "report": report,
            # Every family is counted; shown a page at a time (the download has them all).
            "families": Paginator(report.families if report else [], PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "rules": RULES.values(),
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def claim_download(request):
    if not policy.can_see_supporting_families_claim(request.user):
        raise PermissionDenied
    form = _period(request)
    if not (form.is_bound and form.is_valid()):
        return render(
            request,
            "outcomes/claim.html",
            {"form": form, "report": None, "rules": RULES.values(), "query": ""},
            status=400 if form.is_bound else 200,
        )
    report = _report(request, form)
    export.audit_export(report, actor=request.user, request=request)
    response = HttpResponse(export.to_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="supporting-families-claim-{report.start}-{report.end}.csv"'
    )
    return response
