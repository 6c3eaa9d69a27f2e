"""The council administrator keeps the postcode areas that send a family's
own request to a district or the general queue: what they type is checked
box by box, nothing is saved while anything is wrong, and a change takes
effect for the next family at once."""

import pytest

from audit.models import AuditEvent
from families.models import PostcodeDistrict
from families.postcodes import GENERAL, areas_of, district_key, save_areas
from families.routing import destination_for
from tests.factories import DistrictFactory

PAGE = "/accounts/settings/postcodes/"


@pytest.fixture
def areas(la, district):
    PostcodeDistrict.objects.create(local_authority=la, district=district, outward_code="ZX1")
    PostcodeDistrict.objects.create(local_authority=la, outward_code="ZX9")
    return district


def form(district, mine="ZX1", general="ZX9"):
    return {district_key(district.pk): mine, GENERAL: general}


def test_the_page_shows_each_districts_codes(client_for, la_admin, areas):
    page = client_for(la_admin).get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Near District" in html
    assert ">ZX1</textarea>" in html
    assert ">ZX9</textarea>" in html


def test_saving_moves_adds_and_removes_codes_and_routes_the_next_family(
    client_for, la_admin, la, areas
):
    second = DistrictFactory(local_authority=la, name="Far District")
    data = {**form(areas, mine="zx2, ZX3;zx3"), district_key(second.pk): "ZX1"}
    response = client_for(la_admin).post(PAGE, data)
    assert response.status_code == 302
    assert areas_of(la) == {
        district_key(areas.pk): ["ZX2", "ZX3"],
        district_key(second.pk): ["ZX1"],
        GENERAL: ["ZX9"],
    }
    assert destination_for("ZX1 1AA").district == second
    assert destination_for("ZX3 1AA").district == areas
    assert destination_for("ZX9 1AA").district is None
    event = AuditEvent.objects.filter(reason="postcode areas").get()
    assert event.changes == {"added": ["ZX2", "ZX3"], "removed": [], "moved": ["ZX1"]}
    assert event.actor == la_admin


@pytest.mark.parametrize(
    "mine, general, message, box",
    [
        ("ZX1 NOTACODE", "ZX9", "NOTACODE is not the first part of a postcode", "mine"),
        ("ZX1 ZX١", "ZX9", "is not the first part of a postcode", "mine"),  # Arabic-Indic digit
        ("ZX1 ZX1 1AA", "ZX9", "1AA is not the first part of a postcode", "mine"),
        ("ZX1 ZX9", "ZX9", "ZX9 is also listed for Near District", GENERAL),
        ("ZX1\x00", "ZX9", "Null characters are not allowed", "mine"),
    ],
)
def test_a_wrong_box_is_told_and_nothing_changes(
    client_for, la_admin, la, areas, mine, general, message, box
):
    before = areas_of(la)
    page = client_for(la_admin).post(PAGE, form(areas, mine=mine, general=general))
    assert page.status_code == 200
    html = page.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    field = district_key(areas.pk) if box == "mine" else box
    assert f'href="#id_{field}"' in html
    assert areas_of(la) == before


def test_a_code_another_council_lists_is_refused(la_admin, la, other_la, areas):
    PostcodeDistrict.objects.create(local_authority=other_la, outward_code="ZY1")
    with pytest.raises(Exception) as refused:
        save_areas(la_admin, la, form(areas, mine="ZX1 ZY1"))
    assert "ZY1 is listed by another council" in str(refused.value)
    assert areas_of(la)[district_key(areas.pk)] == ["ZX1"]


def test_another_councils_district_is_ignored(la_admin, la, other_la, areas):
    theirs = DistrictFactory(local_authority=other_la, name="Their District")
    save_areas(la_admin, la, {**form(areas), district_key(theirs.pk): "ZX5"})
    assert not PostcodeDistrict.objects.filter(outward_code="ZX5").exists()


def test_saving_the_same_areas_changes_and_records_nothing(la_admin, la, areas):
    save_areas(la_admin, la, form(areas, mine="zx1"))
    assert not AuditEvent.objects.filter(reason="postcode areas").exists()


def test_only_the_councils_administrator_may_save(eho, manager, la, areas):
    from django.core.exceptions import PermissionDenied

    for user in (eho, manager):
        with pytest.raises(PermissionDenied):
            save_areas(user, la, form(areas, mine=""))
    assert areas_of(la)[district_key(areas.pk)] == ["ZX1"]


def test_the_districts_page_links_to_the_postcode_areas(client_for, la_admin):
    assert PAGE in client_for(la_admin).get("/accounts/settings/districts/").content.decode()
