"""The request form's answers: dates of birth, month names, the district, going
back from "Check your answers", and the safeguarding contact when the needs
suggest significant harm."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from episodes.models import Episode
from episodes.needs import SIGNIFICANT_HARM_NEEDS, Need, significant_harm_needs
from tests.episodes.test_request import add_person, details, search
from tests.factories import DistrictFactory, OrganisationFactory, UserFactory

FUTURE_BIRTH = (
    "Date of birth must be today or in the past; for an unborn child, give the "
    "expected date of birth instead"
)


def dates(name, day, month, year):
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


# A date of birth in the future


def test_a_date_of_birth_in_the_future_is_refused_with_the_expected_date_named(
    client_for, involved
):
    client = client_for(involved)
    search(client)
    response = add_person(client, dob=timezone.localdate() + timedelta(days=30))

    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"] == [FUTURE_BIRTH]
    assert client.session["request_draft"]["members"] == []


def test_an_unborn_child_with_an_expected_date_is_added(client_for, involved):
    client = client_for(involved)
    search(client)
    due = timezone.localdate() + timedelta(days=30)
    response = client.post(
        "/cases/new/person/",
        {
            "relationship": "unborn",
            "first_name": "Baby",
            "last_name": "Newfamily",
            "sex": "0",
            **dates("expected_date_of_birth", due.day, due.month, due.year),
        },
    )
    assert response.status_code == 302
    assert client.session["request_draft"]["members"][0]["details"]["expected_date_of_birth"] == (
        due.isoformat()
    )


def test_a_date_of_birth_in_the_future_is_refused_when_correcting_a_person(
    client_for, eho, episode, child
):
    future = timezone.localdate() + timedelta(days=30)
    response = client_for(eho).post(
        f"/people/{child.pk}/change/",
        {
            "first_name": child.first_name,
            "last_name": child.last_name,
            "sex": "2",
            "ethnicity": child.ethnicity,
            "preferred_language": "en",
            **dates("date_of_birth", future.day, future.month, future.year),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"] == [FUTURE_BIRTH]
    child.refresh_from_db()
    assert child.date_of_birth != future


# Month names


def test_a_month_typed_as_a_name_is_accepted_when_adding_a_person(client_for, involved):
    client = client_for(involved)
    search(client)
    response = client.post(
        "/cases/new/person/",
        {
            "relationship": "child",
            "first_name": "Ada",
            "last_name": "Newfamily",
            "sex": "2",
            **dates("date_of_birth", "2", "Apr", "2018"),
        },
    )
    assert response.status_code == 302
    assert client.session["request_draft"]["members"][0]["details"]["date_of_birth"] == (
        "2018-04-02"
    )


def test_a_month_typed_as_a_name_is_accepted_in_the_search(client_for, involved, child):
    response = client_for(involved).post(
        "/cases/new/",
        {
            "first_name": child.first_name,
            "last_name": child.last_name,
            **dates(
                "date_of_birth",
                str(child.date_of_birth.day),
                child.date_of_birth.strftime("%B").lower(),
                str(child.date_of_birth.year),
            ),
        },
    )
    assert response.context["form"].errors == {}
    assert [match.person for match in response.context["matches"]] == [child]


# The search carried into "add a person"


def test_the_date_of_birth_searched_for_is_carried_into_add_a_person(client_for, involved):
    client = client_for(involved)
    search(client, dob=date(2018, 4, 2))
    form = client.get("/cases/new/person/").context["form"]
    assert (
        form["first_name"].value(),
        form["last_name"].value(),
        form["date_of_birth"].value(),
        form["expected_date_of_birth"].value(),
    ) == ("Ada", "Newfamily", date(2018, 4, 2), None)
    html = client.get("/cases/new/person/").content.decode()
    assert 'name="date_of_birth-year" type="text" value="2018"' in html


def test_a_date_still_to_come_in_the_search_becomes_an_unborn_childs_expected_date(
    client_for, involved
):
    client = client_for(involved)
    due = timezone.localdate() + timedelta(days=60)
    search(client, dob=due)
    form = client.get("/cases/new/person/").context["form"]
    assert (
        form["relationship"].value(),
        form["date_of_birth"].value(),
        form["expected_date_of_birth"].value(),
    ) == ("unborn", None, due)


# The district


@pytest.fixture
def north(la):
    return DistrictFactory(local_authority=la, name="North District")


@pytest.fixture
def clinic_worker(la, district, north):
    clinic = OrganisationFactory(
        local_authority=la, name="Northside Clinic", type="health", district=north
    )
    return UserFactory(local_authority=la, organisation=clinic, roles=[Role.PRACTITIONER])


@pytest.fixture
def school_worker(la, district, north):
    school = OrganisationFactory(local_authority=la, name="North Primary", district=north)
    return UserFactory(local_authority=la, organisation=school, roles=[Role.PRACTITIONER])


def start_request(client):
    search(client)
    add_person(client)
    return client.get("/cases/new/details/")


def test_the_district_is_worked_out_from_the_school_and_says_so(client_for, school_worker, north):
    response = start_request(client_for(school_worker))
    district = response.context["form"]["district"]
    assert district.value() == north.pk
    assert district.help_text == (
        "Worked out from the school: North Primary is in North District. "
        "Change it if the family lives in another district."
    )
    assert "Worked out from the school: North Primary is in North District." in (
        response.content.decode()
    )


def test_a_district_is_never_assumed_from_a_service_that_is_not_a_school(client_for, clinic_worker):
    client = client_for(clinic_worker)
    response = start_request(client)
    assert response.context["form"]["district"].value() is None
    html = response.content.decode()
    district_select = html[html.index('<select class="govuk-select" id="id_district"') :]
    district_select = district_select[: district_select.index("</select>")]
    assert '<option value="">Choose a district</option>' in district_select
    assert "selected" not in district_select


def test_a_request_with_no_district_chosen_says_to_choose_one(client_for, clinic_worker):
    client = client_for(clinic_worker)
    start_request(client)
    response = client.post(
        "/cases/new/details/",
        {
            "worries": "Attendance has fallen this term.",
            "needs": ["attendance"],
            "source": "professional",
            "organisation": clinic_worker.primary_organisation.pk,
            # A health service leaves a choice of census referral source: made here.
            "referral_source": "3F",
            "district": "",
            "family_name": "Newfamily family",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "district": ["Choose the district the family lives in"]
    }


def test_schools_in_different_districts_leave_the_district_to_the_user(
    client_for, la, school_worker, district
):
    other_school = OrganisationFactory(local_authority=la, name="Near Primary", district=district)
    school_worker.memberships.create(organisation=other_school)
    response = start_request(client_for(school_worker))
    assert response.context["form"]["district"].value() is None


def test_check_your_answers_says_where_the_district_came_from(client_for, school_worker, north):
    client = client_for(school_worker)
    start_request(client)
    details(client, school_worker.primary_organisation, north)
    response = client.get("/cases/new/check/")
    assert response.context["district_reason"] == (
        "Worked out from the school: North Primary is in North District."
    )


# Going back from "Check your answers"


def test_going_back_from_check_your_answers_keeps_every_answer(client_for, school_worker, district):
    client = client_for(school_worker)
    start_request(client)
    school = school_worker.primary_organisation
    # A district other than the one worked out from the school.
    details(
        client,
        school,
        district,
        needs=["domestic_abuse", "housing"],
        worries="Rent arrears.",
        family_name="Ada's family",
        source="parent",
    )
    assert client.get("/cases/new/check/").status_code == 200

    form = client.get("/cases/new/details/").context["form"]
    assert {name: form[name].value() for name in form.fields} == {
        "worries": "Rent arrears.",
        "needs": ["domestic_abuse", "housing"],
        "source": "parent",
        "organisation": school.pk,
        "district": district.pk,
        "family_name": "Ada's family",
        "referral_source": "",
    }


# Needs that suggest significant harm


def test_the_needs_that_suggest_significant_harm_are_one_list():
    assert significant_harm_needs(["housing", "domestic_abuse", "abuse_neglect_signs"]) == [
        Need.ABUSE_NEGLECT_SIGNS,
        Need.DOMESTIC_ABUSE,
    ]
    assert significant_harm_needs(["housing", "attendance", "nonsense"]) == []
    assert set(SIGNIFICANT_HARM_NEEDS) == {
        Need.ABUSE_NEGLECT_SIGNS,
        Need.EXPLOITATION,
        Need.DOMESTIC_ABUSE,
    }


def test_needs_suggesting_significant_harm_show_the_mash_number_and_never_block(
    client_for, involved, school, district, la
):
    la.mash_phone = "01632 960 123"
    la.save()
    client = client_for(involved)
    search(client)
    add_person(client)
    details(client, school, district, needs=["attendance", "exploitation"])

    html = client.get("/cases/new/check/").content.decode()
    assert "The needs you chose can mean a child is at risk of significant harm:" in html
    assert "Risk of exploitation." in html
    assert '<a class="govuk-link" href="tel:01632960123">01632 960 123</a>' in html
    assert "Refer to children's social care" in html

    sent = client.post("/cases/new/check/", follow=True)
    episode = Episode.objects.get()
    assert sent.redirect_chain == [(f"/cases/{episode.pk}/", 302)]
    assert "choose &quot;Refer to children&#x27;s social care&quot; on this page." in (
        sent.content.decode()
    )


def test_needs_without_significant_harm_show_no_safeguarding_contact(
    client_for, involved, school, district, la
):
    la.mash_phone = "01632 960 123"
    la.save()
    client = client_for(involved)
    search(client)
    add_person(client)
    details(client, school, district)
    html = client.get("/cases/new/check/").content.decode()
    assert ("significant harm" in html, "01632 960 123" in html) == (False, False)


def test_an_expected_date_already_past_is_refused_when_adding_an_unborn_child(client_for, involved):
    client = client_for(involved)
    search(client)
    past = timezone.localdate() - timedelta(days=3)
    response = client.post(
        "/cases/new/person/",
        {
            "relationship": "unborn",
            "first_name": "Baby",
            "last_name": "Newfamily",
            "sex": "0",
            **dates("expected_date_of_birth", past.day, past.month, past.year),
        },
    )
    assert response.context["form"].errors == {
        "expected_date_of_birth": [
            "Expected date of birth must be today or in the future; once the baby is born, "
            "give the date of birth instead"
        ]
    }
