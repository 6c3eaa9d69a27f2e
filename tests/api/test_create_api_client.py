"""`earlyhelp create_api_client`: the token printed once, alone on its last
line, working; and a clear refusal for every bad input."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from api.clients import hash_token
from api.models import ApiClient
from tests.factories import OrganisationFactory


def run(*args):
    out = StringIO()
    call_command("create_api_client", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("reference", ["ods", "urn", "id"])
def test_the_token_is_printed_once_alone_on_the_last_line(la, police_force, call, reference):
    school = OrganisationFactory(local_authority=la, name="Hill School", school_urn="654321")
    org = {"ods": police_force, "urn": school, "id": police_force}[reference]
    given = {"ods": "p99", "urn": "654321", "id": str(police_force.pk)}[reference]

    output = run(
        "Control room",
        "--la",
        la.slug,
        "--organisation",
        given,
        "--scopes",
        "directory:read,police_notifications:write",
    )

    lines = output.strip().splitlines()
    token = lines[-1]
    client = ApiClient.objects.get()
    assert (client.organisation, client.local_authority) == (org, la)
    assert client.scopes == ["directory:read", "police_notifications:write"]
    assert client.token_hash == hash_token(token) and token not in "\n".join(lines[:-1])
    assert " " not in token
    assert call("get", "/api/v1/directory/", token).status_code == 200


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["X", "--la", "nowhere", "--organisation", "P99", "--scopes", "cases:read"],
            "No council with the short name 'nowhere'",
        ),
        (
            ["X", "--la", "testshire", "--organisation", "Z1", "--scopes", "cases:read"],
            "No organisation of Testshire Council has the id, URN or ODS code 'Z1'",
        ),
        (
            ["X", "--la", "testshire", "--organisation", "P99", "--scopes", "cases:write"],
            "Unknown scope cases:write: choose from",
        ),
        (
            ["X", "--la", "testshire", "--organisation", "P99", "--scopes", ","],
            "Name at least one scope",
        ),
        (
            ["  ", "--la", "testshire", "--organisation", "P99", "--scopes", "cases:read"],
            "Give the client a name",
        ),
        (
            [
                "X",
                "--la",
                "testshire",
                "--organisation",
                "P99",
                "--scopes",
                "cases:read",
                "--days",
                "0",
            ],
            "--days must be a whole number from 1 to 3650",
        ),
    ],
)
def test_bad_input_says_what_to_fix(la, police_force, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        run(*args)
    assert not ApiClient.objects.exists()


def test_another_councils_organisation_is_not_found(la, other_la, police_force):
    OrganisationFactory(local_authority=other_la, name="Far Police", ods_code="F11")

    with pytest.raises(CommandError, match="No organisation of Testshire Council"):
        run("X", "--la", la.slug, "--organisation", "F11", "--scopes", "cases:read")


def test_a_name_is_used_once_per_council(la, police_force):
    run("Control room", "--la", la.slug, "--organisation", "P99", "--scopes", "cases:read")

    with pytest.raises(CommandError, match="already has a client called"):
        run("control room", "--la", la.slug, "--organisation", "P99", "--scopes", "cases:read")


def test_rotating_by_command_prints_a_new_working_token(la, police_force, call):
    old = (
        run("Control room", "--la", la.slug, "--organisation", "P99", "--scopes", "directory:read")
        .strip()
        .splitlines()[-1]
    )
    out = StringIO()

    call_command("api_client_token", "control room", "--la", la.slug, "--rotate", stdout=out)

    new = out.getvalue().strip().splitlines()[-1]
    assert call("get", "/api/v1/directory/", old).status_code == 401
    assert call("get", "/api/v1/directory/", new).status_code == 200


def test_revoking_by_command_refuses_the_token(la, police_force, call):
    token = (
        run("Control room", "--la", la.slug, "--organisation", "P99", "--scopes", "directory:read")
        .strip()
        .splitlines()[-1]
    )

    call_command("api_client_token", "Control room", "--la", la.slug, "--revoke", stdout=StringIO())

    assert call("get", "/api/v1/directory/", token).status_code == 401


def test_an_unknown_client_is_named_with_those_known(la, police_force):
    run("Control room", "--la", la.slug, "--organisation", "P99", "--scopes", "directory:read")

    with pytest.raises(CommandError, match="no API client called 'Nobody'. Known: Control room"):
        call_command("api_client_token", "Nobody", "--la", la.slug, "--revoke")
