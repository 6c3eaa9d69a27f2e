"""Asking for early help by API: "already known?" answered as the pages
answer it, the request through the pages' domain function as the client's
organisation (no person), once per Idempotency-Key."""

import datetime

import pytest

from audit.models import Action, AuditEvent
from episodes.models import Episode
from notifications.models import Notification
from people.models import FamilyMember, Person, Relationship
from tests.factories import DistrictFactory, PersonFactory
from tests.journey_factories import add_member, share_with

REQUESTS = "/api/v1/requests/"
KNOWN = "/api/v1/requests/already-known/"


def request_body(district, **changes):
    body = {
        "district_id": district.pk,
        "source": "professional",
        "family_name": "Apitest family",
        "worries": "Attendance has fallen since the autumn.",
        "needs": ["attendance"],
        "people": [
            {
                "relationship": "child",
                "first_name": "Robin",
                "last_name": "Apitest",
                "date_of_birth": "2016-03-04",
                "sex": "1",
            },
            {"relationship": "parent", "first_name": "Jo", "last_name": "Apitest"},
        ],
    }
    body.update(changes)
    return body


@pytest.fixture
def token(make_client, school):
    _, token = make_client(["requests:write"], organisation=school, name="School MIS")
    return token


def test_a_request_is_made_as_the_organisation_and_the_eho_is_told(
    la, school, district, eho, token, call
):
    response = call("post", REQUESTS, token, request_body(district))

    assert response.status_code == 201, response.content
    answer = response.json()
    episode = Episode.objects.get(pk=answer["id"])
    assert (episode.requested_by, episode.requested_via) == (None, "School MIS")
    assert episode.requesting_organisation == school and episode.district == district
    assert answer["reference"] == episode.reference
    assert answer["early_help_officer"] == eho.full_name
    assert sorted(
        FamilyMember.objects.filter(family=episode.family).values_list("relationship", flat=True)
    ) == ["child", "parent"]
    assert Notification.objects.filter(user=eho, episode=episode).exists()
    event = AuditEvent.objects.get(object_type="episodes.episode", action=Action.CREATE)
    assert (event.actor_id, event.actor_label) == (None, "School MIS")
    assert "Attendance" not in str(event.changes)


def test_the_same_idempotency_key_creates_nothing_twice(la, district, token, call):
    body = request_body(district)

    first = call("post", REQUESTS, token, body, HTTP_IDEMPOTENCY_KEY="req-1")
    again = call("post", REQUESTS, token, body, HTTP_IDEMPOTENCY_KEY="req-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Episode.objects.filter(requested_via="School MIS").count() == 1
    other = call("post", REQUESTS, token, dict(body, worries="Else"), HTTP_IDEMPOTENCY_KEY="req-1")
    assert other.status_code == 422


def test_a_likely_match_the_client_may_not_see_says_only_whom_to_contact(
    la, district, eho, episode, token, call
):
    hidden = add_member(
        episode, Relationship.CHILD, first_name="Robin", last_name="Apitest",
        date_of_birth=datetime.date(2016, 3, 4),
    )  # fmt: skip

    known = call("post", KNOWN, token, {"first_name": "Robin", "last_name": "Apitest",
                                        "date_of_birth": "2016-03-04"})  # fmt: skip

    assert known.status_code == 200, known.content
    (match,) = known.json()["matches"]
    assert match["person"] is None and match["likely"]
    assert eho.full_name in match["contact"] and match["reason"] == ""
    assert '"id"' not in known.content.decode() and hidden.last_name not in match["contact"]
    # The request answers the same, for each new person, in order.
    made = call("post", REQUESTS, token, request_body(district)).json()
    assert made["already_known"][0][0]["person"] is None
    assert eho.full_name in made["already_known"][0][0]["contact"]
    assert made["already_known"][1] == []


def test_someone_the_organisation_may_see_is_found_and_named_again(
    la, district, episode, school, manager, token, call
):
    episode.requesting_organisation = school
    episode.save()
    child = add_member(episode, Relationship.CHILD, first_name="Robin", last_name="Apitest",
                       date_of_birth=datetime.date(2016, 3, 4))  # fmt: skip
    share_with(episode, school, manager)

    typed = {"last_name": "Apitest", "first_name": "Robin", "date_of_birth": "2016-03-04"}
    (match,) = call("post", KNOWN, token, typed).json()["matches"]

    assert match["person"]["id"] == child.pk
    body = request_body(district)
    body["people"][0] = {"relationship": "child", "person_id": child.pk}
    made = call("post", REQUESTS, token, body)
    assert made.status_code == 201, made.content
    assert Person.objects.filter(first_name="Robin", last_name="Apitest").count() == 1


def test_someone_the_client_may_not_see_cannot_be_named_by_id(la, district, token, call):
    stranger = PersonFactory(local_authority=la)
    body = request_body(district)
    body["people"][0] = {"relationship": "child", "person_id": stranger.pk}

    response = call("post", REQUESTS, token, body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "people[0].person_id"
    assert not Episode.objects.filter(requested_via="School MIS").exists()


def test_another_councils_district_or_a_step_down_is_refused_with_the_field(
    la, other_la, district, token, call
):
    far = DistrictFactory(local_authority=other_la)

    wrong_district = call("post", REQUESTS, token, request_body(far))
    step_down = call("post", REQUESTS, token, request_body(district, source="step_down"))

    assert wrong_district.status_code == step_down.status_code == 422
    assert wrong_district.json()["errors"][0]["field"] == "district_id"
    assert step_down.json()["errors"][0]["field"] == "source"
    assert not Episode.objects.filter(requested_via="School MIS").exists()


def test_the_domain_refuses_a_request_without_a_child(la, district, token, call):
    body = request_body(district)
    body["people"] = body["people"][1:]

    response = call("post", REQUESTS, token, body)

    assert response.status_code == 422
    assert "child" in response.json()["errors"][0]["detail"]


def test_without_the_scope_both_are_refused(la, district, make_client, call):
    _, token = make_client(["cases:read"])

    assert call("post", REQUESTS, token, request_body(district)).status_code == 403
    assert call("post", KNOWN, token, {"last_name": "A", "first_name": "B"}).status_code == 403


def test_the_case_page_says_which_system_asked(la, district, eho, token, call, client_for):
    made = call("post", REQUESTS, token, request_body(district)).json()

    page = client_for(eho).get(f"/cases/{made['id']}/")

    assert page.status_code == 200
    assert "School MIS" in page.content.decode()
