import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.models import Action, AuditEvent
from core.forms import error_list
from panels import services
from panels.models import AgendaItem, Panel
from referrals.services import refer_to_panel
from tests.factories import EpisodeFactory, UserFactory
from tests.journey_factories import date_fields
from tests.panels.conftest import NEXT_WEEK

TODAY = timezone.localdate()


def summary(response):
    return [item["text"] for item in error_list(response.context["form"])]


def decide_and_close(coordinator, panel):
    for item in panel.agenda_items.all():
        services.record_outcome(coordinator, item, outcome="Continue with the plan.")
    services.close_panel(coordinator, panel)


# Navigation and the list ------------------------------------------------------


@pytest.mark.parametrize(
    "persona, links",
    [
        ("coordinator", ["Cases", "Worklist", "Police notifications", "Panels", "Who to call"]),
        (
            "manager",
            [
                "Cases",
                "Worklist",
                "Advice line",
                "Police notifications",
                "Quality assurance",
                "Reports",
                "Panels",
                "Who to call",
            ],
        ),
        ("involved", ["Cases", "Worklist", "Who to call"]),
        (
            "la_admin",
            [
                "Users",
                "Council settings",
                "Districts and schools",
                "Quality criteria",
                "Who to call",
            ],
        ),
    ],
)
def test_the_panels_link_is_for_coordinators_and_managers(request, client_for, persona, links):
    response = client_for(request.getfixturevalue(persona)).get("/")
    assert [item["text"] for item in response.context["service_navigation"]] == links


def test_the_list_shows_open_panels_first_then_closed_and_only_the_councils(
    client_for, coordinator, manager, other_la_manager
):
    later = services.arrange_panel(coordinator, meets_on=NEXT_WEEK + datetime.timedelta(days=7))
    sooner = services.arrange_panel(coordinator, meets_on=NEXT_WEEK)
    closed = services.arrange_panel(coordinator, meets_on=TODAY)
    services.close_panel(coordinator, closed)
    services.arrange_panel(other_la_manager, meets_on=NEXT_WEEK)

    response = client_for(manager).get("/panels/")

    assert (list(response.context["open_panels"]), list(response.context["closed_panels"])) == (
        [sooner, later],
        [closed],
    )
    html = response.content.decode()
    assert html.index(f"/panels/{sooner.pk}/") < html.index(f"/panels/{closed.pk}/")


@pytest.mark.parametrize("persona", ["involved", "eho", "la_admin", "member"])
def test_panel_pages_are_refused_to_other_roles(request, client_for, panel, persona):
    client = client_for(request.getfixturevalue(persona))
    statuses = [
        client.get("/panels/").status_code,
        client.get("/panels/new/").status_code,
        client.get(f"/panels/{panel.pk}/").status_code,
        client.post(f"/panels/{panel.pk}/close/").status_code,
    ]
    assert statuses == [403, 403, 404, 404]
    panel.refresh_from_db()
    assert panel.is_open


def test_another_councils_panel_is_404_and_the_attempt_audited(client_for, panel, other_la_manager):
    client = client_for(other_la_manager)
    urls = [
        f"/panels/{panel.pk}/",
        f"/panels/{panel.pk}/members/",
        f"/panels/{panel.pk}/agenda/",
        f"/panels/{panel.pk}/close/",
    ]
    assert [client.get(url).status_code for url in urls] == [404] * 4
    denied = AuditEvent.objects.filter(action=Action.PERMISSION_DENIED, object_type="panels.panel")
    assert denied.count() == 4


# Arranging ------------------------------------------------------------------


def test_arranging_a_panel(client_for, coordinator):
    response = client_for(coordinator).post("/panels/new/", date_fields("meets_on", NEXT_WEEK))

    panel = Panel.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/panels/{panel.pk}/")
    assert (panel.meets_on, panel.created_by) == (NEXT_WEEK, coordinator)


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Enter the date of the panel"),
        (
            date_fields("meets_on", TODAY - datetime.timedelta(days=1)),
            "The date of the panel must be today or in the future",
        ),
        (
            {"meets_on-day": "3", "meets_on-month": "", "meets_on-year": "2030"},
            "Date of the panel must include a month",
        ),
        (
            {"meets_on-day": "31", "meets_on-month": "2", "meets_on-year": "2030"},
            "Date of the panel must be a real date",
        ),
        (
            {"meets_on-day": "9" * 30, "meets_on-month": "2", "meets_on-year": "2030"},
            "Date of the panel must be a real date",
        ),
        (
            {"meets_on-day": "٣", "meets_on-month": "2", "meets_on-year": "2030"},
            "Date of the panel must be a real date, written in numbers",
        ),
        (
            {"meets_on-day": "31", "meets_on-month": "12", "meets_on-year": "9999"},
            f"Date of the panel must be between 1 January {TODAY.year - 5} and "
            f"31 December {TODAY.year + 5}",
        ),
    ],
)
def test_a_bad_date_shows_the_error_summary(client_for, coordinator, data, message):
    response = client_for(coordinator).post("/panels/new/", data)

    html = response.content.decode()
    assert (response.status_code, summary(response)) == (200, [message])
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_meets_on-day">' in html
    assert "<title>Error: Arrange a panel" in html
    assert Panel.objects.count() == 0


# The panel page, members and agenda -------------------------------------------


def test_the_panel_page_shows_the_agenda_and_members(client_for, coordinator, on_agenda, member):
    response = client_for(coordinator).get(f"/panels/{on_agenda.panel_id}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert on_agenda.episode.reference in html
    assert f"{member.full_name}, Testshire Clinic" in html
    assert "Not yet recorded" in html
    assert f"/panels/{on_agenda.panel_id}/agenda/{on_agenda.pk}/" in html
    view = AuditEvent.objects.get(action=Action.VIEW, object_type="panels.panel")
    assert view.object_id == str(on_agenda.panel_id)


def test_adding_a_member(client_for, coordinator, panel, member, other_la_manager):
    client = client_for(coordinator)
    offered = client.get(f"/panels/{panel.pk}/members/").context["form"].fields["member"].choices

    response = client.post(f"/panels/{panel.pk}/members/", {"member": str(member.pk)})

    assert (member.pk, f"{member.full_name}, Testshire Clinic") in offered
    assert other_la_manager.pk not in [value for value, _label in offered]
    assert (response.status_code, response["Location"]) == (302, f"/panels/{panel.pk}/")
    assert list(panel.members.all()) == [member]


@pytest.mark.parametrize(
    "chosen, message",
    [("", "Choose who will sit on the panel"), ("other_la_manager", "Select a valid choice.")],
)
def test_adding_a_member_with_a_bad_choice_shows_the_error(
    request, client_for, coordinator, panel, chosen, message
):
    value = str(request.getfixturevalue(chosen).pk) if chosen else ""

    response = client_for(coordinator).post(f"/panels/{panel.pk}/members/", {"member": value})

    assert response.status_code == 200
    assert summary(response)[0].startswith(message)
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert list(panel.members.all()) == []


def test_removing_a_member(client_for, coordinator, on_agenda, member):
    client = client_for(coordinator)
    url = f"/panels/{on_agenda.panel_id}/members/{member.pk}/remove/"

    assert client.get(url).status_code == 405
    response = client.post(url)

    assert (response.status_code, list(on_agenda.panel.members.all())) == (302, [])
    assert client.post(url).status_code == 404


def test_adding_a_referred_case(client_for, coordinator, panel, episode, referral):
    client = client_for(coordinator)
    form = client.get(f"/panels/{panel.pk}/agenda/").context["form"]

    response = client.post(f"/panels/{panel.pk}/agenda/", {"referral": str(referral.pk)})

    assert [value for value, _label in form.fields["referral"].choices] == [referral.pk]
    assert (response.status_code, response["Location"]) == (302, f"/panels/{panel.pk}/")
    item = AgendaItem.objects.get()
    assert (item.episode, item.referral) == (episode, referral)
    # Once on the agenda, the referral is no longer offered.
    assert "referral" not in client.get(f"/panels/{panel.pk}/agenda/").context["form"].fields


def test_adding_any_open_case_by_reference(client_for, coordinator, panel, la, involved):
    case = EpisodeFactory(local_authority=la, requested_by=involved)

    response = client_for(coordinator).post(
        f"/panels/{panel.pk}/agenda/", {"reference": case.reference.lower()}
    )

    assert response.status_code == 302
    assert list(panel.agenda_items.values_list("episode", "referral")) == [(case.pk, None)]


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choose a referred case or enter the reference of a case"),
        ({"reference": "EH999999"}, "Enter the reference of an open case, like EH000123"),
        ({"reference": "not a reference"}, "Enter the reference of an open case, like EH000123"),
    ],
)
def test_adding_a_case_with_bad_input_shows_the_error(
    client_for, coordinator, panel, data, message
):
    response = client_for(coordinator).post(f"/panels/{panel.pk}/agenda/", data)

    assert (response.status_code, summary(response)) == (200, [message])
    assert '<a href="#id_reference">' in response.content.decode()
    assert AgendaItem.objects.count() == 0


def test_another_councils_case_cannot_be_added_by_reference(
    client_for, coordinator, panel, other_la
):
    elsewhere = EpisodeFactory(local_authority=other_la)
    response = client_for(coordinator).post(
        f"/panels/{panel.pk}/agenda/", {"reference": elsewhere.reference}
    )
    assert summary(response) == ["Enter the reference of an open case, like EH000123"]
    assert AgendaItem.objects.count() == 0


def test_recording_the_outcome(client_for, coordinator, on_agenda):
    client = client_for(coordinator)
    url = f"/panels/{on_agenda.panel_id}/agenda/{on_agenda.pk}/"

    empty = client.post(url, {"outcome": "  "})
    saved = client.post(
        url, {"decision": "return_to_team", "outcome": "Ask the school nurse to join."}
    )

    assert (empty.status_code, summary(empty)) == (
        200,
        ["Choose what the panel decided", "Enter what the panel decided"],
    )
    assert (saved.status_code, saved["Location"]) == (302, f"/panels/{on_agenda.panel_id}/")
    on_agenda.refresh_from_db()
    assert on_agenda.outcome == "Ask the school nurse to join."


def test_an_agenda_item_of_another_panel_is_404(client_for, coordinator, on_agenda):
    other = services.arrange_panel(coordinator, meets_on=NEXT_WEEK)
    response = client_for(coordinator).get(f"/panels/{other.pk}/agenda/{on_agenda.pk}/")
    assert response.status_code == 404


# Closing --------------------------------------------------------------------


def test_closing_asks_for_confirmation_and_every_decision_first(client_for, coordinator, on_agenda):
    client = client_for(coordinator)
    url = f"/panels/{on_agenda.panel_id}/close/"
    reference = on_agenda.episode.reference

    page = client.get(url)
    refused = client.post(url)

    assert page.status_code == 200
    assert "Are you sure you want to close the panel?" in page.content.decode()
    assert [item.pk for item in page.context["undecided"]] == [on_agenda.pk]
    assert error_list(refused.context["form"]) == [
        {
            "text": f"Record what the panel decided for {reference} before closing it",
            "href": "#main-content",
        }
    ]
    assert "<title>Error: Close the panel" in refused.content.decode()
    on_agenda.panel.refresh_from_db()
    assert on_agenda.panel.is_open


def test_closing_the_panel(client_for, coordinator, on_agenda):
    services.record_outcome(coordinator, on_agenda, outcome="Step down to universal services.")

    response = client_for(coordinator).post(f"/panels/{on_agenda.panel_id}/close/")

    on_agenda.panel.refresh_from_db()
    assert (response.status_code, on_agenda.panel.is_open) == (302, False)


def test_nothing_on_a_closed_panel_can_be_changed_from_its_pages(
    client_for, coordinator, on_agenda, member, la
):
    panel = on_agenda.panel
    decide_and_close(coordinator, panel)
    newcomer = UserFactory(local_authority=la)
    client = client_for(coordinator)
    base = f"/panels/{panel.pk}/"
    writes = [
        (f"{base}members/", {"member": str(newcomer.pk)}),
        (f"{base}members/{member.pk}/remove/", {}),
        (f"{base}agenda/", {"reference": on_agenda.episode.reference}),
        (f"{base}agenda/{on_agenda.pk}/", {"outcome": "Changed"}),
        (f"{base}close/", {}),
    ]

    statuses = [client.post(url, data).status_code for url, data in writes]
    page = client.get(base).content.decode()

    assert statuses == [409] * 5
    on_agenda.refresh_from_db()
    assert (list(panel.members.all()), on_agenda.outcome) == ([member], "Continue with the plan.")
    assert "Close the panel" not in page and "Add a member" not in page
    assert client.get(f"{base}members/").content.decode().count("This panel has closed") == 2


# Queries do not grow with the lists --------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_panel_list_queries_do_not_grow_with_the_panels(
    client_for, coordinator, count, django_assert_num_queries
):
    for n in range(count):
        services.arrange_panel(coordinator, meets_on=NEXT_WEEK + datetime.timedelta(days=n))
        closed = services.arrange_panel(coordinator, meets_on=TODAY)
        services.close_panel(coordinator, closed)
    client = client_for(coordinator)
    client.get("/panels/")
    # session, user with its LA, two-factor device, roles, organisations; open
    # panels, closed panels
    with django_assert_num_queries(7):
        response = client.get("/panels/")
    assert (len(response.context["open_panels"]), len(response.context["closed_panels"])) == (
        count,
        count,
    )


@pytest.mark.parametrize("count", [1, 3])
def test_panel_page_queries_do_not_grow_with_members_and_agenda(
    client_for, coordinator, panel, la, involved, count, django_assert_num_queries
):
    for _n in range(count):
        services.add_member(coordinator, panel, UserFactory(local_authority=la))
        case = EpisodeFactory(local_authority=la, requested_by=involved)
        refer_to_panel(involved, case, concern="Plan cannot be delivered.")
        services.add_to_agenda(coordinator, panel, case)
    client = client_for(coordinator)
    client.get(f"/panels/{panel.pk}/")
    # session, user with its LA, two-factor device, roles, organisations; the
    # panel; the view event (savepoint, chain head, insert, head update,
    # release; the event takes the panel's council by id, fetching none);
    # members, their memberships and organisations; the agenda
    with django_assert_num_queries(14):
        response = client.get(f"/panels/{panel.pk}/")
    assert (len(response.context["members"]), len(response.context["items"])) == (count, count)


@pytest.mark.parametrize("count", [1, 3])
def test_add_case_page_queries_do_not_grow_with_the_referrals(
    client_for, coordinator, panel, la, involved, count, django_assert_num_queries
):
    for _n in range(count):
        case = EpisodeFactory(local_authority=la, requested_by=involved)
        refer_to_panel(involved, case, concern="No lead professional can be found.")
    client = client_for(coordinator)
    client.get(f"/panels/{panel.pk}/agenda/")
    # session, user with its LA, two-factor device, roles, organisations; the
    # panel; the referrals
    with django_assert_num_queries(7):
        response = client.get(f"/panels/{panel.pk}/agenda/")
    assert len(response.context["form"].fields["referral"].choices) == count


@pytest.mark.parametrize("count", [1, 3])
def test_add_member_page_queries_do_not_grow_with_the_staff(
    client_for, coordinator, panel, la, school, count, django_assert_num_queries
):
    for _n in range(count):
        UserFactory(local_authority=la, organisation=school, roles=[Role.PRACTITIONER])
    client = client_for(coordinator)
    client.get(f"/panels/{panel.pk}/members/")
    # session, user with its LA, two-factor device, roles, organisations; the
    # panel; staff, their memberships and organisations
    with django_assert_num_queries(9):
        response = client.get(f"/panels/{panel.pk}/members/")
    # the coordinator and the new staff, after the empty choice
    assert len(response.context["form"].fields["member"].choices) == count + 2
