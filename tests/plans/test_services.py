import datetime
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from episodes.services import StaleEdit, transition
from episodes.states import TransitionRefused
from notifications.models import Notification
from people.models import Relationship
from plans import services
from plans.models import Action, Plan, PlanCopy
from tests.journey_factories import (
    action_data,
    add_member,
    agree,
    goal_data,
    plan_actions,
    years_ago,
)
from tests.reviews.test_services import review as record_a_review


def test_agreeing_the_plan_makes_version_1_and_moves_the_episode(
    at_meeting, involved, colleague, school
):
    plan = services.agree_plan(
        involved,
        at_meeting,
        lead_professional=colleague,
        goals=[
            goal_data(school, colleague, text="Sam is settled at school", actions=2),
            goal_data(school, None, text="Calm mornings"),
        ],
    )

    at_meeting.refresh_from_db()
    assert (at_meeting.status, at_meeting.lead_professional, plan.number, plan.agreed_by) == (
        "plan",
        colleague,
        1,
        involved,
    )
    assert plan.agreed_at == at_meeting.plan_agreed_at
    assert [
        (goal.text, goal.lead_organisation, [a.worker for a in goal.actions.all()])
        for goal in plan.goals.all()
    ] == [
        ("Sam is settled at school", school, [colleague, colleague]),
        ("Calm mornings", school, [None]),
    ]
    assert list(at_meeting.organisations.all()) == [school]
    created = AuditEvent.objects.get(object_type="plans.plan")
    assert (created.action, created.changes) == (
        AuditAction.CREATE,
        {"fields": ["goals", "actions", "lead_professional"]},
    )
    assert sorted((n.user.email, n.message) for n in Notification.objects.all()) == [
        ("colleague@test.example", "You are the lead professional for this case"),
        ("involved@test.example", "A lead professional has been agreed"),
    ]


def test_agreeing_adds_each_goals_lead_agency_to_the_team(at_meeting, involved, clinic, other_org):
    services.agree_plan(
        involved,
        at_meeting,
        lead_professional=involved,
        goals=[goal_data(clinic, other_org, text="Health checks up to date")],
    )
    assert list(at_meeting.organisations.all()) == [clinic]


def test_the_plan_waits_for_the_assessment(episode, involved, school):
    transition(involved, episode, "give_consent")

    with pytest.raises(TransitionRefused) as refused:
        agree(episode, involved, involved, school)

    assert str(refused.value.message) == (
        "You cannot agree the plan while the case is 'Assessment in progress'"
    )
    assert Plan.objects.count() == 0


def test_the_plan_needs_a_lead_professional(at_meeting, involved, school):
    with pytest.raises(TransitionRefused) as refused:
        agree(at_meeting, involved, None, school)

    assert str(refused.value.message) == (
        "A plan needs a lead professional: choose one at the meeting before agreeing the plan"
    )
    at_meeting.refresh_from_db()
    assert (at_meeting.status, Plan.objects.count()) == ("meeting", 0)


def test_the_lead_professional_must_work_for_an_organisation_in_the_team(
    at_meeting, involved, other_org, school
):
    with pytest.raises(ValidationError) as refused:
        agree(at_meeting, involved, other_org, school)
    assert refused.value.message_dict["lead_professional"] == [
        f"{other_org.full_name} cannot be the lead professional: choose someone who works "
        "for an organisation in the Team Around the Family"
    ]


def test_every_goal_needs_a_lead_agency_and_smart_actions(at_meeting, involved, school, clinic):
    goals = [
        {"text": "", "lead_organisation": None, "actions": []},
        {
            "text": "Calm mornings",
            "lead_organisation": school,
            "actions": [dict(action_data(school, involved), what="", success_measure="")],
        },
        goal_data(clinic, involved, text="Health"),
    ]
    with pytest.raises(ValidationError) as refused:
        services.agree_plan(involved, at_meeting, lead_professional=involved, goals=goals)

    assert refused.value.messages == [
        "Say what wellbeing will look like for goal 1",
        "Choose the lead agency for goal 1",
        "Add at least one action for goal 1",
        "Say what will be done for action 1 of goal 2",
        "Say how everyone will know action 1 of goal 2 worked",
        f"{involved.full_name} does not work for Testshire Clinic (action 1 of goal 3)",
    ]


def test_those_not_involved_cannot_agree_the_plan(at_meeting, other_org, involved, school):
    with pytest.raises(PermissionDenied):
        agree(at_meeting, other_org, involved, school)


def test_an_action_not_done_needs_a_reason(planned, involved):
    action = plan_actions(planned)[0]

    with pytest.raises(ValidationError) as refused:
        services.update_action_status(
            involved, action, status="not_done", not_done_reason=" ", edit_version=1
        )

    assert refused.value.message_dict == {"not_done_reason": ["Say why the action was not done"]}
    action.refresh_from_db()
    assert action.status == "not_started"


def test_updating_an_actions_status_is_audited_and_moves_the_edit_version(planned, involved):
    action = plan_actions(planned)[0]

    services.update_action_status(
        involved, action, status="not_done", not_done_reason="Family moved school", edit_version=1
    )

    action.refresh_from_db()
    planned.refresh_from_db()
    assert (action.status, action.not_done_reason, planned.edit_version) == (
        "not_done",
        "Family moved school",
        2,
    )
    event = AuditEvent.objects.get(object_type="plans.action")
    assert event.changes == {"fields": ["not_done_reason", "status"]}
    assert "Family moved school" not in str(event.changes)


def test_a_stale_edit_is_refused_with_the_current_values(planned, involved, colleague):
    first, second = plan_actions(planned)
    services.update_action_status(involved, first, status="in_progress", edit_version=1)

    with pytest.raises(StaleEdit) as stale:
        services.update_action_status(colleague, first, status="done", edit_version=1)

    assert (stale.value.current.pk, stale.value.current.status) == (first.pk, "in_progress")
    first.refresh_from_db()
    assert first.status == "in_progress"
    # Any save to the plan moves its edit version: a change to another action is stale too.
    with pytest.raises(StaleEdit):
        services.update_action_status(colleague, second, status="done", edit_version=1)


def test_a_new_version_copies_the_plan_and_leaves_the_old_one_unchanged(
    planned, involved, school, colleague
):
    first, second = plan_actions(planned)
    services.update_action_status(involved, first, status="in_progress", edit_version=1)
    before = [(a.what, a.worker_id, a.due_by, a.status) for a in plan_actions(planned)]
    later = timezone.localdate() + datetime.timedelta(days=60)
    goal = planned.goals.order_by("id").first()

    new = services.new_version(
        involved,
        planned,
        change_summary="Amended at the review",
        changed_actions={second: {"what": "Weekly parenting group", "due_by": later}},
        added_actions=[dict(action_data(school, colleague, what="Breakfast club"), goal=goal)],
    )

    assert (new.number, new.change_summary) == (2, "Amended at the review")
    assert [(a.what, a.status, a.copied_from_id) for a in plan_actions(new)] == [
        (first.what, "in_progress", first.pk),
        ("Breakfast club", "not_started", None),
        ("Weekly parenting group", "not_started", second.pk),
    ]
    assert [(a.what, a.worker_id, a.due_by, a.status) for a in plan_actions(planned)] == before
    assert [g.copied_from_id for g in new.goals.all()] == [g.pk for g in planned.goals.all()]
    event = AuditEvent.objects.get(
        object_type="plans.plan", action=AuditAction.CREATE, object_id=str(new.pk)
    )
    assert event.changes == {"fields": ["changed_actions", "added_actions"], "from_version": 1}


def test_a_new_version_needs_a_change_and_a_summary(planned, involved):
    with pytest.raises(ValidationError) as refused:
        services.new_version(involved, planned, change_summary=" ")
    assert refused.value.messages == [
        "Say what changed and why",
        "Nothing has changed: change or add an action, or add a goal",
    ]


def test_a_new_version_of_an_earlier_version_is_stale(planned, involved):
    action = plan_actions(planned)[0]
    services.new_version(
        involved, planned, change_summary="One", changed_actions={action: {"what": "One"}}
    )

    with pytest.raises(StaleEdit) as stale:
        services.new_version(
            involved, planned, change_summary="Two", changed_actions={action: {"what": "Two"}}
        )

    assert stale.value.current.number == 2
    assert Plan.objects.count() == 2


def test_descendants_follow_actions_through_versions(planned, involved):
    first, second = plan_actions(planned)
    two = services.new_version(
        involved, planned, change_summary="Two", changed_actions={first: {"what": "Changed"}}
    )
    three = services.new_version(
        involved,
        two,
        change_summary="Three",
        changed_actions={plan_actions(two)[1]: {"what": "Again"}},
    )

    goals, actions = services.descendants(planned, three)

    assert actions == {a.copied_from.copied_from_id: a.pk for a in plan_actions(three)}
    assert sorted(goals) == sorted(g.pk for g in planned.goals.all())


def test_who_still_needs_a_copy(planned, involved, child):
    episode = planned.episode
    mum = add_member(episode, Relationship.PARENT, first_name="Morgan")
    add_member(
        episode,
        Relationship.UNBORN,
        date_of_birth=None,
        expected_date_of_birth=timezone.localdate() + datetime.timedelta(days=90),
    )
    members = services.copy_members(episode)
    assert [m.person for m in services.still_need_copy(planned, members)] == [child, mum]

    services.record_copy(involved, planned, mum, given=True, method="in_person", language="pl")

    assert [m.person for m in services.still_need_copy(planned, members)] == [child]
    copy = PlanCopy.objects.get()
    assert (copy.given, copy.method, copy.language, copy.recorded_by) == (
        True,
        "in_person",
        "pl",
        involved,
    )
    event = AuditEvent.objects.get(object_type="plans.plancopy")
    assert event.changes == {"fields": ["given", "language", "method", "reason_not_given"]}


def test_a_new_version_needs_new_copies(planned, involved, child):
    services.record_copy(
        involved, planned, child, given=False, reason_not_given="Too young to understand the plan"
    )
    action = plan_actions(planned)[0]
    new = services.new_version(
        involved, planned, change_summary="Two", changed_actions={action: {"what": "Changed"}}
    )
    members = services.copy_members(planned.episode)
    assert (
        services.still_need_copy(planned, members),
        [m.person for m in services.still_need_copy(new, members)],
    ) == ([], [child])


def _given(actor, plan, *people):
    for person in people:
        services.record_copy(actor, plan, person, given=True, method="in_person", language="en")


def _owed(plan):
    members = services.copy_members(plan.episode)
    return [member.person for member in services.still_need_copy(plan, members)]


def test_a_review_that_records_only_progress_owes_no_new_copies(planned, involved, child):
    _given(involved, planned, child)
    actions = plan_actions(planned)
    services.update_action_status(involved, actions[0], status="in_progress", edit_version=1)

    record_a_review(involved, planned.episode, actions, child, notes="Going well")

    after_review = services.current_plan(planned.episode)
    assert after_review.number == 2
    assert _owed(after_review) == []
    # The copies page shows the copy of version 1 as still good.
    [row] = services.copy_rows(after_review, services.copy_members(planned.episode))
    assert (row.copy.plan, row.up_to_date, row.owed) == (planned, True, False)


@pytest.mark.parametrize(
    "change",
    [
        {"due_by": timezone.localdate() + datetime.timedelta(days=60)},
        {"what": "Walk to school together"},
        {"success_measure": "Sam is on time every day"},
    ],
)
def test_changing_what_the_family_reads_owes_copies_again(planned, involved, child, change):
    mum = add_member(planned.episode, Relationship.PARENT, first_name="Morgan")
    _given(involved, planned, child, mum)
    action = plan_actions(planned)[0]
    record_a_review(involved, planned.episode, plan_actions(planned), child)
    reviewed = services.current_plan(planned.episode)
    assert _owed(reviewed) == []

    changed = services.new_version(
        involved,
        reviewed,
        change_summary="Agreed at the review",
        changed_actions={services.descendants(planned, reviewed)[1][action.pk]: change},
    )

    assert _owed(changed) == [child, mum]


def test_changing_who_does_an_action_owes_copies_again(planned, involved, child, colleague):
    _given(involved, planned, child)
    action = plan_actions(planned)[0]

    changed = services.new_version(
        involved,
        planned,
        change_summary="Casey takes it on",
        changed_actions={action: {"worker": colleague}},
    )

    assert _owed(changed) == [child]


def test_a_closed_case_owes_no_copies(planned, involved, child):
    mum = add_member(planned.episode, Relationship.PARENT, first_name="Morgan")
    assert _owed(planned) == [child, mum]

    transition(involved, planned.episode, "close", closure_reason="needs_met")
    planned.episode.refresh_from_db()

    assert _owed(planned) == []
    rows = services.copy_rows(planned, services.copy_members(planned.episode))
    assert [row.owed for row in rows] == [False, False]


def test_a_copy_records_how_and_in_which_language_or_why_not(planned, involved, child):
    with pytest.raises(ValidationError) as given:
        services.record_copy(involved, planned, child, given=True, language="xx")
    with pytest.raises(ValidationError) as not_given:
        services.record_copy(involved, planned, child, given=False)

    assert given.value.message_dict == {
        "method": ["Choose how the copy was given"],
        "language": ["Choose the language of the copy"],
    }
    assert not_given.value.message_dict == {"reason_not_given": ["Say why a copy was not given"]}


def test_languages_come_from_the_councils_settings(planned):
    la = planned.episode.local_authority
    la.family_languages = ["en", "uk", "ro"]
    assert services.copy_languages(la) == [
        ("en", "English"),
        ("uk", "Ukrainian"),
        ("ro", "Romanian"),
    ]


def test_copies_are_only_for_the_current_version(planned, involved, child):
    action = plan_actions(planned)[0]
    services.new_version(
        involved, planned, change_summary="Two", changed_actions={action: {"what": "Changed"}}
    )
    with pytest.raises(ValidationError) as refused:
        services.record_copy(involved, planned, child, given=True, method="post", language="en")
    assert refused.value.messages == ["Copies are recorded for the current version of the plan"]


@pytest.mark.parametrize(("years", "too_young"), [(3, True), (7, True), (8, False), (12, False)])
def test_children_under_8_may_be_too_young_for_their_own_copy(episode, years, too_young):
    person = add_member(episode, Relationship.CHILD, date_of_birth=years_ago(years))
    member = episode.family.memberships.get(person=person)
    assert services.may_be_too_young(member) == too_young


def test_overdue_means_past_its_date_and_not_finished(planned):
    action = Action(due_by=timezone.localdate() - datetime.timedelta(days=1), status="in_progress")
    done = Action(due_by=action.due_by, status="done")
    assert (services.is_overdue(action), services.is_overdue(done)) == (True, False)


def test_versions_agreed_before_copies_were_compared_get_their_fingerprint(planned, involved):
    migration = import_module("plans.migrations.0003_plan_family_content")
    family_content = import_module("plans.content").family_content
    action = plan_actions(planned)[0]
    changed = services.new_version(
        involved, planned, change_summary="Two", changed_actions={action: {"what": "Changed"}}
    )
    Plan.objects.update(family_content="")

    migration.fingerprint_existing_versions(django_apps, None)

    fingerprints = dict(Plan.objects.values_list("number", "family_content"))
    assert fingerprints == {1: family_content(planned), 2: family_content(changed)}
    assert len(set(fingerprints.values())) == 2
