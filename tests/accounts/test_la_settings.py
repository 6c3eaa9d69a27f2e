import pytest

from audit.models import Action, AuditEvent

VALID = {
    "upper_age": "19",
    "upper_age_send": "25",
    "review_interval_weeks": "6",
    "meeting_name": "cam",
    "step_down_lead_days": "5",
    "front_door_phone": "0300 000 0001",
    "mash_phone": "0300 000 0002",
    "out_of_hours_phone": "",
    "family_languages": ["en", "pl"],
}


def test_la_admin_changes_the_councils_settings(client_for, la_admin, la):
    response = client_for(la_admin).post("/accounts/settings/", VALID)

    assert response.status_code == 302
    la.refresh_from_db()
    assert (
        la.upper_age,
        la.review_interval_weeks,
        la.get_meeting_name_display(),
        la.family_languages,
    ) == (19, 6, "Child Action Meeting", ["en", "pl"])
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert event.changes == {
        "fields": [
            "family_languages",
            "front_door_phone",
            "mash_phone",
            "meeting_name",
            "review_interval_weeks",
            "step_down_lead_days",
            "upper_age",
        ]
    }


def test_out_of_range_settings_are_explained_and_nothing_is_saved(client_for, la_admin, la):
    response = client_for(la_admin).post(
        "/accounts/settings/", dict(VALID, review_interval_weeks="14", upper_age_send="17")
    )
    assert response.context["form"].errors == {
        "review_interval_weeks": ["The review interval must be from 6 to 12 weeks"],
        "upper_age_send": ["The upper age with SEND cannot be below the upper age"],
    }
    la.refresh_from_db()
    assert (la.review_interval_weeks, la.upper_age) == (8, 18)


@pytest.mark.parametrize("persona", ["manager", "eho", "involved"])
def test_only_la_administrators_change_settings(request, client_for, persona):
    assert (
        client_for(request.getfixturevalue(persona)).get("/accounts/settings/").status_code == 403
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01632 960 123", "01632 960 123"),
        ("  01632   960123 ", "01632 960123"),
        ("+44 1632 960 123", "+44 1632 960 123"),
        ("+44 (0)1632 960 123", "+44 (0)1632 960 123"),
        ("0300-000-0002", "0300-000-0002"),
    ],
)
def test_the_mash_phone_number_is_a_council_setting(client_for, la_admin, la, typed, stored):
    response = client_for(la_admin).post("/accounts/settings/", dict(VALID, mash_phone=typed))
    assert response.status_code == 302
    la.refresh_from_db()
    assert la.mash_phone == stored


def test_the_settings_page_says_where_the_mash_number_is_shown(client_for, la_admin):
    html = client_for(la_admin).get("/accounts/settings/").content.decode()
    assert "MASH phone" in html
    assert (
        "The Multi-Agency Safeguarding Hub. Shown on the page for referring to children&#x27;s "
        "social care, and on a request for early help whose needs suggest a child may be at "
        "risk of significant harm."
    ) in html


@pytest.mark.parametrize(
    "typed",
    ["٠١٦٣٢ ٩٦٠ ١٢٣", "<script>alert(1)</script>", "999", "phone the MASH", "01632 960 123 4567"],
)
@pytest.mark.parametrize("field", ["front_door_phone", "mash_phone", "out_of_hours_phone"])
def test_a_phone_number_that_is_not_one_is_explained_and_nothing_is_saved(
    client_for, la_admin, la, field, typed
):
    response = client_for(la_admin).post("/accounts/settings/", dict(VALID, **{field: typed}))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        field: ["Enter a UK phone number, like 01632 960 001 or +44 1632 960 001"]
    }
    la.refresh_from_db()
    assert (la.front_door_phone, la.mash_phone) == ("", "")
