"""The home page lists every piece of work its reader owes, with its due date
and whether it is overdue, and nothing owed by others or on cases they may
not see; "Ask for early help" is there for everyone who may ask."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.services import pending_role_requests
from consent.services import record_sharing_override
from episodes.progress import add_working_days
from referrals.services import step_up
from tests.factories import EpisodeFactory, UserFactory
from tests.journey import move_to_plan
from tests.journey_factories import complete_assessment


def owed(client, user):
    """(what, case reference, due) of each item on `user`'s home page."""
    response = client(user).get("/")
    assert response.status_code == 200
    return [
        (item.what, item.case.reference if item.case else None, item.due)
        for item in response.context["work_owed"]
    ]


def day(days_from_today):
    return timezone.localdate() + timedelta(days=days_from_today)


@pytest.fixture
def stepped_up(episode, involved):
    step_up(
        involved, episode, concern="Bruising the child would not explain", significant_harm="yes"
    )
    episode.refresh_from_db()
    return episode


def test_the_eho_and_managers_see_the_step_up_decision_owed_and_no_one_else(
    client_for, stepped_up, eho, manager, involved, other_eho, other_la_manager
):
    # One working day after the step-up (the council's timescale): a step-up
    # on a Friday is due on the Monday.
    due = add_working_days(timezone.localdate(stepped_up.stepped_up_at), 1)
    decision = ("Record children's social care's decision", stepped_up.reference, due)
    assert decision in owed(client_for, eho)
    assert decision in owed(client_for, manager)
    for user in (involved, other_eho, other_la_manager):
        assert owed(client_for, user) == []

    html = client_for(eho).get("/").content.decode()
    assert "You have no open cases" not in html
    assert "Record children&#x27;s social care&#x27;s decision" in html
    assert due.strftime("%-d %b %Y") in html


def test_an_overdue_step_up_decision_is_marked_overdue(client_for, stepped_up, eho):
    # Stepped up at midday a week ago: its one working day has passed on
    # every day of the week, weekends included.
    stepped_up_at = timezone.make_aware(datetime.combine(day(-7), time(12)))
    type(stepped_up).objects.filter(pk=stepped_up.pk).update(stepped_up_at=stepped_up_at)
    response = client_for(eho).get("/")
    [item] = response.context["work_owed"]
    assert (item.due, item.overdue) == (add_working_days(day(-7), 1), True)
    assert "1 overdue" in response.content.decode()


def test_an_override_to_review_is_owed_by_the_eho_and_managers(
    client_for, episode, clinic, involved, eho, manager, other_org, other_eho
):
    episode.organisations.add(clinic)
    override = record_sharing_override(involved, episode, clinic, reason="Injury disclosed")
    # Two working days, the council's timescale (oversight.models.Timescales).
    item = (
        "Information shared without consent: to review",
        episode.reference,
        add_working_days(timezone.localdate(), 2),
    )
    assert item in owed(client_for, eho)
    assert item in owed(client_for, manager)
    assert item not in owed(client_for, involved)
    assert owed(client_for, other_eho) == []
    page = client_for(eho).get("/").content.decode()
    assert f"/cases/{episode.pk}/consent/overrides/{override.pk}/review/" in page


def test_the_lead_after_a_step_down_is_owed_by_the_eho_not_the_requester(
    client_for, la, district, school, involved, eho, other_eho
):
    stepped_down = EpisodeFactory(
        local_authority=la,
        district=district,
        requesting_organisation=school,
        requested_by=involved,
        source="step_down",
        lead_professional_due_by=day(10),
    )
    assert owed(client_for, eho) == [("Agree a lead professional", stepped_down.reference, day(10))]
    assert owed(client_for, involved) == []
    assert owed(client_for, other_eho) == []


def test_the_worker_owes_consent_then_the_assessment_then_the_meeting(
    client_for, episode, involved, eho, other_org
):
    requested = timezone.localdate(episode.requested_at)
    assert owed(client_for, involved) == [
        ("Record consent", episode.reference, requested + timedelta(days=10))
    ]
    complete_assessment(episode, involved)
    episode.refresh_from_db()
    [(what, reference, due)] = owed(client_for, involved)
    assert (what, reference, due) == (
        "Hold the Team Around the Family meeting and agree the plan",
        episode.reference,
        day(20),
    )
    # Neither the district's officer nor another organisation owes the worker's steps.
    assert owed(client_for, eho) == []
    assert owed(client_for, other_org) == []


def test_the_assessment_to_complete_is_owed_by_the_worker(client_for, episode, involved):
    from episodes.services import transition

    transition(involved, episode, "give_consent")
    # 45 days from the request (the council's timescale), whenever consent came.
    due = timezone.localdate(episode.requested_at) + timedelta(days=45)
    assert owed(client_for, involved) == [("Complete the assessment", episode.reference, due)]


def test_an_overdue_review_is_owed_by_the_lead_professional(
    client_for, episode, involved, eho, la, school
):
    lead = UserFactory(local_authority=la, organisation=school, roles=[Role.PRACTITIONER])
    move_to_plan(involved, episode, lead)
    # Agreed at midday ten weeks ago: late in the evening, ten weeks back can
    # be the next day in British Summer Time.
    agreed = timezone.make_aware(datetime.combine(day(-70), time(12)))
    type(episode).objects.filter(pk=episode.pk).update(plan_agreed_at=agreed)
    response = client_for(lead).get("/")
    [item] = response.context["work_owed"]
    assert (item.what, item.case.pk, item.due, item.overdue) == (
        "Review the plan",
        episode.pk,
        day(-14),
        True,
    )
    assert item.link == f"/cases/{episode.pk}/reviews/new/"
    # The requester no longer owes it once there is a lead professional.
    assert owed(client_for, involved) == []


def test_a_role_request_is_owed_by_another_administrator_only(client_for, la, school, la_admin):
    from accounts.services import _ask_second_administrator

    second = UserFactory(local_authority=la, organisation=school, roles=[Role.LA_ADMIN])
    _ask_second_administrator(la_admin, la_admin, {Role.EARLY_HELP_MANAGER})
    assert pending_role_requests(second).count() == 1
    assert owed(client_for, second) == [
        (f"Approve or refuse a role: Early help manager for {la_admin.full_name}", None, None)
    ]
    assert owed(client_for, la_admin) == []


def test_the_most_overdue_work_comes_first(client_for, la, district, school, involved):
    later = EpisodeFactory(
        local_authority=la, district=district, requesting_organisation=school, requested_by=involved
    )
    earlier = EpisodeFactory(
        local_authority=la, district=district, requesting_organisation=school, requested_by=involved
    )
    type(earlier).objects.filter(pk=earlier.pk).update(
        requested_at=timezone.now() - timedelta(days=15)
    )
    assert [reference for _what, reference, _due in owed(client_for, involved)] == [
        earlier.reference,
        later.reference,
    ]


@pytest.mark.parametrize("count", [1, 4])
def test_the_eho_home_queries_do_not_grow_with_the_work_owed(
    client_for, la, district, school, involved, clinic, eho, count, django_assert_max_num_queries
):
    for _n in range(count):
        case = EpisodeFactory(
            local_authority=la,
            district=district,
            requesting_organisation=school,
            requested_by=involved,
        )
        case.organisations.add(clinic)
        record_sharing_override(involved, case, clinic, reason="Disclosure at school")
        step_up(involved, case, concern="A new injury")
    client = client_for(eho)
    client.get("/")
    # 18, one for the six-month outcome checks owed (outcomes) and one for a
    # key adult's police notifications.
    with django_assert_max_num_queries(20):
        response = client.get("/")
    assert len(response.context["work_owed"]) == 2 * count


@pytest.mark.parametrize("persona", ["involved", "manager_with_org", "coordinator_with_org"])
def test_ask_for_early_help_is_on_the_home_page_of_everyone_who_may_ask(
    request, client_for, la, school, persona
):
    roles = {
        "manager_with_org": [Role.EARLY_HELP_MANAGER],
        "coordinator_with_org": [Role.PANEL_COORDINATOR],
    }
    if persona == "involved":
        user = request.getfixturevalue("involved")
    else:
        user = UserFactory(local_authority=la, organisation=school, roles=roles[persona])
    html = client_for(user).get("/").content.decode()
    assert 'href="/cases/new/?fresh=1"' in html
    assert "Ask for early help" in html


@pytest.mark.parametrize("persona", ["la_admin", "eho"])
def test_ask_for_early_help_is_not_offered_to_those_who_may_not_ask(request, client_for, persona):
    # An administrator manages accounts, not cases; an officer with no
    # organisation asks on nobody's behalf (core.policy.can_start_request).
    html = client_for(request.getfixturevalue(persona)).get("/").content.decode()
    assert "Ask for early help" not in html


def test_a_long_list_shows_the_soonest_due_and_says_how_many(
    monkeypatch, client_for, la, district, school, involved
):
    monkeypatch.setattr("core.views.WORK_OWED_ON_HOME", 2)
    EpisodeFactory.create_batch(
        3,
        local_authority=la,
        district=district,
        requesting_organisation=school,
        requested_by=involved,
    )
    response = client_for(involved).get("/")
    assert (len(response.context["work_owed"]), response.context["work_owed_count"]) == (2, 3)
    assert "These are the 2 soonest due of 3." in response.content.decode()


def test_a_practitioners_home_asks_the_visibility_rule_once(client_for, la, school, involved):
    """How many open cases, "My cases" and the work owed are all asked of the
    open cases the policy lets through; for a practitioner that rule (a union
    of their routes to cases) runs once, and the answers are the policy's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import policy
    from episodes.work_owed import open_cases_visible_to

    mine = [EpisodeFactory(local_authority=la, requesting_organisation=school) for _ in range(3)]
    for episode in mine:
        episode.requested_by = involved
        episode.save()
    EpisodeFactory(local_authority=la)  # another's, not visible
    client = client_for(involved)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    visible = open_cases_visible_to(involved)
    assert response.context["open_count"] == visible.count() >= 3
    assert {row["episode"].pk for row in response.context["my_cases"]} == set(
        policy.my_episodes(involved, visible).values_list("pk", flat=True)
    )
    # The visibility rule: the union of the routes, the open panels' agendas among them.
    rules = [q["sql"] for q in queries if "UNION" in q["sql"] and "panels_agendaitem" in q["sql"]]
    assert len(rules) == 1
