"""Police notifications by API: recorded through the page's domain function,
routed to the district's Early Help Officer and seen on their worklist; the
sender learns whether it was acknowledged, and sees nothing else."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.models import Action, AuditEvent
from oversight.evaluation import evaluate
from police import services
from police.models import PoliceNotification
from tests.factories import UserFactory

SEND = "/api/v1/police-notifications/"


@pytest.fixture
def districted_school(school, district):
    school.district = district
    school.school_urn = "123456"
    school.save()
    return school


def notification(reference="POL-API-1", **fields):
    return {
        "police_reference": reference,
        "incident_at": (timezone.now() - datetime.timedelta(hours=2)).isoformat(),
        "kind": "domestic_abuse",
        "circumstances": "Officers attended a domestic incident at home.",
        "school_urn": "123456",
        "children": [
            {"first_name": "Ada", "last_name": "Testchild", "date_of_birth": "2016-04-01"}
        ],
        **fields,
    }


def test_sent_by_api_it_reaches_the_district_ehos_queue_and_worklist(
    la, eho, districted_school, make_client, call, client_for
):
    api_client, token = make_client(["police_notifications:write"], name="Force control room")

    response = call("post", SEND, token, notification())

    assert response.status_code == 201, response.content
    sent = PoliceNotification.objects.get(pk=response.json()["id"])
    assert (sent.recorded_via, sent.district.early_help_officer) == ("Force control room", eho)
    eho_pages = client_for(eho)
    assert "POL-API-1" in eho_pages.get("/police/").content.decode()
    # Not acknowledged before the school day: the worklist shows it.
    evaluate(la, timezone.localdate(sent.acknowledge_by) + datetime.timedelta(days=1))
    worklist = eho_pages.get("/worklist/").content.decode()
    assert "Police notification" in worklist and "POL-API-1" in worklist


def test_the_sender_learns_when_it_is_acknowledged(la, eho, districted_school, make_client, call):
    _, token = make_client(["police_notifications:write"])
    sent = call("post", SEND, token, notification()).json()
    path = f"{SEND}{sent['id']}/"

    before = call("get", path, token).json()
    services.acknowledge(eho, PoliceNotification.objects.get(pk=sent["id"]))
    after = call("get", path, token).json()

    assert before["acknowledged"] is False and before["acknowledged_at"] is None
    assert after["acknowledged"] is True and after["acknowledged_at"]
    assert "circumstances" not in after and "children" not in after


def test_a_client_sees_only_the_notifications_it_sent(
    la, manager, districted_school, make_client, call
):
    _, token = make_client(["police_notifications:write"], name="One")
    _, other = make_client(["police_notifications:write"], name="Two")
    by_page = services.record_notification(
        manager,
        la,
        police_reference="POL-PAGE",
        incident_at=timezone.now(),
        kind="other",
        circumstances="x",
        school=None,
        children=[services.ChildNamed("A", "B", None)],
    )
    mine = call("post", SEND, token, notification()).json()["id"]

    assert call("get", f"{SEND}{mine}/", other).status_code == 404
    assert call("get", f"{SEND}{by_page.pk}/", token).status_code == 404


def test_another_councils_client_cannot_read_or_send_for_this_council(
    la, other_la, districted_school, make_client, call
):
    _, token = make_client(["police_notifications:write"])
    _, foreign = make_client(["police_notifications:write"], council=other_la, name="Far")
    mine = call("post", SEND, token, notification()).json()["id"]

    assert call("get", f"{SEND}{mine}/", foreign).status_code == 404
    # Its school URN names no school of its own council.
    refused = call("post", SEND, foreign, notification("POL-FAR"))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "school_urn"
    assert not PoliceNotification.objects.filter(local_authority=other_la).exists()


def test_the_domain_rules_answer_field_by_field(la, districted_school, make_client, call):
    _, token = make_client(["police_notifications:write"])
    call("post", SEND, token, notification())
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()

    again = call("post", SEND, token, notification(incident_at=future))

    fields = {error["field"]: error["detail"] for error in again.json()["errors"]}
    assert again.status_code == 422
    assert "already recorded" in fields["police_reference"]
    assert "future" in fields["incident_at"]


@pytest.mark.parametrize(
    "sent, field",
    [
        ({"children": []}, "children"),
        ({"children": [{"first_name": "A"}]}, "children[0].last_name"),
        ({"kind": "burglary"}, "kind"),
        ({"incident_at": "yesterday"}, "incident_at"),
        ({"police_reference": "POL\x00"}, "police_reference"),
        ({"school_urn": "12"}, "school_urn"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(
    la, districted_school, make_client, call, sent, field
):
    _, token = make_client(["police_notifications:write"])

    response = call("post", SEND, token, notification(**sent))

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "urn:earlyhelp:problem:validation" and body["status"] == 422
    assert field in [error["field"] for error in body["errors"]]
    assert all(error["detail"] for error in body["errors"])


def test_each_call_is_audited_under_the_clients_name(la, districted_school, make_client, call):
    api_client, token = make_client(["police_notifications:write"], name="Force control room")
    sent = call("post", SEND, token, notification()).json()["id"]
    call("get", f"{SEND}{sent}/", token)
    call("get", f"{SEND}999999/", token)

    events = AuditEvent.objects.filter(actor_label="Force control room").order_by("sequence")
    assert [
        (e.action, e.object_id) for e in events if e.object_type == "police.policenotification"
    ] == [
        (Action.CREATE, str(sent)),
        (Action.VIEW, str(sent)),
    ]
    refused = events.get(action=Action.PERMISSION_DENIED)
    assert refused.reason == "API GET /api/v1/police-notifications/<str:id>/"
    assert all(e.actor_id is None and e.local_authority_id == la.pk for e in events)


def test_a_key_adult_sees_the_sent_notification_about_their_pupil(
    la, districted_school, make_client, call, client_for
):
    adult = UserFactory(
        local_authority=la,
        email="dsl@test.example",
        organisation=districted_school,
        roles=[Role.PRACTITIONER],
    )
    districted_school.key_adult = adult
    districted_school.save()
    _, token = make_client(["police_notifications:write"])

    call("post", SEND, token, notification())

    assert "POL-API-1" in client_for(adult).get("/police/").content.decode()
