from datetime import date

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import Action, AuditEvent
from episodes.models import Episode, Status
from notifications.models import Notification
from people.models import Person
from tests.factories import EpisodeFactory, PersonFactory
from tests.journey_factories import years_ago


def search(client, first="Ada", last="Newfamily", dob=None):
    data = {"first_name": first, "last_name": last}
    if dob:
        data.update(
            {
                "date_of_birth-day": dob.day,
                "date_of_birth-month": dob.month,
                "date_of_birth-year": dob.year,
            }
        )
    return client.post("/cases/new/", data)


def add_person(client, relationship="child", dob=date(2018, 4, 2), **extra):
    data = {
        "relationship": relationship,
        "first_name": "Ada",
        "last_name": "Newfamily",
        "sex": "2",
        "date_of_birth-day": dob.day,
        "date_of_birth-month": dob.month,
        "date_of_birth-year": dob.year,
    }
    data.update(extra)
    return client.post("/cases/new/person/", data)


def details(client, school, district, **extra):
    data = {
        "worries": "Attendance has fallen this term.",
        "needs": ["attendance", "parenting"],
        "source": "professional",
        "organisation": school.pk,
        "district": district.pk,
        "family_name": "Newfamily family",
    }
    data.update(extra)
    return client.post("/cases/new/details/", data)


def test_a_practitioner_asks_for_help_for_a_new_family(
    client_for, involved, school, district, eho, django_capture_on_commit_callbacks
):
    client = client_for(involved)
    assert search(client).context["matches"] == []
    assert add_person(client).status_code == 302
    assert details(client, school, district).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cases/new/check/")

    episode = Episode.objects.get()
    assert response["Location"] == f"/cases/{episode.pk}/"
    assert (episode.status, episode.requested_by, episode.requesting_organisation) == (
        Status.REQUESTED,
        involved,
        school,
    )
    assert [c.full_name for c in episode.children.all()] == ["Ada Newfamily"]
    assert sorted(episode.needs.values_list("need", flat=True)) == ["attendance", "parenting"]
    assert list(episode.organisations.all()) == [school]
    assert list(Notification.objects.values_list("user__email", "message")) == [
        ("eho@test.example", f"New request for early help in {district.name}"),
    ]
    assert [m.to for m in mail.outbox] == [["eho@test.example"]]
    created = list(
        AuditEvent.objects.filter(action=Action.CREATE).values_list("object_type", flat=True)
    )
    assert created == ["people.family", "people.person", "episodes.episode"]
    assert client.session.get("request_draft") is None


def test_adding_a_new_person_needs_a_search_first(client_for, involved):
    response = client_for(involved).get("/cases/new/person/")
    assert response["Location"] == "/cases/new/"


def test_a_known_person_the_searcher_may_see_can_be_added(client_for, involved, episode, child):
    client = client_for(involved)
    matches = search(client, child.first_name, child.last_name, child.date_of_birth)
    match = matches.context["matches"][0]
    assert (match.person, match.likely, match.reason) == (
        child,
        True,
        "same date of birth, same first name, same surname",
    )

    client.post("/cases/new/add/", {"person_id": child.pk})
    assert client.session["request_draft"]["members"] == [
        {"person_id": child.pk, "relationship": "child", "name": child.full_name}
    ]
    assert client.session["request_draft"]["family_id"] == episode.family_id


def test_a_known_person_the_searcher_may_not_see_reveals_only_whom_to_ask(
    client_for, other_org, episode, child, eho
):
    response = search(client_for(other_org), child.first_name, child.last_name, child.date_of_birth)
    match = response.context["matches"][0]
    assert (match.person, match.contact) == (
        None,
        f"{eho.full_name}, Early Help Officer for {episode.district.name}",
    )
    html = response.content.decode()
    # No details and no way to add the person: only that a record exists.
    assert ("govuk-summary-list" in html, 'name="person_id"' in html) == (False, False)
    assert "A record exists that you cannot see" in html
    # and it cannot be added by guessing the id
    assert client_for(other_org).post("/cases/new/add/", {"person_id": child.pk}).status_code == 403


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("9" * 30, "Date of birth or expected date of birth must be a real date"),
        ("٣", "Date of birth or expected date of birth must be a real date, written in numbers"),
    ],
)
def test_searching_with_an_impossible_birth_date_says_so(client_for, involved, day, message):
    client = client_for(involved)
    dates = {"date_of_birth-day": day, "date_of_birth-month": "4", "date_of_birth-year": "2018"}

    search = client.post("/cases/new/", {"first_name": "Ada", "last_name": "Newfamily", **dates})
    live = client.get("/cases/new/matches/", {"last_name": "Newfamily", **dates})

    assert (search.status_code, search.context["form"].errors["date_of_birth"]) == (200, [message])
    assert (live.status_code, live.context["matches"]) == (200, [])


def test_a_new_person_born_before_1900_is_explained(client_for, involved):
    client = client_for(involved)
    search(client)
    response = add_person(client, dob=date(1899, 12, 31))
    latest = timezone.localdate().year + 1
    assert response.context["form"].errors["date_of_birth"] == [
        f"Date of birth must be between 1 January 1900 and 31 December {latest}"
    ]


HOSTILE_IDS = ["", "abc", "²", "٣", "1.0", "-1", "9" * 30, "\x00"]


@pytest.mark.parametrize("person_id", HOSTILE_IDS)
def test_adding_a_person_by_a_malformed_id_is_refused(client_for, involved, child, person_id):
    client = client_for(involved)
    response = client.post("/cases/new/add/", {"person_id": person_id})
    assert (response.status_code, client.session.get("request_draft", {}).get("members")) == (
        403,
        None,
    )


@pytest.mark.parametrize("remove", [*HOSTILE_IDS, "1"])
def test_removing_by_anything_but_a_listed_row_says_choose_who(client_for, involved, remove):
    client = client_for(involved)
    search(client)
    add_person(client)
    response = client.post("/cases/new/people/", {"remove": remove})
    assert (response.status_code, response.context["problems"]) == (
        200,
        [{"text": "Choose who to remove from the list", "href": "#main-content"}],
    )
    assert "Choose who to remove from the list" in response.content.decode()
    assert len(client.session["request_draft"]["members"]) == 1


def test_removing_a_listed_row(client_for, involved):
    client = client_for(involved)
    search(client)
    add_person(client)
    response = client.post("/cases/new/people/", {"remove": "0"})
    assert (response.status_code, client.session["request_draft"]["members"]) == (302, [])


def test_near_search_finds_a_differently_spelt_name_with_the_same_birth_date(
    client_for, involved, episode, la
):
    person = PersonFactory(
        local_authority=la,
        first_name="Mohammed",
        last_name="Rahman",
        date_of_birth=date(2015, 3, 9),
    )
    episode.family.memberships.create(person=person, relationship="child")
    response = search(client_for(involved), "Muhammad", "Rahman", date(2015, 3, 9))
    assert [(m.person, m.likely) for m in response.context["matches"]] == [(person, True)]
    assert "first names are forms of the same name" in response.context["matches"][0].reason


def test_a_child_over_the_upper_age_is_refused_with_what_to_do(client_for, involved, la):
    client = client_for(involved)
    search(client)
    response = add_person(client, dob=years_ago(26))
    message = response.context["form"].errors["date_of_birth"][0]
    assert message.startswith(
        "Ada Newfamily is 26: early help in Testshire Council is for "
        "children and young people up to their 18th birthday"
    )
    assert "contact adult services or the family's GP instead" in message


def test_a_young_person_with_send_is_eligible_to_the_send_age(client_for, involved, la):
    client = client_for(involved)
    search(client)
    assert add_person(client, dob=years_ago(20), has_send="true").status_code == 302


def test_an_unborn_child_needs_an_expected_date(client_for, involved):
    client = client_for(involved)
    search(client)
    response = client.post(
        "/cases/new/person/",
        {"relationship": "unborn", "first_name": "Baby", "last_name": "Newfamily", "sex": "0"},
    )
    assert response.context["form"].errors == {
        "expected_date_of_birth": ["Enter the expected date of birth of the unborn child"]
    }


def test_a_request_with_only_adults_is_refused(client_for, involved, school, district):
    client = client_for(involved)
    search(client)
    add_person(client, relationship="parent", dob=date(1990, 1, 1))
    details(client, school, district)
    response = client.post("/cases/new/check/")
    assert [p["text"] for p in response.context["problems"]] == [
        "Add at least one child or unborn child to the request"
    ]
    assert Episode.objects.count() == 0
    assert Person.objects.count() == 0


@pytest.mark.parametrize("persona", ["la_admin", "eho"])
def test_only_practitioners_and_managers_with_an_organisation_ask(request, client_for, persona):
    assert client_for(request.getfixturevalue(persona)).get("/cases/new/").status_code == 403


def test_searching_is_audited_without_the_names_typed(client_for, involved):
    search(client_for(involved))
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert event.changes == {"search": "people", "results": 0}


def test_another_las_people_are_never_matched(client_for, involved, other_la):
    theirs = EpisodeFactory(local_authority=other_la)
    child = theirs.children.get()
    response = search(client_for(involved), child.first_name, child.last_name, child.date_of_birth)
    assert response.context["matches"] == []


def test_childrens_social_care_steps_a_family_down_with_a_summary(
    client_for, la, district, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import OrganisationFactory, UserFactory

    csc = OrganisationFactory(local_authority=la, name="Testshire CSC", type="csc")
    social_worker = UserFactory(local_authority=la, organisation=csc)
    client = client_for(social_worker)
    search(client)
    add_person(client)
    missing = details(client, csc, district, source="step_down")
    assert missing.status_code == 302  # the summary is checked when the request is sent
    assert [p["text"] for p in client.post("/cases/new/check/").context["problems"]] == [
        "Add children's social care's summary for early help"
    ]
    details(
        client,
        csc,
        district,
        source="step_down",
        step_down_summary="Section 17 plan ended; attendance support to continue.",
    )
    sent = client.post("/cases/new/check/")
    assert sent.status_code == 302, sent.context and sent.context.get("problems")

    episode = Episode.objects.get()
    assert (episode.source, episode.step_down_summary, episode.lead_professional_due_by) == (
        "step_down",
        "Section 17 plan ended; attendance support to continue.",
        timezone.localdate() + timedelta(days=10),
    )
    from episodes.progress import next_step

    assert next_step(episode).what == "Agree a lead professional"


def test_only_childrens_social_care_may_step_down(client_for, involved, school, district):
    client = client_for(involved)
    search(client)
    add_person(client)
    response = details(client, school, district, source="step_down")
    assert response.context["form"].errors == {
        "source": ["Select a valid choice. step_down is not one of the available choices."]
    }
