"""Pages for plans; each fetches the case through core.policy first."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from assessments.models import Assessment
from audit.models import Action as AuditAction
from audit.services import record
from core import policy
from core.forms import posted, run_form_action
from core.paging import counted_page
from core.validators import parse_whole_number
from episodes import states
from meetings import services as meeting_services
from people import restrictions
from people.models import Person
from reviews.models import Decision

from . import document, services
from .forms import (
    ACTION_FIELDS,
    ActionStatusForm,
    AgreePlanForm,
    AmendPlanForm,
    CopyForm,
    DocumentForm,
    PlanChoices,
    with_another,
)
from .models import Action, ActionStatus, CopyMethod, Plan

TOO_YOUNG = gettext_lazy("Too young to understand the plan")
VERSIONS_PAGE_SIZE = 50


def _goals(plan):
    """The plan's goals with their actions, agencies and workers: three queries."""
    goals = list(
        plan.goals.select_related("lead_organisation").prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("organisation", "worker"),
            )
        )
    )
    today = timezone.localdate()
    for goal in goals:
        for action in goal.actions.all():
            action.overdue = services.is_overdue(action, today)
    return goals


def _pending_amendment(episode, plan):
    """The latest review, if it decided to amend the plan and no version has
    been made since."""
    review = episode.reviews.order_by("-recorded_at", "-id").first()
    if review and review.decision == Decision.AMEND and review.recorded_at > plan.agreed_at:
        return review
    return None


def plan_page(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    plan = services.current_plan(episode)
    can_work = policy.can_work_on_episode(request.user, episode)
    if plan is None:
        return render(
            request,
            "plans/no_plan.html",
            {"episode": episode, "can_agree": can_work and states.allows(episode, "agree_plan")},
        )
    record(
        AuditAction.VIEW,
        actor=request.user,
        obj=plan,
        request=request,
        local_authority=episode.local_authority,
    )
    goals = _goals(plan)
    members = services.copy_members(episode)
    return render(
        request,
        "plans/plan.html",
        {
            "episode": episode,
            "plan": plan,
            "goals": goals,
            "is_current": True,
            "can_edit": can_work and states.allows(episode, "change_plan"),
            "still_need_copy": services.still_need_copy(plan, members),
            "none_owed": states.why_not(episode, "owe_plan_copies"),
            "overdue": sum(a.overdue for g in goals for a in g.actions.all()),
            "pending_review": _pending_amendment(episode, plan) if can_work else None,
        },
    )


def version_list(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    # A version at each review of a case held for years: the newest (the
    # current plan) first, a page at a time.
    page = counted_page(
        episode.plans.select_related("agreed_by").order_by("-number"),
        request.GET.get("page"),
        VERSIONS_PAGE_SIZE,
    )
    current = services.current_plan(episode)
    return render(
        request,
        "plans/version_list.html",
        {"episode": episode, "page": page, "current": current.number if current else None},
    )


def version(request, episode_pk, number):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    plan = get_object_or_404(episode.plans.select_related("agreed_by"), number=number)
    if services.is_current(plan):
        return redirect("plans:current", episode_pk=episode.pk)
    record(
        AuditAction.VIEW,
        actor=request.user,
        obj=plan,
        request=request,
        local_authority=episode.local_authority,
    )
    return render(
        request,
        "plans/plan.html",
        {
            "episode": episode,
            "plan": plan,
            "goals": _goals(plan),
            "is_current": False,
            "can_edit": False,
            "current_number": episode.plans.order_by("-number").values_list("number", flat=True)[0],
        },
    )


@require_http_methods(["GET", "POST"])
def agree(request, episode_pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    meeting_name = meeting_services.meeting_name(episode)
    if not states.allows(episode, "agree_plan"):
        return render(
            request,
            "plans/agree.html",
            {
                "episode": episode,
                "refusal": states.refusal(episode, "agree_plan"),
                "meeting_name": meeting_name,
            },
        )
    assessment = Assessment.objects.filter(episode=episode).first()
    goal_lines = assessment.goal_lines if assessment else []
    users = list(meeting_services.team_staff(episode))
    chosen = (
        episode.meetings.filter(held=True, lead_professional__isnull=False)
        .order_by("-starts_at")
        .values_list("lead_professional_id", flat=True)
        .first()
    )
    data = posted(request)
    add = request.POST.get("add_action") or request.POST.get("add_goal")
    if add:
        data = with_another(request.POST, add)
    form = AgreePlanForm(
        data,
        choices=PlanChoices(episode),
        new_goals=max(1, len(goal_lines)),
        goal_lines=goal_lines,
        lead_candidates=(users, meeting_services.staff_organisations(episode, users)),
        meeting_name=meeting_name,
        initial={"lead_professional": chosen or episode.lead_professional_id},
    )
    if add:
        form.without_errors()
    elif done := run_form_action(
        request,
        form,
        lambda _data: services.agree_plan(
            request.user, episode, request=request, **form.service_arguments()
        ),
        success=_("Plan agreed"),
        then=reverse("plans:current", kwargs={"episode_pk": episode.pk}),
    ):
        return done
    return render(
        request,
        "plans/agree.html",
        {"episode": episode, "form": form, "meeting_name": meeting_name},
    )


def _display(name, value):
    if value is None or value == "":
        return _("Not named yet") if name == "worker" else "—"
    if name == "due_by":
        return date_format(value, "j F Y")
    if hasattr(value, "full_name"):
        return value.full_name
    return str(value)


FIELD_LABELS = {
    "what": gettext_lazy("What will be done"),
    "organisation": gettext_lazy("Agency"),
    "worker": gettext_lazy("Named worker"),
    "due_by": gettext_lazy("By when"),
    "success_measure": gettext_lazy("How everyone will know it worked"),
    "status": gettext_lazy("Status"),
    "not_done_reason": gettext_lazy("Why not done"),
}


def _rebase(form, current, choices):
    """After someone else made a newer version: a fresh form on `current` that
    keeps this person's changes, and the rows of the differences to show."""
    goal_map, action_map = services.descendants(form.plan, current)
    current_actions = {
        action.pk: action
        for action in Action.objects.filter(goal__plan=current).select_related(
            "organisation", "worker"
        )
    }
    initial = {"change_summary": form.cleaned_data["change_summary"]}
    differences = []
    for old, values in form.changed_actions.items():
        now = current_actions.get(action_map.get(old.pk))
        for name in ACTION_FIELDS:
            mine = values[name]
            before = getattr(old, name)
            if getattr(before, "pk", before) == getattr(mine, "pk", mine):
                continue
            differences.append(
                {
                    "action": now.what if now else old.what,
                    "field": FIELD_LABELS[name],
                    "mine": _display(name, mine),
                    "current": _display(name, getattr(now, name)) if now else _("Removed"),
                }
            )
            if now:
                initial[f"action{now.pk}-{name}"] = getattr(mine, "pk", mine)
    layout = {}
    for added in form.added_actions:
        key = f"goal{goal_map.get(added['goal'].pk)}"
        row = layout.get(key, 0)
        layout[key] = row + 1
        for name in ACTION_FIELDS:
            initial[f"{key}-action{row}-{name}"] = getattr(added[name], "pk", added[name])
    for index, goal in enumerate(form.added_goals):
        initial[f"new{index}-text"] = goal["text"]
        initial[f"new{index}-outcome"] = goal["outcome"]
        initial[f"new{index}-lead_organisation"] = goal["lead_organisation"].pk
        layout[f"new{index}"] = len(goal["actions"])
        for row, added in enumerate(goal["actions"]):
            for name in ACTION_FIELDS:
                value = added[name]
                initial[f"new{index}-action{row}-{name}"] = getattr(value, "pk", value)
    fresh = AmendPlanForm(
        choices=choices,
        plan=current,
        new_goals=len(form.added_goals),
        initial=initial,
        rows=layout,
    )
    return fresh, differences


@require_http_methods(["GET", "POST"])
def change(request, episode_pk):
    """Amend the plan: change or add actions, add goals; saving makes a new version."""
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    plan = services.current_plan(episode)
    if plan is None or not states.allows(episode, "change_plan"):
        raise Http404("There is no plan in place to change.")
    based_on = plan
    # An id that is not a whole number is no id: the current plan, no review.
    based_on_pk = parse_whole_number(request.POST.get("based_on"))
    if request.method == "POST" and based_on_pk is not None:
        based_on = get_object_or_404(episode.plans, pk=based_on_pk)
    choices = PlanChoices(episode)
    review = None
    initial = {}
    review_pk = parse_whole_number(request.GET.get("review"))
    if review_pk is not None:
        review = episode.reviews.filter(pk=review_pk).first()
        if review:
            initial["change_summary"] = _("Amended at the review on %(date)s") % {
                "date": date_format(review.held_on, "j F Y")
            }
    data = posted(request)
    add = request.POST.get("add_action") or request.POST.get("add_goal")
    if add:
        data = with_another(request.POST, add)
    posted_form = form = AmendPlanForm(
        data, choices=choices, plan=_with_goals(based_on), new_goals=0, initial=initial
    )
    differences = None

    def show_both(stale):
        nonlocal form, differences, based_on
        based_on = _with_goals(stale.current)
        form, differences = _rebase(posted_form, based_on, choices)
        return form

    if add:
        form.without_errors()
    elif done := run_form_action(
        request,
        posted_form,
        lambda _data: services.new_version(
            request.user, based_on, request=request, **posted_form.service_arguments()
        ),
        success=lambda new: _("Plan changed: this is version %(number)s") % {"number": new.number},
        then=reverse("plans:current", kwargs={"episode_pk": episode.pk}),
        on_stale=show_both,
    ):
        return done
    return render(
        request,
        "plans/change.html",
        {
            "episode": episode,
            "plan": based_on,
            "form": form,
            "review": review,
            "differences": differences,
        },
    )


def _with_goals(plan):
    plan.goal_list = list(
        plan.goals.select_related("lead_organisation").prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("organisation", "worker"))
        )
    )
    return plan


@require_http_methods(["GET", "POST"])
def action_status(request, episode_pk, pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    action = get_object_or_404(
        Action.objects.select_related("goal__plan", "organisation", "worker"),
        pk=pk,
        goal__plan__episode=episode,
    )
    plan = action.goal.plan
    if not services.is_current(plan) or not states.allows(episode, "change_plan"):
        raise Http404("Only actions of the plan in place can be updated.")
    posted_form = form = ActionStatusForm(
        posted(request),
        initial={
            "status": action.status,
            "not_done_reason": action.not_done_reason,
            "edit_version": plan.edit_version,
        },
    )
    differences = None

    def show_both(stale):
        nonlocal form, differences, action
        current = stale.current
        data = posted_form.cleaned_data
        differences = [
            {
                "field": FIELD_LABELS[name],
                "mine": mine,
                "current": theirs,
            }
            for name, mine, theirs in (
                (
                    "status",
                    ActionStatus(data["status"]).label,
                    current.get_status_display(),
                ),
                (
                    "not_done_reason",
                    data["not_done_reason"] or "—",
                    current.not_done_reason or "—",
                ),
            )
        ]
        # Keep this person's input; saving again now replaces the current value knowingly.
        fresh = request.POST.copy()
        fresh["edit_version"] = str(Plan.objects.get(pk=plan.pk).edit_version)
        form = ActionStatusForm(fresh)
        form.is_valid()
        action = current
        return form

    done = run_form_action(
        request,
        posted_form,
        lambda data: services.update_action_status(
            request.user,
            action,
            status=data["status"],
            not_done_reason=data["not_done_reason"],
            edit_version=data["edit_version"],
            request=request,
        ),
        success=_("Action updated"),
        then=reverse("plans:current", kwargs={"episode_pk": episode.pk}),
        on_stale=show_both,
    )
    if done:
        return done
    return render(
        request,
        "plans/action_status.html",
        {"episode": episode, "action": action, "form": form, "differences": differences},
    )


def copies(request, episode_pk):
    episode = policy.get_episode_for(request.user, episode_pk, request)
    plan = services.current_plan(episode)
    if plan is None:
        raise Http404("There is no plan yet.")
    members = services.copy_members(episode)
    restrictions.prefetch_household([member.person for member in members])
    rows = [
        {
            "member": row.member,
            "copy": row.copy,
            "up_to_date": row.up_to_date,
            "owed": row.owed,
            # From what the viewer may know of the child's age, or it would tell it.
            "too_young": services.may_be_too_young(
                row.member, person=restrictions.shown_to(request.user, row.member.person, request)
            ),
        }
        for row in services.copy_rows(plan, members)
    ]
    return render(
        request,
        "plans/copies.html",
        {
            "episode": episode,
            "plan": plan,
            "rows": rows,
            "still_need": sum(1 for row in rows if row["owed"]),
            "none_owed": states.why_not(episode, "owe_plan_copies"),
            "can_work": policy.can_work_on_episode(request.user, episode),
            "too_young_reason": TOO_YOUNG,
        },
    )


@require_http_methods(["GET", "POST"])
def copy(request, episode_pk, person_pk):
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    plan = services.current_plan(episode)
    if plan is None:
        raise Http404("There is no plan yet.")
    member = next((m for m in services.copy_members(episode) if m.person_id == person_pk), None)
    if member is None:
        raise Http404("No such family member.")
    person: Person = member.person
    # What this page shows of her (and preselects) is what the viewer may see.
    shown = restrictions.shown_to(request.user, person, request)
    existing = plan.copies.filter(person=person).first()
    languages = services.copy_languages(episode.local_authority)
    offered = {code for code, _label in languages}
    initial = {"language": shown.preferred_language if shown.preferred_language in offered else ""}
    if "language" in shown.withheld_keys:
        initial = {}
    if existing:
        initial = {
            "given": "yes" if existing.given else "no",
            "method": existing.method,
            "language": existing.language,
            "reason_not_given": existing.reason_not_given,
        }
    form = CopyForm(
        posted(request),
        languages=languages,
        too_young=services.may_be_too_young(member, person=shown),
        initial=initial,
    )
    done = run_form_action(
        request,
        form,
        lambda data: services.record_copy(
            request.user,
            plan,
            person,
            given=data["given"],
            method=data["method"],
            language=data["language"],
            reason_not_given=data["reason_not_given"],
            request=request,
        ),
        success=_("Copy recorded for %(name)s") % {"name": person.full_name},
        then=reverse("plans:copies", kwargs={"episode_pk": episode.pk}),
    )
    if done:
        return done
    return render(
        request,
        "plans/copy.html",
        {
            "episode": episode,
            "plan": plan,
            "person": shown,
            "member": member,
            "form": form,
            "document_form": document_form(episode, member),
        },
    )


def document_form(episode, member, data=None):
    return DocumentForm(
        data,
        languages=document.document_languages(episode.local_authority),
        child=member.is_child,
        initial={"method": CopyMethod.IN_PERSON, "version": "full"},
    )


def _document(request, episode_pk, person_pk, fmt):
    """The plan addressed to one family member, made as the copy page's form
    asks (language, version, how it is given) and recorded on the copy list:
    a POST, since making it records it."""
    episode = policy.get_episode_for_work(request.user, episode_pk, request)
    plan = services.current_plan(episode)
    if plan is None:
        raise Http404("There is no plan yet.")
    member = next((m for m in services.copy_members(episode) if m.person_id == person_pk), None)
    if member is None:
        raise Http404("No such family member.")
    form = document_form(episode, member, request.POST)
    if not form.is_valid():
        raise Http404("No such copy: choose a language, version and way of giving it offered.")
    plan.episode = episode
    made = services.plan_document(
        request.user,
        plan,
        member.person,
        fmt=fmt,
        back_url=reverse("plans:copies", kwargs={"episode_pk": episode.pk}),
        request=request,
        **form.service_arguments(),
    )
    return document.response(made, fmt)


@require_POST
def copy_document(request, episode_pk, person_pk):
    """The printable copy; the copy page's "Download the PDF" button
    (format=pdf) makes the same copy as a PDF."""
    fmt = "pdf" if request.POST.get("format") == "pdf" else "html"
    return _document(request, episode_pk, person_pk, fmt)


@require_POST
def copy_document_pdf(request, episode_pk, person_pk):
    return _document(request, episode_pk, person_pk, "pdf")
