"""Tokens: kept only as a hash, shown once, refused when expired, revoked or
replaced; scopes: allowed and refused per endpoint; another council's client
sees nothing of this one."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from api import clients
from api.models import ApiClient
from tests.factories import DistrictFactory

DIRECTORY = "/api/v1/directory/"
SEND = "/api/v1/police-notifications/"


def test_only_the_hash_of_the_token_is_kept(make_client):
    client, token = make_client()

    stored = ApiClient.objects.get(pk=client.pk)
    assert token.startswith("eh_") and len(token) > 40
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ApiClient.objects.filter(pk=client.pk).values().get())


def test_a_valid_token_is_answered(make_client, call):
    _, token = make_client()

    assert call("get", DIRECTORY, token).status_code == 200


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer eh_not-a-token", "Token abc", "Bearer a b"]
)
def test_no_token_or_a_wrong_one_is_401_with_how_to_authenticate(db, client, header):
    response = client.get(DIRECTORY, HTTP_AUTHORIZATION=header) if header else client.get(DIRECTORY)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused(make_client, call):
    client, token = make_client()
    ApiClient.objects.filter(pk=client.pk).update(
        token_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert call("get", DIRECTORY, token).status_code == 401


def test_a_revoked_token_is_refused(make_client, call):
    client, token = make_client()
    clients.revoke(client)

    assert call("get", DIRECTORY, token).status_code == 401


def test_rotating_gives_a_new_token_and_the_old_one_stops_working(make_client, call):
    client, old = make_client()
    new = clients.rotate(client)

    assert new != old
    assert call("get", DIRECTORY, old).status_code == 401
    assert call("get", DIRECTORY, new).status_code == 200


def test_rotating_a_revoked_client_gives_it_a_working_token_again(make_client, call):
    client, _ = make_client()
    clients.revoke(client)

    assert call("get", DIRECTORY, clients.rotate(client)).status_code == 200


def test_a_staff_session_is_not_a_token(call, eho, client):
    from tests.two_factor import sign_in_verified

    sign_in_verified(client, eho)

    assert call("get", DIRECTORY).status_code == 401


# Scopes, endpoint by endpoint --------------------------------------------------------


@pytest.mark.parametrize(
    "method, path, scope",
    [
        ("get", DIRECTORY, "directory:read"),
        ("get", "/api/v1/cases/", "cases:read"),
        ("post", SEND, "police_notifications:write"),
        ("get", SEND + "1/", "police_notifications:write"),
    ],
)
def test_each_endpoint_needs_its_scope(make_client, call, method, path, scope):
    others = [s for s in clients.Scope.values if s != scope]
    _, without = make_client(others, name="Without")
    _, with_it = make_client([scope], name="With")

    refused = call(method, path, without)
    allowed = call(method, path, with_it)

    assert refused.status_code == 403
    assert scope in refused.json()["detail"]
    assert allowed.status_code not in (401, 403)


def test_another_councils_client_sees_only_its_own_council(la, other_la, make_client, call):
    DistrictFactory(local_authority=la, name="Near District")
    DistrictFactory(local_authority=other_la, name="Far District")
    _, token = make_client(council=other_la, name="Otherton system")

    names = [d["name"] for d in call("get", DIRECTORY, token).json()["results"]]

    assert names == ["Far District"]


def test_unknown_api_paths_answer_a_problem(db, call):
    response = call("get", "/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_reference_page_lists_every_endpoint_for_signed_in_staff(client_for, eho, client):
    assert client.get("/api/v1/reference/").status_code == 302  # to sign in

    page = client_for(eho).get("/api/v1/reference/").content.decode()

    for path in ("/api/v1/directory/", "/api/v1/police-notifications/{id}/"):
        assert path in page
    assert "Send a police notification" in page
    assert "https://" not in page.split("<main")[1]  # nothing fetched from elsewhere


def test_the_openapi_document_is_public_and_describes_bearer_tokens(db, client):
    document = client.get("/api/v1/openapi.json").json()

    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert set(document["paths"]) == {
        "/api/v1/cases/",
        "/api/v1/directory/",
        "/api/v1/police-notifications/",
        "/api/v1/police-notifications/{id}/",
        "/api/v1/requests/",
        "/api/v1/requests/already-known/",
        "/api/v1/matches/",
        "/api/v1/plan-actions/{id}/",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/",
    }
