"""Plan actions by API: the organisation's own actions of the current plan
listed with its cases, and their progress recorded through the plan's domain
function with the pages' optimistic locking (ETag / If-Match: 412 when
stale, 428 when missing)."""

import pytest
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from consent.models import Consent
from plans.models import Action
from plans.services import update_action_status
from tests.factories import OrganisationFactory
from tests.journey_factories import plan_actions, share_with

CASES = "/api/v1/cases/"


def action_path(action):
    return f"/api/v1/plan-actions/{action.pk}/"


@pytest.fixture
def shared_plan(planned, school, manager):
    share_with(planned.episode, school, manager)
    return planned


@pytest.fixture
def school_token(make_client, school):
    _, token = make_client(["cases:read", "plan_actions:write"], organisation=school, name="MIS")
    return token


def test_the_cases_answer_lists_the_current_plans_actions_for_the_organisation(
    shared_plan, school_token, call, la
):
    other = OrganisationFactory(local_authority=la, name="Testshire Clinic")
    theirs = plan_actions(shared_plan)[0]
    Action.objects.filter(pk=theirs.pk).update(organisation=other)

    (case,) = call("get", CASES, school_token).json()["results"]

    ours = plan_actions(shared_plan)[1]
    assert [a["id"] for a in case["plan_actions"]] == [ours.pk]
    assert case["plan_actions"][0]["etag"] == f'"plan-{shared_plan.pk}-1"'
    assert case["plan_actions"][0]["status"] == "not_started"


def test_get_gives_the_etag_and_patch_with_it_records_progress(shared_plan, school_token, call):
    action = plan_actions(shared_plan)[0]
    read = call("get", action_path(action), school_token)
    assert read.status_code == 200
    tag = read["ETag"]

    response = call(
        "patch", action_path(action), school_token, {"status": "in_progress"}, HTTP_IF_MATCH=tag
    )

    assert response.status_code == 200, response.content
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert response["ETag"] == f'"plan-{shared_plan.pk}-2"' != tag
    event = AuditEvent.objects.get(object_type="plans.action", action=AuditAction.UPDATE)
    assert (event.actor_id, event.actor_label) == (None, "MIS")


def test_put_needs_the_whole_progress_and_a_reason_when_not_done(shared_plan, school_token, call):
    action = plan_actions(shared_plan)[0]
    tag = f'"plan-{shared_plan.pk}-1"'

    missing = call("put", action_path(action), school_token, {}, HTTP_IF_MATCH=tag)
    no_reason = call(
        "put", action_path(action), school_token, {"status": "not_done"}, HTTP_IF_MATCH=tag
    )

    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "status"
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "not_done_reason"


def test_a_stale_etag_is_refused_with_412_and_nothing_is_overwritten(
    shared_plan, school_token, call, involved
):
    first, second = plan_actions(shared_plan)
    stale = call("get", action_path(first), school_token)["ETag"]
    # Someone records progress on the page meanwhile.
    update_action_status(involved, second, status="done", edit_version=1)

    response = call(
        "patch", action_path(first), school_token, {"status": "done"}, HTTP_IF_MATCH=stale
    )

    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    assert response["ETag"] == f'"plan-{shared_plan.pk}-2"'
    first.refresh_from_db()
    assert first.status == "not_started"


@pytest.mark.parametrize("tag", ["*", 'W/"plan-1-1"', "plan-1-1", '"plan-999999-1"'])
def test_an_etag_not_of_this_plan_is_stale(shared_plan, school_token, call, tag):
    action = plan_actions(shared_plan)[0]

    response = call(
        "patch", action_path(action), school_token, {"status": "done"}, HTTP_IF_MATCH=tag
    )

    assert response.status_code == 412
    action.refresh_from_db()
    assert action.status == "not_started"


def test_without_if_match_it_is_refused_with_428(shared_plan, school_token, call):
    action = plan_actions(shared_plan)[0]

    response = call("patch", action_path(action), school_token, {"status": "done"})

    assert response.status_code == 428
    assert response.json()["type"] == "urn:earlyhelp:problem:if-match-required"
    action.refresh_from_db()
    assert action.status == "not_started"


def test_another_organisations_action_is_not_found(shared_plan, la, make_client, call):
    _, token = make_client(
        ["cases:read", "plan_actions:write"], organisation=OrganisationFactory(local_authority=la)
    )
    action = plan_actions(shared_plan)[0]

    assert call("get", action_path(action), token).status_code == 404
    tag = f'"plan-{shared_plan.pk}-1"'
    patched = call("patch", action_path(action), token, {"status": "done"}, HTTP_IF_MATCH=tag)
    assert patched.status_code == 404


def test_withdrawn_consent_ends_it_at_once(shared_plan, school_token, call):
    action = plan_actions(shared_plan)[0]
    Consent.objects.filter(episode=shared_plan.episode).update(withdrawn_at=timezone.now())

    assert call("get", action_path(action), school_token).status_code == 404
    (tag,) = [f'"plan-{shared_plan.pk}-1"']
    patched = call(
        "patch", action_path(action), school_token, {"status": "done"}, HTTP_IF_MATCH=tag
    )
    assert patched.status_code == 404
    action.refresh_from_db()
    assert action.status == "not_started"


def test_the_same_progress_again_changes_nothing_and_is_audited_as_a_read(
    shared_plan, school_token, call
):
    action = plan_actions(shared_plan)[0]
    tag = f'"plan-{shared_plan.pk}-1"'

    response = call(
        "patch", action_path(action), school_token, {"status": "not_started"}, HTTP_IF_MATCH=tag
    )

    assert response.status_code == 200 and response["ETag"] == tag
    assert AuditEvent.objects.filter(actor_label="MIS", action=AuditAction.VIEW).exists()
    assert not AuditEvent.objects.filter(actor_label="MIS", action=AuditAction.UPDATE).exists()
