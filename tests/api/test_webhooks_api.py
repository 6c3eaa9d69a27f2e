"""Webhook subscriptions by API (scope webhooks:manage): subscribe, list,
remove; the secret is in the answer to the subscription only."""

from audit.models import AuditEvent
from webhooks.models import Subscription

WEBHOOKS = "/api/v1/webhooks/"


def test_a_client_subscribes_lists_and_removes(la, make_client, call):
    client, token = make_client(["webhooks:manage", "cases:read"])

    made = call(
        "post",
        WEBHOOKS,
        token,
        {"url": "https://partner.example/hooks", "events": ["case.closed", "review.due"]},
    )
    assert made.status_code == 201, made.content
    answer = made.json()
    assert answer["secret"].startswith("whsec_")
    assert answer["events"] == ["case.closed", "review.due"]
    assert Subscription.objects.get().secret == answer["secret"]
    assert AuditEvent.objects.filter(actor_label=client.name, object_id=str(answer["id"])).exists()

    listed = call("get", WEBHOOKS, token).json()["results"]
    assert [each["id"] for each in listed] == [answer["id"]]
    assert "secret" not in listed[0]

    assert call("delete", f"{WEBHOOKS}{answer['id']}/", token).status_code == 204
    assert call("get", WEBHOOKS, token).json()["results"] == []
    assert call("delete", f"{WEBHOOKS}{answer['id']}/", token).status_code == 404


def test_a_bad_address_or_event_is_refused_field_by_field(la, make_client, call):
    _, token = make_client(["webhooks:manage"])

    response = call(
        "post", WEBHOOKS, token, {"url": "http://192.168.1.5/hooks", "events": ["case.opened"]}
    )

    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert "events[0]" in fields or "events" in fields
    response = call(
        "post", WEBHOOKS, token, {"url": "http://192.168.1.5/", "events": ["case.closed"]}
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["url"]
    assert not Subscription.objects.exists()


def test_without_the_scope_or_for_another_client_it_is_refused(la, make_client, call):
    _, reader = make_client(["cases:read"], name="Reader")
    owner, owner_token = make_client(["webhooks:manage"], name="Owner")
    _, other_token = make_client(["webhooks:manage"], name="Other")
    made = call(
        "post",
        WEBHOOKS,
        owner_token,
        {"url": "https://partner.example/", "events": ["case.closed"]},
    ).json()

    assert call("get", WEBHOOKS, reader).status_code == 403
    assert call("get", WEBHOOKS, other_token).json()["results"] == []
    assert call("delete", f"{WEBHOOKS}{made['id']}/", other_token).status_code == 404
    assert Subscription.objects.get().removed_at is None
