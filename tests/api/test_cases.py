"""Cases by API: those the client's organisation is involved in, with consent
respected exactly as for its staff; changed since a time; each read audited."""

import datetime

import pytest
from django.utils import timezone

from audit.models import Action, AuditEvent
from consent.models import Consent
from tests.factories import EpisodeFactory, OrganisationFactory
from tests.journey_factories import share_with

CASES = "/api/v1/cases/"


@pytest.fixture
def shared_case(episode, school, manager):
    """A case the school asked for, and a family member's consent to share with it."""
    episode.requesting_organisation = school
    episode.save()
    share_with(episode, school, manager)
    return episode


def listed(call, token, query=""):
    response = call("get", CASES + query, token)
    assert response.status_code == 200, response.content
    return [case["reference"] for case in response.json()["results"]]


def test_the_organisations_cases_are_listed_while_consent_stands(
    la, school, shared_case, make_client, call
):
    _, token = make_client(["cases:read"], organisation=school)

    assert listed(call, token) == [shared_case.reference]

    Consent.objects.filter(episode=shared_case).update(withdrawn_at=timezone.now())
    assert listed(call, token) == []


def test_what_a_case_says(la, school, shared_case, make_client, call):
    _, token = make_client(["cases:read"], organisation=school)

    (case,) = call("get", CASES, token).json()["results"]

    assert case["id"] == shared_case.pk and case["status"] == shared_case.status
    assert case["status_label"] and case["updated_at"]
    assert set(case) == {
        "id", "reference", "status", "status_label", "next_step",
        "lead_professional", "requested_at", "updated_at", "plan_actions",
    }  # fmt: skip


def test_another_organisation_or_council_sees_none_of_them(
    la, other_la, shared_case, make_client, call
):
    _, colleague = make_client(
        ["cases:read"], organisation=OrganisationFactory(local_authority=la), name="Other org"
    )
    _, foreign = make_client(["cases:read"], council=other_la, name="Far")

    assert listed(call, colleague) == []
    assert listed(call, foreign) == []


def test_without_the_scope_it_is_refused(la, school, shared_case, make_client, call):
    _, token = make_client(["directory:read"], organisation=school)

    assert call("get", CASES, token).status_code == 403


def test_updated_since_keeps_the_cases_changed_since(la, school, shared_case, make_client, call):
    _, token = make_client(["cases:read"], organisation=school)
    from audit.services import record

    record(Action.UPDATE, obj=shared_case, local_authority=la)
    later = (timezone.now() + datetime.timedelta(minutes=5)).isoformat()
    earlier = (timezone.now() - datetime.timedelta(minutes=5)).isoformat()

    assert listed(call, token, f"?updated_since={earlier.replace('+', '%2B')}") == [
        shared_case.reference
    ]
    assert listed(call, token, f"?updated_since={later.replace('+', '%2B')}") == []


@pytest.mark.parametrize(
    "since", ["yesterday", "2026-03-06T19:00:00", "0001-01-01T00:00:00%2B05:00"]
)
def test_a_wrong_updated_since_says_how_to_write_it(la, school, make_client, call, since):
    _, token = make_client(["cases:read"], organisation=school)

    response = call("get", f"{CASES}?updated_since={since}", token)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "updated_since"


def test_each_case_read_is_audited_under_the_clients_name(
    la, school, shared_case, make_client, call
):
    _, token = make_client(["cases:read"], organisation=school, name="School MIS")

    call("get", CASES, token)

    event = AuditEvent.objects.get(actor_label="School MIS", action=Action.VIEW)
    assert (event.object_id, event.episode_id) == (str(shared_case.pk), shared_case.pk)


def test_a_case_not_shared_with_the_organisation_is_not_listed(la, school, make_client, call):
    EpisodeFactory(local_authority=la, requesting_organisation=school)
    _, token = make_client(["cases:read"], organisation=school)

    assert listed(call, token) == []
