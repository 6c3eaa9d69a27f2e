"""Who to call, the directory, and the administrator's districts and schools."""

import pytest

from accounts import directory
from accounts.models import District, Organisation, OrganisationType, Role
from audit.models import Action, AuditEvent
from tests.factories import DistrictFactory, EpisodeFactory, OrganisationFactory, UserFactory


@pytest.fixture
def north(la, eho):
    eho.phone = "01632 960001"
    eho.job_title = "Early Help Officer (North)"
    eho.save()
    return DistrictFactory(local_authority=la, name="North", early_help_officer=eho)


@pytest.fixture
def placed_school(school, north):
    school.district = north
    school.school_urn = "999123"
    school.save()
    return school


# Who to call --------------------------------------------------------------------


def test_a_practitioner_sees_their_schools_district_officer_and_the_councils_numbers(
    client_for, involved, placed_school, la, eho
):
    la.front_door_phone, la.mash_phone, la.advice_email = (
        "0300 000 0101",
        "0300 000 0102",
        "advice@testshire.example",
    )
    la.save()

    html = client_for(involved).get("/accounts/who-to-call/").content.decode()

    for shown in (
        "North",
        eho.full_name,
        "Early Help Officer (North)",
        "tel:01632960001",
        f"mailto:{eho.email}",
        "0300 000 0101",
        "0300 000 0102",
        "advice@testshire.example",
        "call the police on 999",
    ):
        assert shown in html


def test_a_district_whose_officer_left_says_to_call_the_advice_line(
    client_for, involved, placed_school, eho
):
    eho.is_active = False
    eho.save()

    html = client_for(involved).get("/accounts/who-to-call/").content.decode()

    assert eho.email not in html
    assert "No Early Help Officer is named for this district" in html


def test_someone_in_no_district_is_sent_to_the_advice_line_and_directory(client_for, manager):
    html = client_for(manager).get("/accounts/who-to-call/").content.decode()

    assert "you have no district Early Help Officer" in html
    assert "/accounts/directory/" in html


def test_who_to_call_is_one_click_from_every_page_for_everyone_of_a_council(
    client_for, involved, la_admin
):
    for user in (involved, la_admin):
        navigation = client_for(user).get("/").context["service_navigation"]
        assert "/accounts/who-to-call/" in [item["href"] for item in navigation]


# The directory --------------------------------------------------------------------


def test_the_directory_lists_each_district_with_its_officer_and_schools_of_this_council_only(
    client_for, involved, placed_school, la, other_la, eho
):
    south = DistrictFactory(local_authority=la, name="South")
    OrganisationFactory(local_authority=la, name="South Academy", district=south)
    OrganisationFactory(local_authority=la, name="South Clinic", district=south, type="health")
    elsewhere = DistrictFactory(local_authority=other_la, name="Elsewhere")
    OrganisationFactory(local_authority=other_la, name="Elsewhere School", district=elsewhere)

    entries = client_for(involved).get("/accounts/directory/").context["entries"]

    assert [(e.district.name, e.officer, [s.name for s in e.schools]) for e in entries] == [
        ("North", eho, ["Testshire Primary"]),
        ("South", None, ["South Academy"]),
    ]


@pytest.mark.parametrize("search", ["primary", "999123", "nor"])
def test_the_directory_finds_a_district_by_its_school_name_urn_or_its_own_name(
    client_for, involved, placed_school, la, search
):
    south = DistrictFactory(local_authority=la, name="South")
    OrganisationFactory(local_authority=la, name="South Academy", district=south)

    entries = client_for(involved).get("/accounts/directory/", {"q": search}).context["entries"]

    assert [e.district.name for e in entries] == ["North"]


def test_a_search_that_finds_nothing_says_so(client_for, involved, placed_school):
    response = client_for(involved).get("/accounts/directory/", {"q": "zzz"})

    assert "No school or district matches your search" in response.content.decode()


# The administrator's districts --------------------------------------------------------


def test_the_administrator_adds_a_district_with_its_officer_and_it_is_audited(
    client_for, la_admin, la, eho
):
    response = client_for(la_admin).post(
        "/accounts/settings/districts/new/", {"name": " East ", "early_help_officer": eho.pk}
    )

    district = District.objects.get(local_authority=la, name="East")
    assert response.status_code == 302 and response["Location"].endswith(f"/{district.pk}/")
    assert district.early_help_officer == eho
    event = AuditEvent.objects.get(action=Action.CREATE)
    assert (event.changes, event.actor) == ({"fields": ["name", "early_help_officer"]}, la_admin)


def test_only_an_early_help_officer_of_the_council_can_be_named(
    client_for, la_admin, la, north, involved, other_la
):
    elsewhere_eho = UserFactory(
        local_authority=other_la, email="eho@other.example", roles=[Role.EARLY_HELP_OFFICER]
    )
    client = client_for(la_admin)
    for officer in (involved, elsewhere_eho):
        response = client.post(
            f"/accounts/settings/districts/{north.pk}/",
            {"name": "North", "early_help_officer": officer.pk},
        )
        assert "Choose an Early Help Officer from the list" in response.content.decode()
    north.refresh_from_db()
    assert north.early_help_officer.email == "eho@test.example"


def test_a_district_name_is_unique_in_the_council_whatever_its_case(client_for, la_admin, north):
    response = client_for(la_admin).post("/accounts/settings/districts/new/", {"name": "NORTH"})

    assert "There is already a district called NORTH" in response.content.decode()
    assert District.objects.count() == 1


def test_renaming_changes_only_what_changed_and_saving_unchanged_records_nothing(
    client_for, la_admin, north, eho
):
    client = client_for(la_admin)
    client.post(
        f"/accounts/settings/districts/{north.pk}/", {"name": "North", "early_help_officer": eho.pk}
    )
    assert not AuditEvent.objects.filter(action=Action.UPDATE).exists()

    client.post(
        f"/accounts/settings/districts/{north.pk}/", {"name": "Northern", "early_help_officer": ""}
    )

    north.refresh_from_db()
    assert (north.name, north.early_help_officer) == ("Northern", None)
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert event.changes == {"fields": ["name", "early_help_officer"]}


def test_a_district_with_schools_or_cases_cannot_be_removed_and_says_why(
    client_for, la_admin, la, north, placed_school
):
    client = client_for(la_admin)
    response = client.post(f"/accounts/settings/districts/{north.pk}/remove/")
    assert "Move each to another district first" in response.content.decode()

    placed_school.district = None
    placed_school.save()
    EpisodeFactory(local_authority=la, district=north)
    response = client.post(f"/accounts/settings/districts/{north.pk}/remove/")
    assert "Rename it instead" in response.content.decode()
    assert District.objects.filter(pk=north.pk).exists()


def test_an_empty_district_is_removed_and_the_removal_audited(client_for, la_admin, la):
    mistake = DistrictFactory(local_authority=la, name="Typo")

    response = client_for(la_admin).post(f"/accounts/settings/districts/{mistake.pk}/remove/")

    assert response.status_code == 302
    assert not District.objects.filter(pk=mistake.pk).exists()
    assert AuditEvent.objects.get(action=Action.DELETE).changes == {"name": "Typo"}


def test_another_councils_district_is_not_found(client_for, la_admin, other_la):
    elsewhere = DistrictFactory(local_authority=other_la, name="Elsewhere")

    assert (
        client_for(la_admin).get(f"/accounts/settings/districts/{elsewhere.pk}/").status_code == 404
    )


def test_only_the_administrator_manages_districts(client_for, eho, manager, north):
    for user in (eho, manager):
        client = client_for(user)
        assert client.get("/accounts/settings/districts/").status_code == 403
        response = client.post(f"/accounts/settings/districts/{north.pk}/", {"name": "Mine"})
        assert response.status_code == 403
    north.refresh_from_db()
    assert north.name == "North"


# The administrator's schools -------------------------------------------------------


def test_the_administrator_adds_a_school_to_a_district(client_for, la_admin, la, north):
    client = client_for(la_admin)
    form = client.get("/accounts/settings/schools/new/", {"district": north.pk}).context["form"]
    assert str(form["district"].value()) == str(north.pk)

    response = client.post(
        "/accounts/settings/schools/new/",
        {"name": "Northfield Infants", "school_urn": "999 124", "district": north.pk},
    )

    school = Organisation.objects.get(name="Northfield Infants")
    assert (school.type, school.school_urn, school.district, school.local_authority) == (
        OrganisationType.SCHOOL,
        "999124",
        north,
        la,
    )
    assert response["Location"].endswith(f"/settings/districts/{north.pk}/")
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(school.pk)).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "school_urn": "", "district": "north"}, "Enter the school"),
        ({"name": "Testshire Primary", "school_urn": "", "district": "north"}, "There is already"),
        ({"name": "New", "school_urn": "12345", "district": "north"}, "A URN is 6 digits"),
        ({"name": "New", "school_urn": "١٢٣٤٥٦", "district": "north"}, "A URN is 6 digits"),
        ({"name": "New", "school_urn": "999123", "district": "north"}, "has the URN 999123"),
        ({"name": "New", "school_urn": "", "district": ""}, "Choose the district"),
        (
            {"name": "New", "school_urn": "", "district": "99999999999999999999"},
            "Choose the district",
        ),
    ],
)
def test_a_school_that_cannot_be_saved_says_what_to_fix_and_saves_nothing(
    client_for, la_admin, north, placed_school, data, message
):
    data = {**data, "district": north.pk if data["district"] == "north" else data["district"]}
    before = Organisation.objects.count()

    response = client_for(la_admin).post("/accounts/settings/schools/new/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Organisation.objects.count() == before


def test_a_school_moves_to_another_district(client_for, la_admin, la, placed_school):
    south = DistrictFactory(local_authority=la, name="South")

    client_for(la_admin).post(
        f"/accounts/settings/schools/{placed_school.pk}/",
        {"name": placed_school.name, "school_urn": "999123", "district": south.pk},
    )

    placed_school.refresh_from_db()
    assert placed_school.district == south
    assert AuditEvent.objects.get(action=Action.UPDATE).changes == {"fields": ["district"]}


def test_an_organisation_that_is_not_a_school_is_not_edited_here(client_for, la_admin, clinic):
    assert client_for(la_admin).get(f"/accounts/settings/schools/{clinic.pk}/").status_code == 404


def test_schools_in_no_district_are_listed_for_the_administrator(client_for, la_admin, school):
    response = client_for(la_admin).get("/accounts/settings/districts/")

    assert list(response.context["unplaced"]) == [school]


def test_the_service_refuses_a_district_of_another_council_for_a_school(la_admin, la, other_la):
    elsewhere = DistrictFactory(local_authority=other_la, name="Elsewhere")

    with pytest.raises(Exception, match="Choose the district"):
        directory.save_school(la_admin, la, {"name": "X", "district": elsewhere})
