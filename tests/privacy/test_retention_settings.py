import pytest

from audit.models import Action, AuditEvent
from privacy import retention
from privacy.models import RetentionRule

URL = "/privacy/retention/"
VALID = {"kind": "years_after_closure", "age": "25", "years": "10", "action": "delete"}


@pytest.mark.parametrize("persona", ["la_admin", "manager"])
def test_the_administrator_and_managers_change_the_rule(request, client_for, la, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(URL).status_code == 200

    response = client.post(URL, VALID)

    assert (response.status_code, response["Location"]) == (302, URL)
    rule = RetentionRule.objects.get(local_authority=la)
    assert (rule.kind, rule.years, rule.action, rule.updated_by) == (
        "years_after_closure",
        10,
        "delete",
        user,
    )
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="privacy.retentionrule")
    assert (event.actor, event.changes) == (user, {"fields": ["action", "kind", "years"]})


@pytest.mark.parametrize("persona", ["eho", "involved", "other_org"])
def test_no_one_else_may(request, client_for, la, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, VALID).status_code == 403
    assert retention.rule_for(la).action == "anonymise"


def test_a_manager_changes_only_their_own_councils_rule(client_for, la, other_la_manager):
    client_for(other_la_manager).post(URL, VALID)
    assert retention.rule_for(la).action == "anonymise"
    assert retention.rule_for(other_la_manager.local_authority).action == "delete"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("age", "17", "Enter an age from 18 to 30, like 25"),
        ("age", "31", "Enter an age from 18 to 30, like 25"),
        ("age", "", "Enter an age from 18 to 30, like 25"),
        ("age", "twenty", "The age must be a whole number, like 25"),
        ("years", "0", "Enter a number of years from 1 to 50, like 7"),
        ("years", "51", "Enter a number of years from 1 to 50, like 7"),
        ("kind", "", "Choose when a family&#x27;s records are due"),
        ("action", "", "Choose whether to anonymise or delete records that are due"),
    ],
)
def test_mistakes_say_what_is_wrong_and_how_to_fix_it(
    client_for, la, la_admin, field, value, message
):
    response = client_for(la_admin).post(URL, {**VALID, field: value})

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{field}"' in page
    assert message in page
    assert retention.rule_for(la).action == "anonymise"


def test_the_council_settings_page_links_to_it(client_for, la_admin):
    assert URL in client_for(la_admin).get("/accounts/settings/").content.decode()
