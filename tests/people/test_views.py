import pytest
from django.utils import timezone

from audit.models import Action, AuditEvent

VALID = {
    "first_name": "Ada",
    "last_name": "Testfamily",
    "sex": "2",
    "ethnicity": "NOBT",
    "preferred_language": "pl",
    "interpreter_needed": "true",
    "date_of_birth-day": "17",
    "date_of_birth-month": "5",
    "date_of_birth-year": "2016",
    "postcode": "nm1 2ab",
    "nhs_number": "999 111 1115",
    "upn": "",
}


def test_person_page_is_shown_and_the_view_audited(client_for, involved, child):
    response = client_for(involved).get(f"/people/{child.pk}/")

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.VIEW)
    assert (event.object_type, event.object_id) == ("people.person", str(child.pk))


@pytest.mark.parametrize("persona", ["other_org", "other_eho", "other_la_manager", "la_admin"])
def test_person_pages_are_404_to_those_not_involved(request, client_for, child, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/people/{child.pk}/").status_code == 404
    assert client.post(f"/people/{child.pk}/change/", VALID).status_code == 404
    child.refresh_from_db()
    assert child.first_name != "Ada"


def test_corrections_are_saved_normalised_and_audited_by_field_name(client_for, involved, child):
    response = client_for(involved).post(f"/people/{child.pk}/change/", VALID)

    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.first_name, child.postcode, child.nhs_number, child.preferred_language) == (
        "Ada",
        "NM1 2AB",
        "9991111115",
        "pl",
    )
    update = AuditEvent.objects.get(action=Action.UPDATE)
    assert update.changes == {
        "fields": [
            "first_name",
            "interpreter_needed",
            "nhs_number",
            "postcode",
            "preferred_language",
            "sex",
        ]
    }
    assert "Ada" not in str(update.changes)  # names of fields only, never values


def test_bad_input_lists_every_problem_and_saves_nothing(client_for, involved, child):
    before = (child.first_name, child.postcode, child.nhs_number, child.date_of_birth)
    bad = dict(VALID, first_name="", postcode="NOT A POSTCODE", nhs_number="1234567890")
    bad["date_of_birth-month"] = ""

    response = client_for(involved).post(f"/people/{child.pk}/change/", bad)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    from core.forms import error_list

    assert error_list(response.context["form"]) == [
        {"text": "Enter a first name", "href": "#id_first_name"},
        {"text": "Date of birth must include a month", "href": "#id_date_of_birth-day"},
        {"text": "Enter a full UK postcode, like AA1 1AA", "href": "#id_postcode"},
        {
            "text": "NHS number is not valid: check each digit again, it may have been mistyped",
            "href": "#id_nhs_number",
        },
    ]
    child.refresh_from_db()
    assert (child.first_name, child.postcode, child.nhs_number, child.date_of_birth) == before
    assert AuditEvent.objects.filter(action=Action.UPDATE).count() == 0


def test_a_future_birth_date_is_explained(client_for, involved, child):
    next_year = str(timezone.localdate().year + 1)
    future = dict(VALID, **{"date_of_birth-year": next_year})
    response = client_for(involved).post(f"/people/{child.pk}/change/", future)
    assert response.context["form"].errors["date_of_birth"] == [
        "Date of birth must be today or in the past; for an unborn child, give the expected "
        "date of birth instead"
    ]


@pytest.mark.parametrize(
    ("part", "typed", "message"),
    [
        ("year", "1899", "range"),
        ("year", "2099", "range"),
        ("day", "99999999999999999999", "Date of birth must be a real date"),
        ("month", "٣", "Date of birth must be a real date, written in numbers"),
    ],
)
def test_an_impossible_birth_date_is_explained(client_for, involved, child, part, typed, message):
    if message == "range":
        latest = timezone.localdate().year + 1
        message = f"Date of birth must be between 1 January 1900 and 31 December {latest}"
    before = child.date_of_birth
    response = client_for(involved).post(
        f"/people/{child.pk}/change/", dict(VALID, **{f"date_of_birth-{part}": typed})
    )
    assert (response.status_code, response.context["form"].errors["date_of_birth"]) == (
        200,
        [message],
    )
    child.refresh_from_db()
    assert child.date_of_birth == before
