"""What every endpoint does alike: problem details, idempotency keys, the
rate limit, cursor pagination, and no server error for hostile input."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from api.models import IdempotencyKey
from police.models import PoliceNotification
from tests.factories import DistrictFactory

SEND = "/api/v1/police-notifications/"
DIRECTORY = "/api/v1/directory/"


def body(reference="POL-IDEM-1"):
    return {
        "police_reference": reference,
        "incident_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "kind": "other",
        "circumstances": "A child was reported missing and found.",
        "children": [{"first_name": "Bo", "last_name": "Testchild"}],
    }


# Idempotency keys -----------------------------------------------------------------


def test_a_retried_post_with_its_key_creates_nothing_twice(la, make_client, call):
    _, token = make_client()
    sent = body()

    first = call("post", SEND, token, sent, HTTP_IDEMPOTENCY_KEY="key-1")
    again = call("post", SEND, token, sent, HTTP_IDEMPOTENCY_KEY="key-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert PoliceNotification.objects.count() == 1


def test_every_post_takes_an_idempotency_key(client):
    document = client.get("/api/v1/openapi.json").json()
    posts = {
        path: operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method == "post"
    }
    assert posts  # the check can fail
    for path, operation in posts.items():
        names = {parameter["name"] for parameter in operation.get("parameters", [])}
        assert "Idempotency-Key" in names, path


@pytest.mark.parametrize(
    "path, sent",
    [
        ("/api/v1/matches/", {"people": [{"query_id": "q1", "first_name": "Ada"}]}),
        (
            "/api/v1/requests/already-known/",
            {"first_name": "Ada", "last_name": "Keyfield", "date_of_birth": "2015-03-04"},
        ),
    ],
)
def test_a_search_retried_with_its_key_gets_the_first_answer(la, make_client, call, path, sent):
    _, token = make_client()

    first = call("post", path, token, sent, HTTP_IDEMPOTENCY_KEY="search-1")
    again = call("post", path, token, sent, HTTP_IDEMPOTENCY_KEY="search-1")
    other = call("post", path, token, {**sent, "extra": 1}, HTTP_IDEMPOTENCY_KEY="search-1")

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert other.status_code == 422


def test_the_same_key_with_another_body_is_refused(la, make_client, call):
    _, token = make_client()
    call("post", SEND, token, body(), HTTP_IDEMPOTENCY_KEY="key-1")

    response = call("post", SEND, token, body("POL-IDEM-2"), HTTP_IDEMPOTENCY_KEY="key-1")

    assert response.status_code == 422
    assert response.json()["type"] == "urn:earlyhelp:problem:idempotency-key-reused"
    assert PoliceNotification.objects.count() == 1


def test_a_refused_request_is_not_remembered_so_it_can_be_corrected(la, make_client, call):
    _, token = make_client()
    wrong = {**body(), "kind": "unknown"}

    assert call("post", SEND, token, wrong, HTTP_IDEMPOTENCY_KEY="key-1").status_code == 422
    assert call("post", SEND, token, body(), HTTP_IDEMPOTENCY_KEY="key-1").status_code == 201
    assert IdempotencyKey.objects.get().status_code == 201


def test_keys_are_each_clients_own(la, make_client, call):
    _, one = make_client(name="One")
    _, two = make_client(name="Two")
    call("post", SEND, one, body(), HTTP_IDEMPOTENCY_KEY="shared")

    other = call("post", SEND, two, body("POL-IDEM-2"), HTTP_IDEMPOTENCY_KEY="shared")

    assert other.status_code == 201
    assert PoliceNotification.objects.count() == 2


@pytest.mark.parametrize("key", ["has space", "x" * 101, "ümlaut"])
def test_a_malformed_key_is_a_problem(la, make_client, call, key):
    _, token = make_client()

    response = call("post", SEND, token, body(), HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not PoliceNotification.objects.exists()


# The rate limit ---------------------------------------------------------------------


@override_settings(API_REQUESTS_PER_MINUTE=3)
def test_too_many_calls_are_429_with_retry_after(make_client, call):
    _, token = make_client(name="Busy")
    _, other = make_client(name="Quiet")

    answers = [call("get", DIRECTORY, token).status_code for _ in range(4)]
    limited = call("get", DIRECTORY, token)

    assert answers == [200, 200, 200, 429]
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["status"] == 429
    assert call("get", DIRECTORY, other).status_code == 200  # counted per client


# Problem details and hostile input --------------------------------------------------


def test_a_body_that_is_not_json_is_a_problem(make_client, client):
    _, token = make_client()

    response = client.post(
        SEND, "{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    assert response.status_code == 400
    assert set(response.json()) >= {"type", "title", "status", "detail"}


def test_a_body_in_another_format_is_415(make_client, client):
    _, token = make_client()

    response = client.post(SEND, {"a": "b"}, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path",
    [
        SEND + "99999999999999999999999/",
        SEND + "-1/",
        SEND + "%00/",
        SEND + "1e9/",
        DIRECTORY + "?cursor=%00",
        DIRECTORY + "?cursor=bm90IGEgY3Vyc29y",
        DIRECTORY + "?page_size=99999999999999999999&page_size=1",
    ],
)
def test_hostile_input_is_never_a_server_error(make_client, call, path):
    _, token = make_client()

    response = call("get", path, token)

    assert response.status_code in (200, 404)
    assert response.json()["status" if response.status_code == 404 else "results"] is not None


def test_a_null_byte_or_huge_number_in_the_body_is_refused_not_a_server_error(
    la, make_client, call
):
    _, token = make_client()
    hostile = {**body(), "children": [{"first_name": "\x00", "last_name": 10**400}]}

    response = call("post", SEND, token, hostile)

    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"children[0].first_name"}


# Cursor pagination -----------------------------------------------------------------


def test_the_directory_is_paged_by_cursor(la, make_client, call):
    for number in range(3):
        DistrictFactory(local_authority=la, name=f"District {number}")
    _, token = make_client()

    first = call("get", DIRECTORY + "?page_size=2", token).json()
    second = call("get", first["next"], token).json()

    assert len(first["results"]) == 2 and len(second["results"]) == 1
    assert second["next"] is None
    seen = [d["name"] for d in first["results"] + second["results"]]
    assert sorted(seen) == ["District 0", "District 1", "District 2"]
    assert first["advice"]["council"] == la.name


def test_a_body_nested_too_deeply_is_a_problem_not_a_server_error(make_client, client):
    _, token = make_client()

    response = client.post(
        SEND,
        "[" * 100_000 + "]" * 100_000,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("token", [None, "eh_wrong"])
def test_asking_for_something_other_than_json_is_406_whatever_the_token(db, call, token):
    response = call("get", DIRECTORY, token, HTTP_ACCEPT="text/html")

    assert response.status_code == 406


def test_a_replayed_post_is_audited_as_a_view_not_a_second_creation(la, make_client, call):
    from audit.models import Action, AuditEvent

    api_client, token = make_client(name="Retrying system")
    sent = body()
    call("post", SEND, token, sent, HTTP_IDEMPOTENCY_KEY="key-1")
    call("post", SEND, token, sent, HTTP_IDEMPOTENCY_KEY="key-1")

    actions = list(
        AuditEvent.objects.filter(actor_label="Retrying system")
        .exclude(object_type="api.apiclient")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [Action.CREATE, Action.VIEW]
