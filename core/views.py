from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.shortcuts import render

from accounts.models import Role
from audit.models import Action
from audit.services import record
from core import policy
from episodes.case_tables import my_cases_rows, work_owed_rows
from episodes.progress import next_step
from episodes.work_owed import (
    MyCase,
    council_districts,
    listed_cases,
    open_cases_read_once,
    work_owed_summary,
)
from matching.duplicates import open_duplicates_for
from panels.models import AgendaItem

MY_CASES_ON_HOME = 25
WORK_OWED_ON_HOME = 50
DUPLICATES_COUNTED_ON_HOME = 99


def home(request):
    user = request.user
    open_episodes, open_count = open_cases_read_once(user)
    # Read once for the steps owed, "My cases" and the EHO's own districts.
    districts = council_districts(user)
    owed = work_owed_summary(user, open_episodes, limit=WORK_OWED_ON_HOME, districts=districts)
    context = {
        "can_see_cases": policy.can_see_case_lists(user),
        "can_request": policy.can_start_request(user),
        "can_see_performance": policy.can_see_performance(user),
        "work_owed": owed.items,
        "work_owed_table": work_owed_rows(owed.items),
        "work_owed_count": owed.total,
        "work_overdue": owed.overdue,
    }
    if context["can_see_cases"]:
        context["open_count"] = open_count if open_count is not None else open_episodes.count()
        # The ids first, then those rows with what the page shows of them: in
        # one query PostgreSQL joins every visible case to the family, people
        # and district before keeping 25 (more tables than it reorders).
        ids = list(
            policy.my_episodes(user, open_episodes)
            .order_by("requested_at")
            .values_list("pk", flat=True)[:MY_CASES_ON_HOME]
        )
        # Only ids the policy's query above let through; as rows, not model
        # instances (a practitioner's 25, each with its family and three
        # people, cost more than the rest of the section).
        mine = listed_cases(ids, user, districts, MyCase)
        context["my_cases"] = [{"episode": case, "next": next_step(case)} for case in mine]
        context["overdue"] = sum(
            1 for row in context["my_cases"] if row["next"] and row["next"].is_overdue()
        )
        context["my_cases_table"] = my_cases_rows(context["my_cases"])
    context["notifications"] = user.notifications.filter(read_at__isnull=True).select_related(
        "episode"
    )[:10]
    if policy.can_review_duplicates(user):
        # Counted up to a limit: each pair's two people are tested against
        # the user's cases (matching.duplicates), so an exact count of a
        # thousand open pairs cost more than the rest of the page; the list
        # itself says how many there are.
        counted = open_duplicates_for(user).order_by()[: DUPLICATES_COUNTED_ON_HOME + 1].count()
        context["duplicates_to_review"] = min(counted, DUPLICATES_COUNTED_ON_HOME)
        context["more_duplicates"] = counted > DUPLICATES_COUNTED_ON_HOME
    context["panels_sat_on"] = (
        policy.panels_sat_on(user)
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("episode__family"))
        )
        .order_by("meets_on", "id")
    )
    context["is_eho"] = user.has_role(Role.EARLY_HELP_OFFICER)
    context["districts"] = [
        district for district in districts.values() if district.early_help_officer_id == user.pk
    ]
    return render(request, "core/home.html", context)


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")


@login_not_required
def privacy(request):
    return render(request, "core/privacy.html")


def permission_denied(request, exception=None):
    """403 page; the refusal itself is audited."""
    if request.user.is_authenticated:
        record(
            Action.PERMISSION_DENIED,
            actor=request.user,
            request=request,
            changes={"path": request.path},
        )
    return render(request, "403.html", status=403)
