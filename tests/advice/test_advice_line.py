"""The advice line: recording advice with the "already known?" check, who
sees it, follow-ups, and the case chronology."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from advice.models import AdviceContact, AdviceGiven, Known
from audit.models import Action, AuditEvent
from episodes.chronology import chronology
from tests.factories import DistrictFactory, UserFactory


def _today():
    return timezone.localdate()


def _form(school, **overrides):
    today = _today()
    data = {
        "received_on-day": today.day,
        "received_on-month": today.month,
        "received_on-year": today.year,
        "channel": "phone",
        "caller_name": "Dana Teacher",
        "caller_organisation": school.pk,
        "caller_organisation_name": "",
        "first_name": "",
        "last_name": "",
        "postcode": "",
        "worry": "Attendance has dropped since the autumn.",
        "advice": AdviceGiven.START_ASSESSMENT,
        "advice_detail": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def school_in_district(school, district):
    school.district = district
    school.save()
    return school


def test_an_eho_records_advice_with_no_family_details_and_it_is_audited(
    client_for, eho, school_in_district, district
):
    response = client_for(eho).post("/advice/new/", _form(school_in_district))

    contact = AdviceContact.objects.get()
    assert response["Location"] == f"/advice/{contact.pk}/"
    assert (contact.known, contact.district, contact.caller_organisation, contact.recorded_by) == (
        Known.NOT_CHECKED,
        district,
        school_in_district,
        eho,
    )
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(contact.pk))
    assert event.changes == {"known": "not_checked", "advice": "start_assessment", "person": None}


def test_the_check_finds_a_child_the_eho_may_see_shows_the_open_case_and_links_it(
    client_for, eho, episode, child, school_in_district
):
    client = client_for(eho)
    details = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth-day": child.date_of_birth.day,
        "date_of_birth-month": child.date_of_birth.month,
        "date_of_birth-year": child.date_of_birth.year,
    }

    response = client.post("/advice/new/", _form(school_in_district, check="1", **details))

    assert not AdviceContact.objects.exists()  # checking saves nothing
    assert [match.person.pk for match, _case in response.context["found"]] == [child.pk]
    assert response.context["found"][0][1] == episode
    assert f"/cases/{episode.pk}/" in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.VIEW, changes__for="advice").exists()

    client.post(
        "/advice/new/",
        _form(school_in_district, person=child.pk, advice=AdviceGiven.CONTACT_LEAD, **details),
    )

    contact = AdviceContact.objects.get()
    assert (contact.person, contact.known) == (child, Known.KNOWN)


def test_a_child_the_eho_may_not_see_is_known_elsewhere_and_cannot_be_linked(
    client_for, la, eho, school_in_district
):
    other_district = DistrictFactory(local_authority=la, name="Far District")
    from tests.factories import EpisodeFactory

    hidden = EpisodeFactory(local_authority=la, district=other_district).children.get()
    details = {
        "first_name": hidden.first_name,
        "last_name": hidden.last_name,
        "date_of_birth-day": hidden.date_of_birth.day,
        "date_of_birth-month": hidden.date_of_birth.month,
        "date_of_birth-year": hidden.date_of_birth.year,
    }
    client = client_for(eho)

    checked = client.post("/advice/new/", _form(school_in_district, check="1", **details))
    html = checked.content.decode()
    assert "A record exists that you cannot see" in html
    assert hidden.first_name not in html.split('id="results"')[1].split("Is it one of these")[0]

    refused = client.post("/advice/new/", _form(school_in_district, person=hidden.pk, **details))
    assert refused.status_code == 200
    assert "Choose one of the people found" in refused.content.decode()
    assert not AdviceContact.objects.exists()

    client.post("/advice/new/", _form(school_in_district, **details))
    assert AdviceContact.objects.get().known == Known.KNOWN_ELSEWHERE


def test_no_match_records_not_known(client_for, eho, school_in_district):
    client_for(eho).post(
        "/advice/new/",
        _form(school_in_district, first_name="Nobody", last_name="Unheardof", postcode="ZZ9 9ZZ"),
    )

    assert AdviceContact.objects.get().known == Known.NOT_KNOWN


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"caller_organisation": "", "caller_organisation_name": ""},
            "type its name if it is not listed",
        ),
        ({"advice": AdviceGiven.OTHER, "advice_detail": ""}, "Say what advice you gave"),
        ({"worry": ""}, "Enter what the caller is worried about"),
        ({"channel": "fax"}, "Select a valid choice"),
        (
            {"follow_up_on-day": "1", "follow_up_on-month": "1", "follow_up_on-year": "2020"},
            "Follow up on",
        ),
    ],
)
def test_advice_that_cannot_be_saved_says_what_to_fix_and_saves_nothing(
    client_for, eho, school_in_district, overrides, message
):
    response = client_for(eho).post("/advice/new/", _form(school_in_district, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AdviceContact.objects.exists()


def test_a_follow_up_before_the_date_asked_is_refused(client_for, eho, school_in_district):
    yesterday = _today() - datetime.timedelta(days=1)
    response = client_for(eho).post(
        "/advice/new/",
        _form(
            school_in_district,
            **{
                "follow_up_on-day": yesterday.day,
                "follow_up_on-month": yesterday.month,
                "follow_up_on-year": yesterday.year,
            },
        ),
    )

    assert "must be on or after the date asked" in response.content.decode()


def test_a_caller_from_outside_the_council_is_recorded_by_name(client_for, eho, school):
    client_for(eho).post(
        "/advice/new/",
        _form(school, caller_organisation="", caller_organisation_name="Neighbouring GP"),
    )

    contact = AdviceContact.objects.get()
    assert (contact.organisation_name, contact.caller_organisation) == ("Neighbouring GP", None)


def _contact(la, district, eho, **fields):
    values = {
        "local_authority": la,
        "district": district,
        "received_on": _today(),
        "channel": "phone",
        "caller_name": "Caller",
        "caller_organisation_name": "Somewhere",
        "worry": "A worry",
        "known": Known.NOT_CHECKED,
        "advice": AdviceGiven.UNIVERSAL,
        "recorded_by": eho,
    }
    values.update(fields)
    return AdviceContact.objects.create(**values)


def test_an_eho_sees_their_districts_advice_a_manager_the_councils_others_none(
    client_for, la, other_la, eho, manager, involved, district, other_la_manager
):
    other_eho = UserFactory(
        local_authority=la, email="eho2@test.example", roles=[Role.EARLY_HELP_OFFICER]
    )
    far = DistrictFactory(local_authority=la, name="Far", early_help_officer=other_eho)
    mine = _contact(la, district, eho)
    theirs = _contact(la, far, other_eho)

    assert [c.pk for c in client_for(eho).get("/advice/").context["page"].object_list] == [mine.pk]
    assert client_for(eho).get(f"/advice/{theirs.pk}/").status_code == 404
    assert {c.pk for c in client_for(manager).get("/advice/").context["page"].object_list} == {
        mine.pk,
        theirs.pk,
    }
    assert client_for(other_la_manager).get(f"/advice/{mine.pk}/").status_code == 404
    assert client_for(involved).get("/advice/").status_code == 403


def test_follow_ups_owed_come_first_soonest_first_and_are_marked_done(
    client_for, la, eho, district
):
    today = _today()
    later = _contact(la, district, eho, follow_up_on=today + datetime.timedelta(days=3))
    overdue = _contact(la, district, eho, follow_up_on=today - datetime.timedelta(days=1))
    _contact(la, district, eho)
    client = client_for(eho)

    response = client.get("/advice/")
    assert list(response.context["follow_ups"]) == [overdue, later]
    assert "Overdue" in response.content.decode()

    client.post(f"/advice/{overdue.pk}/followed-up/")
    overdue.refresh_from_db()
    assert (overdue.followed_up_by, overdue.follow_up_owed) == (eho, False)
    assert list(client.get("/advice/").context["follow_ups"]) == [later]
    again = client.post(f"/advice/{overdue.pk}/followed-up/")
    assert "no follow-up still owed" in again.content.decode()


def test_advice_about_someone_in_the_family_is_in_the_case_chronology_without_the_worry(
    la, eho, district, episode, child
):
    _contact(la, district, eho, person=child, worry="Private detail of the call")

    rows = [(entry.title, entry.detail) for entry in chronology(episode)]

    assert (
        "Advice asked for by Caller, Somewhere",
        "Universal services can meet the needs",
    ) in rows
    assert all("Private detail" not in detail for _title, detail in rows)


def test_advice_line_is_in_the_navigation_of_ehos_and_managers_only(client_for, eho, involved):
    def links(user):
        return [i["text"] for i in client_for(user).get("/").context["service_navigation"]]

    assert "Advice line" in links(eho)
    assert "Advice line" not in links(involved)
