import datetime

import pytest
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from core.forms import STALE_EDIT_MESSAGE, error_list
from episodes.services import transition
from people.models import Relationship
from plans import services
from plans.models import Plan, PlanCopy
from tests.journey import render_case_section as case_section
from tests.journey_factories import (
    GOAL_LINES,
    MeetingFactory,
    add_member,
    agree,
    date_fields,
    plan_actions,
    years_ago,
)

SOON = timezone.localdate() + datetime.timedelta(days=30)


def action_post(prefix, organisation, worker=None, what="Walk to school together", day=SOON):
    return {
        f"{prefix}-what": what,
        f"{prefix}-organisation": str(organisation.pk),
        f"{prefix}-worker": str(worker.pk) if worker else "",
        f"{prefix}-success_measure": "On time every day for a month",
        **date_fields(f"{prefix}-due_by", day),
    }


def agree_post(lead, organisation, worker=None):
    return {
        "lead_professional": str(lead.pk) if lead else "",
        "layout-goals": "1",
        "layout-new0": "1",
        "new0-text": "Sam is settled at school",
        "new0-outcome": "education",
        "new0-lead_organisation": str(organisation.pk),
        **action_post("new0-action0", organisation, worker),
    }


def plan_urls(plan, person):
    base = f"/cases/{plan.episode_id}/plan/"
    action = plan_actions(plan)[0]
    return [
        base,
        f"{base}agree/",
        f"{base}change/",
        f"{base}versions/",
        f"{base}versions/1/",
        f"{base}actions/{action.pk}/status/",
        f"{base}copies/",
        f"{base}copies/{person.pk}/",
    ]


@pytest.mark.parametrize("persona", ["other_org", "other_la_manager"])
def test_every_plan_page_is_404_to_those_not_involved(request, client_for, planned, child, persona):
    client = client_for(request.getfixturevalue(persona))
    urls = plan_urls(planned, child)

    statuses = [client.get(url).status_code for url in urls]
    posts = [client.post(url, {"status": "done", "edit_version": "1"}).status_code for url in urls]

    assert (statuses, posts) == ([404] * 8, [404] * 8)
    assert [a.status for a in plan_actions(planned)] == ["not_started", "not_started"]


def test_the_plan_page_shows_goals_actions_overdue_and_who_needs_a_copy(
    client_for, involved, planned, child
):
    overdue = plan_actions(planned)[0]
    overdue.due_by = timezone.localdate() - datetime.timedelta(days=1)
    overdue.save()

    response = client_for(involved).get(f"/cases/{planned.episode_id}/plan/")

    html = response.content.decode()
    assert (
        response.context["overdue"],
        [m.person for m in response.context["still_need_copy"]],
    ) == (
        1,
        [child],
    )
    assert html.count('class="govuk-summary-card"') == 2
    assert html.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 1
    assert html.count("Update status") == 2
    view = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="plans.plan")
    assert view.object_id == str(planned.pk)


def test_a_closed_case_owes_no_copies_on_any_page(client_for, involved, planned, child):
    transition(involved, planned.episode, "close", closure_reason="needs_met")
    client = client_for(involved)

    pages = [
        client.get(f"/cases/{planned.episode_id}/{tail}").content.decode()
        for tail in ("plan/", "plan/copies/", "")
    ]

    assert ["Still needs a copy" in html for html in pages] == [False, False, False]
    assert [
        "No copies are owed while the case is &#x27;Closed&#x27;" in html for html in pages
    ] == [
        True,
        True,
        True,
    ]


def test_before_the_plan_is_agreed_the_page_says_so(client_for, involved, at_meeting):
    response = client_for(involved).get(f"/cases/{at_meeting.pk}/plan/")
    html = response.content.decode()
    assert (
        "No plan has been agreed yet." in html,
        f"/cases/{at_meeting.pk}/plan/agree/" in html,
    ) == (
        True,
        True,
    )


@pytest.mark.parametrize("count", [1, 3])
def test_plan_page_queries_do_not_grow_with_goals_and_actions(
    client_for, involved, at_meeting, school, count, django_assert_num_queries
):
    agree(at_meeting, involved, involved, school, goals=count, actions=count)
    client = client_for(involved)
    client.get(f"/cases/{at_meeting.pk}/plan/")
    # session, user with its LA, OTP device, roles, organisations; the case, the plan,
    # may work on it; the view event (LA, savepoint, chain head, insert,
    # head update, release); goals, actions, family members and their restrictions
    # (for who still needs a copy), copies, latest review
    # (the case's council is read with the case: one query fewer)
    with django_assert_num_queries(19):
        response = client.get(f"/cases/{at_meeting.pk}/plan/")
    assert response.content.decode().count("Update status") == count * count


@pytest.mark.parametrize("count", [1, 3])
def test_version_list_queries_do_not_grow_with_the_versions(
    client_for, involved, planned, count, django_assert_num_queries
):
    plan = planned
    for n in range(count - 1):
        action = plan_actions(plan)[0]
        plan = services.new_version(
            involved, plan, change_summary=f"Change {n}", changed_actions={action: {"what": str(n)}}
        )
    client = client_for(involved)
    client.get(f"/cases/{planned.episode_id}/plan/versions/")
    # session, user with its LA, OTP device, roles, organisations, the case,
    # the versions counted, a page of them, the current version's number
    with django_assert_num_queries(9):
        response = client.get(f"/cases/{planned.episode_id}/plan/versions/")
    assert response.content.decode().count("Version ") == count


@pytest.mark.parametrize("count", [1, 3])
def test_copies_page_queries_do_not_grow_with_the_family(
    client_for, involved, planned, count, django_assert_num_queries
):
    for n in range(count - 1):
        add_member(planned.episode, Relationship.PARENT, first_name=f"Adult{n}")
    client = client_for(involved)
    client.get(f"/cases/{planned.episode_id}/plan/copies/")
    # (13 before the family members' restrictions: "too young" is judged from
    # what the viewer may know of each child's age)
    with django_assert_num_queries(11):
        response = client.get(f"/cases/{planned.episode_id}/plan/copies/")
    assert len(response.context["rows"]) == count


def test_an_earlier_version_is_read_only(client_for, involved, planned):
    action = plan_actions(planned)[0]
    services.new_version(
        involved, planned, change_summary="Two", changed_actions={action: {"what": "Changed"}}
    )
    client = client_for(involved)

    old = client.get(f"/cases/{planned.episode_id}/plan/versions/1/")
    current = client.get(f"/cases/{planned.episode_id}/plan/versions/2/")

    html = old.content.decode()
    assert (old.status_code, old.context["is_current"], "Update status" in html) == (
        200,
        False,
        False,
    )
    assert "This is version 1, an earlier version kept as it was agreed." in html
    assert action.what in html and "Changed" not in html
    assert (current.status_code, current["Location"]) == (302, f"/cases/{planned.episode_id}/plan/")
    status = client.get(f"/cases/{planned.episode_id}/plan/actions/{action.pk}/status/")
    assert status.status_code == 404


def test_the_agree_page_starts_from_the_assessments_goals_and_the_meetings_lead(
    client_for, involved, colleague, at_meeting
):
    MeetingFactory(episode=at_meeting, arranged_by=involved, held=True, lead_professional=colleague)

    form = client_for(involved).get(f"/cases/{at_meeting.pk}/plan/agree/").context["form"]

    assert (
        form["new0-text"].value(),
        form["new1-text"].value(),
        form["new2-text"].value() if "new2-text" in form.fields else None,
    ) == (GOAL_LINES[0], GOAL_LINES[1], None)
    assert form["lead_professional"].value() == colleague.pk
    assert [key for key, value in form.layout.items()] == ["goals", "new0", "new1"]


def test_add_another_action_and_goal_keep_what_was_typed(client_for, involved, at_meeting, school):
    client = client_for(involved)
    data = dict(agree_post(involved, school), add_action="new0")

    response = client.post(f"/cases/{at_meeting.pk}/plan/agree/", data)
    form = response.context["form"]
    assert (form.layout, dict(form.errors), form["new0-text"].value()) == (
        {"goals": 1, "new0": 2},
        {},
        "Sam is settled at school",
    )

    response = client.post(
        f"/cases/{at_meeting.pk}/plan/agree/",
        dict(data, add_goal="goal", add_action="", **{"layout-new0": "2"}),
    )
    assert response.context["form"].layout == {"goals": 2, "new0": 2, "new1": 1}


def test_agreeing_the_plan_from_the_page(client_for, involved, at_meeting, school):
    response = client_for(involved).post(
        f"/cases/{at_meeting.pk}/plan/agree/", agree_post(involved, school, involved)
    )

    assert (response.status_code, response["Location"]) == (302, f"/cases/{at_meeting.pk}/plan/")
    plan = Plan.objects.get()
    assert [(a.what, a.worker) for a in plan_actions(plan)] == [
        ("Walk to school together", involved)
    ]
    at_meeting.refresh_from_db()
    assert (at_meeting.status, at_meeting.lead_professional) == ("plan", involved)


def test_agreeing_without_a_lead_shows_the_state_machines_message(
    client_for, involved, at_meeting, school
):
    response = client_for(involved).post(
        f"/cases/{at_meeting.pk}/plan/agree/", agree_post(None, school)
    )

    assert error_list(response.context["form"]) == [
        {
            "text": "A plan needs a lead professional: choose one at the meeting before "
            "agreeing the plan",
            "href": "#main-content",
        }
    ]
    assert Plan.objects.count() == 0


def test_agreeing_shows_each_missing_part_of_an_action(client_for, involved, at_meeting, school):
    data = agree_post(involved, school)
    data.update(
        {
            "new0-action0-what": "",
            "new0-action0-due_by-day": "",
            "new0-action0-due_by-month": "",
            "new0-action0-due_by-year": "",
        }
    )

    response = client_for(involved).post(f"/cases/{at_meeting.pk}/plan/agree/", data)

    assert error_list(response.context["form"]) == [
        {"text": "Say what will be done for action 1 of goal 1", "href": "#id_new0-action0-what"},
        {"text": "Enter by when for action 1 of goal 1", "href": "#id_new0-action0-due_by-day"},
    ]


NAMED = "By when for “Walk to school together”"


@pytest.mark.parametrize(
    ("part", "typed", "message"),
    [
        ("day", "9" * 30, f"{NAMED} must be a real date"),
        ("month", "²", f"{NAMED} must be a real date, written in numbers"),
        ("year", "25", f"{NAMED}: year must include 4 numbers, like 2019"),
        ("year", "9999", "range"),
    ],
)
def test_an_impossible_action_date_names_the_action_it_belongs_to(
    client_for, involved, at_meeting, school, part, typed, message
):
    if message == "range":
        year = timezone.localdate().year
        message = f"{NAMED} must be between 1 January {year - 5} and 31 December {year + 5}"
    data = agree_post(involved, school)
    data[f"new0-action0-due_by-{part}"] = typed

    response = client_for(involved).post(f"/cases/{at_meeting.pk}/plan/agree/", data)

    assert (response.status_code, error_list(response.context["form"])) == (
        200,
        [{"text": message, "href": "#id_new0-action0-due_by-day"}],
    )
    assert message in response.content.decode().replace("&quot;", '"')
    assert Plan.objects.count() == 0


def test_a_missing_date_names_the_action_it_belongs_to(client_for, involved, at_meeting, school):
    data = agree_post(involved, school)
    data.update({f"new0-action0-due_by-{part}": "" for part in ("day", "month", "year")})

    response = client_for(involved).post(f"/cases/{at_meeting.pk}/plan/agree/", data)

    assert error_list(response.context["form"]) == [
        {
            "text": "Enter by when for “Walk to school together”",
            "href": "#id_new0-action0-due_by-day",
        }
    ]


def test_changing_an_actions_date_to_an_impossible_one_names_the_action(
    client_for, involved, planned
):
    data = {"based_on": str(planned.pk), "change_summary": "Moved", "layout-goals": "0"}
    for action in plan_actions(planned):
        data.update(
            action_post(
                f"action{action.pk}", action.organisation, action.worker, action.what, action.due_by
            )
        )
        data[f"layout-goal{action.goal_id}"] = "0"
    first = plan_actions(planned)[0]
    data.update({f"action{first.pk}-due_by-day": "31", f"action{first.pk}-due_by-month": "2"})

    response = client_for(involved).post(f"/cases/{planned.episode_id}/plan/change/", data)

    assert response.context["form"].errors[f"action{first.pk}-due_by"] == [
        f"By when for “{first.what}” must be a real date"
    ]
    assert Plan.objects.count() == 1


def test_agreeing_before_the_assessment_is_complete_is_refused(client_for, involved, episode):
    response = client_for(involved).get(f"/cases/{episode.pk}/plan/agree/")
    assert str(response.context["refusal"]) == (
        "You cannot agree the plan while the case is 'Request received: consent to be recorded'"
    )


def test_not_done_without_a_reason_is_refused_clearly(client_for, involved, planned):
    action = plan_actions(planned)[0]
    response = client_for(involved).post(
        f"/cases/{planned.episode_id}/plan/actions/{action.pk}/status/",
        {"status": "not_done", "not_done_reason": "", "edit_version": "1"},
    )
    assert error_list(response.context["form"]) == [
        {"text": "Say why the action was not done", "href": "#id_not_done_reason"}
    ]


def test_a_stale_status_edit_shows_both_values_and_keeps_the_input(
    client_for, involved, colleague, planned
):
    action = plan_actions(planned)[0]
    services.update_action_status(colleague, action, status="done", edit_version=1)
    url = f"/cases/{planned.episode_id}/plan/actions/{action.pk}/status/"
    client = client_for(involved)

    response = client.post(
        url, {"status": "not_done", "not_done_reason": "Family moved", "edit_version": "1"}
    )

    assert response.status_code == 200
    assert response.context["differences"] == [
        {"field": "Status", "mine": "Not done", "current": "Done"},
        {"field": "Why not done", "mine": "Family moved", "current": "—"},
    ]
    form = response.context["form"]
    assert (
        form["status"].value(),
        form["not_done_reason"].value(),
        form["edit_version"].value(),
    ) == (
        "not_done",
        "Family moved",
        "2",
    )
    action.refresh_from_db()
    assert action.status == "done"
    html = response.content.decode()
    assert ("Your change" in html, "The current value" in html) == (True, True)
    # Said in the error summary, as every stale edit is.
    assert error_list(form) == [{"text": STALE_EDIT_MESSAGE, "href": "#main-content"}]
    assert "<title>Error: " in html

    again = client.post(
        url, {"status": "not_done", "not_done_reason": "Family moved", "edit_version": "2"}
    )
    action.refresh_from_db()
    assert (again.status_code, action.status) == (302, "not_done")


def test_changing_the_plan_makes_a_new_version(client_for, involved, planned, school):
    goal = planned.goals.order_by("id").first()
    data = {
        "based_on": str(planned.pk),
        "change_summary": "Added breakfast club",
        "layout-goals": "0",
        f"layout-goal{goal.pk}": "1",
        **action_post(f"goal{goal.pk}-action0", school, what="Breakfast club"),
    }
    for action in plan_actions(planned):
        data.update(
            action_post(
                f"action{action.pk}", action.organisation, action.worker, action.what, action.due_by
            )
        )
        data[f"action{action.pk}-success_measure"] = action.success_measure
        data[f"layout-goal{action.goal_id}"] = data.get(f"layout-goal{action.goal_id}", "0")

    response = client_for(involved).post(f"/cases/{planned.episode_id}/plan/change/", data)

    assert (response.status_code, Plan.objects.count()) == (302, 2)
    new = Plan.objects.get(number=2)
    assert sorted(a.what for a in plan_actions(new)) == sorted(
        [a.what for a in plan_actions(planned)] + ["Breakfast club"]
    )


def test_a_stale_change_is_rebased_and_the_differences_shown(
    client_for, involved, colleague, planned
):
    first = plan_actions(planned)[0]
    services.new_version(
        colleague,
        planned,
        change_summary="Theirs",
        changed_actions={first: {"what": "Their words"}},
    )
    data = {"based_on": str(planned.pk), "change_summary": "Mine", "layout-goals": "0"}
    for action in plan_actions(planned):
        data.update(
            action_post(
                f"action{action.pk}", action.organisation, action.worker, action.what, action.due_by
            )
        )
        data[f"action{action.pk}-success_measure"] = action.success_measure
        data[f"layout-goal{action.goal_id}"] = "0"
    data[f"action{first.pk}-what"] = "My words"

    response = client_for(involved).post(f"/cases/{planned.episode_id}/plan/change/", data)

    assert response.status_code == 200
    assert response.context["differences"] == [
        {
            "action": "Their words",
            "field": "What will be done",
            "mine": "My words",
            "current": "Their words",
        }
    ]
    current = Plan.objects.get(number=2)
    descendant = plan_actions(current)[0]
    form = response.context["form"]
    assert (
        form.plan,
        form[f"action{descendant.pk}-what"].value(),
        form["change_summary"].value(),
    ) == (
        current,
        "My words",
        "Mine",
    )
    assert Plan.objects.count() == 2
    # Said in the error summary, as every stale edit is.
    assert error_list(form) == [{"text": STALE_EDIT_MESSAGE, "href": "#main-content"}]
    assert "govuk-error-summary" in response.content.decode()


def test_the_amend_page_after_a_review_suggests_the_summary(client_for, involved, planned):
    from reviews.models import Review

    review = Review.objects.create(
        episode=planned.episode,
        plan=planned,
        held_on=datetime.date(2025, 3, 4),
        family_views="Synthetic",
        engagement="fully",
        decision="amend",
        recorded_by=involved,
    )
    client = client_for(involved)
    plan_page = client.get(f"/cases/{planned.episode_id}/plan/")
    change = client.get(f"/cases/{planned.episode_id}/plan/change/?review={review.pk}")

    assert plan_page.context["pending_review"] == review
    assert (
        change.context["form"]["change_summary"].value() == "Amended at the review on 4 March 2025"
    )


HOSTILE_NUMBERS = ["²", "٣", "", "abc", "-1", "1.5", "9" * 30, "\x00"]


@pytest.mark.parametrize("review", HOSTILE_NUMBERS)
def test_the_amend_page_with_a_malformed_review_suggests_nothing(
    client_for, involved, planned, review
):
    response = client_for(involved).get(
        f"/cases/{planned.episode_id}/plan/change/", {"review": review}
    )
    assert (response.status_code, response.context["review"]) == (200, None)


@pytest.mark.parametrize("based_on", HOSTILE_NUMBERS)
def test_a_change_based_on_a_malformed_version_is_based_on_the_current_one(
    client_for, involved, planned, based_on
):
    response = client_for(involved).post(
        f"/cases/{planned.episode_id}/plan/change/",
        {"based_on": based_on, "change_summary": "", "layout-goals": "0"},
    )
    assert (response.status_code, response.context["plan"], Plan.objects.count()) == (
        200,
        planned,
        1,
    )


@pytest.mark.parametrize(("based_on", "status"), [(2**63 - 1, 404), (2**63, 200)])
def test_a_change_based_on_no_version_of_the_case(client_for, involved, planned, based_on, status):
    """The largest possible id is looked for (and not found); a bigger number
    is no id at all, so the change starts from the current version."""
    response = client_for(involved).post(
        f"/cases/{planned.episode_id}/plan/change/",
        {"based_on": str(based_on), "change_summary": "Mine", "layout-goals": "0"},
    )
    assert (response.status_code, Plan.objects.count()) == (status, 1)


@pytest.mark.parametrize("count", HOSTILE_NUMBERS)
def test_add_another_goal_with_a_malformed_count_adds_the_first(
    client_for, involved, at_meeting, school, count
):
    data = dict(agree_post(involved, school), add_goal="goal", **{"layout-goals": count})
    response = client_for(involved).post(f"/cases/{at_meeting.pk}/plan/agree/", data)
    assert (response.status_code, response.context["form"].layout) == (
        200,
        {"goals": 1, "new0": 1},
    )


def test_add_another_goal_stops_at_the_most_rows(client_for, involved, at_meeting, school):
    data = dict(agree_post(involved, school), add_goal="goal", **{"layout-goals": "30"})
    response = client_for(involved).post(f"/cases/{at_meeting.pk}/plan/agree/", data)
    assert (response.status_code, response.context["form"].layout["goals"]) == (200, 30)


def test_recording_a_copy(client_for, involved, planned, child):
    mum = add_member(planned.episode, Relationship.PARENT, preferred_language="pl")
    client = client_for(involved)
    page = client.get(f"/cases/{planned.episode_id}/plan/copies/{mum.pk}/")
    assert page.context["form"]["language"].value() == "pl"

    response = client.post(
        f"/cases/{planned.episode_id}/plan/copies/{mum.pk}/",
        {"given": "yes", "method": "post", "language": "pl"},
    )

    assert response.status_code == 302
    assert list(PlanCopy.objects.values_list("person", "given", "method", "language")) == [
        (mum.pk, True, "post", "pl")
    ]


def test_a_recorded_copy_says_how_it_was_given_once(client_for, involved, planned, child):
    mum = add_member(planned.episode, Relationship.PARENT, preferred_language="pl")
    client = client_for(involved)
    client.post(
        f"/cases/{planned.episode_id}/plan/copies/{mum.pk}/",
        {"given": "yes", "method": "in_person", "language": "pl"},
    )
    page = " ".join(
        client.get(f"/cases/{planned.episode_id}/plan/copies/").content.decode().split()
    )
    assert "Given in person</strong>" in page
    assert "Given</strong> Given" not in page


def test_a_copy_needs_how_and_which_language(client_for, involved, planned, child):
    response = client_for(involved).post(
        f"/cases/{planned.episode_id}/plan/copies/{child.pk}/", {"given": "yes"}
    )
    assert error_list(response.context["form"]) == [
        {"text": "Choose how the copy was given", "href": "#id_method"},
        {"text": "Choose the language of the copy", "href": "#id_language"},
    ]


def test_a_young_child_can_be_recorded_as_too_young_in_one_step(client_for, involved, planned):
    toddler = add_member(planned.episode, Relationship.CHILD, date_of_birth=years_ago(3))
    client = client_for(involved)
    page = client.get(f"/cases/{planned.episode_id}/plan/copies/").content.decode()
    assert page.count("Too young<span") == 1

    client.post(
        f"/cases/{planned.episode_id}/plan/copies/{toddler.pk}/",
        {"given": "no", "reason_not_given": "Too young to understand the plan"},
    )

    assert list(PlanCopy.objects.values_list("person", "given", "reason_not_given")) == [
        (toddler.pk, False, "Too young to understand the plan")
    ]


def test_case_section_summarises_the_plan(planned, child):
    action = plan_actions(planned)[0]
    action.due_by = timezone.localdate() - datetime.timedelta(days=2)
    action.save()

    html = case_section("plans", planned.episode)

    assert "Version 1, agreed" in html
    assert "2 goals, 2 actions" in html
    assert '<strong class="govuk-tag govuk-tag--red">1</strong>' in html
    assert child.full_name in html


def test_case_section_before_the_plan(at_meeting):
    html = case_section("plans", at_meeting)
    assert f'href="/cases/{at_meeting.pk}/plan/agree/"' in html


@pytest.mark.parametrize("count", [1, 3])
def test_change_page_queries_do_not_grow_with_the_actions(
    client_for, involved, at_meeting, school, count, django_assert_num_queries
):
    agree(at_meeting, involved, involved, school, goals=count, actions=count)
    client = client_for(involved)
    url = f"/cases/{at_meeting.pk}/plan/change/"
    client.get(url)
    # session, user with its LA, OTP device, roles, organisations, the case, may work on
    # it, the plan, its LA, the council's agencies and workers (2), goals, actions
    # (the case's council is read with the case: one query fewer)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(response.context["form"].blocks()) == count
