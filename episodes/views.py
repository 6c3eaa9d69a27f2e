from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.models import Action
from audit.services import record
from consent.services import organisation_access, refusals_awaiting_judgement
from core import policy
from core.forms import posted, run_form_action
from core.paging import counted_page
from core.prefetched import prefetched
from people import restrictions

from . import list_filters, services
from .case_tables import case_list_rows
from .chronology import case_page_records, chronology, family_members_for_case_page
from .forms import CloseForm
from .models import Status
from .next_button import next_step_button
from .progress import next_step
from .records_present import read_present
from .states import allowed_actions, allows, statuses_allowing
from .work_owed import (
    ListedCase,
    council_districts,
    listed_cases,
    override_item,
    overrides_to_review,
)

PAGE_SIZE = 50
# The case page shows the latest events of its chronology (a case held for
# years has hundreds); the chronology's own page shows them all, a page at a time.
CASE_PAGE_EVENTS = 20
CHRONOLOGY_PAGE_SIZE = 50


def _rows(user, episodes):
    """Each case with its next step and any other work owed on it by `user`
    (one query for the whole page)."""
    also = {}
    for override in overrides_to_review(user, [episode.pk for episode in episodes]):
        also.setdefault(override.episode_id, []).append(override_item(override))
    return [
        {"episode": episode, "next": next_step(episode), "also": also.get(episode.pk, [])}
        for episode in episodes
    ]


def _page_of(episodes, number, user, districts):
    """The page's cases, whatever the council's size: first the page's ids
    (the visibility rule, the filter, the order and the limit, on the case
    table alone), then those 50 rows with their family's and lead
    professional's names. In one query PostgreSQL joins every case the filter
    matches to all of those before keeping 50 (more tables than it reorders).
    `districts`: the council's, by id (the page's filter lists them too)."""
    page = counted_page(episodes.order_by("-requested_at"), number, PAGE_SIZE, ids_only=True)
    # Only ids the policy's query above let through.
    page.object_list = listed_cases(page.object_list, user, districts, ListedCase)
    return page


def episode_list(request):
    if not policy.can_see_case_lists(request.user):
        raise PermissionDenied
    # The list filter chosen (a query parameter), not a stage rule.
    chosen = request.GET.get("status", "open")
    episodes = policy.episodes_visible_to(request.user)
    if chosen == "open":
        # Every case not closed: a stepped-up case still waits for its decision.
        episodes = episodes.filter(status__in=statuses_allowing("list_as_open"))
    elif chosen == "mine":
        episodes = policy.my_episodes(request.user, episodes)
    elif chosen in Status.values:
        episodes = episodes.filter(status=chosen)
    narrowed = list_filters.Narrowing.from_query(request.GET)
    episodes = narrowed.apply(episodes)
    districts = council_districts(request.user)
    page = _page_of(episodes, request.GET.get("page"), request.user, districts)
    filters = [("open", _("Open")), ("mine", _("My cases"))] + list(Status.choices)
    rows = _rows(request.user, page.object_list)
    return render(
        request,
        "episodes/episode_list.html",
        {
            "page": page,
            "rows": rows,
            "table_rows": case_list_rows(rows),
            "status": chosen,
            "filters": filters,
            "narrowed": narrowed,
            "query": narrowed.query(status=chosen),
            "districts": [(pk, district.name) for pk, district in districts.items()],
            "can_request": policy.can_start_request(request.user),
        },
    )


def episode_detail(request, pk):
    episode = policy.get_episode_for(request.user, pk, request)
    record(Action.VIEW, actor=request.user, obj=episode, request=request)
    # Onto the family, where the plan section's copies owed find them too.
    prefetch_related_objects([episode.family], family_members_for_case_page())
    family_members = prefetched(episode.family, "memberships") or []
    people = [member.person for member in family_members]
    restrictions.prefetch_household(people)
    # The free text on the page is scrubbed against these same people.
    restrictions.remember_family_people(episode.family, people)
    for member in family_members:
        member.shown = restrictions.shown_to(request.user, member.person, request)
    step = next_step(episode)
    can_work = policy.can_work_on_episode(request.user, episode)
    # Read once for the chronology and the sections that show them too; the
    # kinds the case has none of, not at all.
    read_present(episode, case_page_records())
    entries = chronology(episode, request.user)
    return render(
        request,
        "episodes/episode_detail.html",
        {
            "episode": episode,
            "family_members": family_members,
            "team_access": organisation_access(episode),
            "can_review_overrides": policy.can_review_sharing_override(request.user, episode),
            "can_see_access_log": policy.can_see_access_log(request.user, episode),
            "needs": episode.needs.all(),
            "referrals": episode.referrals.all(),
            "next": step,
            "next_button": next_step_button(request.user, episode, step, can_work=can_work),
            "actions": [t.action for t in allowed_actions(episode)],
            "can_work": can_work,
            "can_step_up": allows(episode, "step_up") and policy.can_step_up(request.user, episode),
            "awaiting_judgement": refusals_awaiting_judgement(episode).exists(),
            "chronology": entries,
            "latest_events": entries[-CASE_PAGE_EVENTS:],
            "Status": Status,
        },
    )


@require_http_methods(["GET"])
def episode_chronology(request, pk):
    """Every event of the case, oldest first, a page at a time."""
    episode = policy.get_episode_for(request.user, pk, request)
    record(Action.VIEW, actor=request.user, obj=episode, request=request)
    read_present(episode, case_page_records())
    # The events come from a dozen kinds of record, merged in time order:
    # worked out whole, shown a page at a time.
    page = Paginator(chronology(episode, request.user), CHRONOLOGY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "episodes/chronology.html", {"episode": episode, "page": page})


@require_http_methods(["GET", "POST"])
def close(request, pk):
    episode = policy.get_episode_for_work(request.user, pk, request)
    needs = list(episode.needs.all())
    form = CloseForm(posted(request), needs=needs)
    done = run_form_action(
        request,
        form,
        lambda data: services.close_episode(
            request.user,
            episode,
            reason=data["reason"],
            need_outcomes=form.need_outcomes(),
            summary=data["summary"],
            evidence=form.evidence(),
            request=request,
        ),
        success=_("Early help for the %(family)s has closed") % {"family": episode.family.name},
        then=reverse("episodes:detail", kwargs={"pk": episode.pk}),
    )
    if done:
        return done
    return render(request, "episodes/close.html", {"episode": episode, "form": form})
