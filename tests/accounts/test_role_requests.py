"""An LA administrator cannot give themselves, or another administrator, a role
that sees cases: it waits until a second LA administrator of the council
approves it."""

import pytest
from django.core import mail

from accounts.models import Role, RoleRequest, User
from audit.models import Action, AuditEvent
from core import policy
from core.forms import error_list
from tests.factories import UserFactory

REQUESTS = "/accounts/users/role-requests/"


def edit(client, user, school, roles):
    return client.post(
        f"/accounts/users/{user.pk}/",
        {
            "full_name": user.full_name,
            "job_title": "",
            "organisations": [school.pk],
            "roles": roles,
        },
    )


def pending():
    return list(
        RoleRequest.objects.filter(status="pending").values_list(
            "user__email", "role", "requested_by__email"
        )
    )


def test_an_administrator_giving_themselves_a_case_role_waits_for_a_second(
    client_for, la_admin, la_admin_too, school, episode, django_capture_on_commit_callbacks
):
    client = client_for(la_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(client, la_admin, school, [Role.LA_ADMIN, Role.EARLY_HELP_MANAGER])

    assert response.status_code == 302
    la_admin.refresh_from_db()
    fresh = User.objects.get(pk=la_admin.pk)
    assert fresh.role_set == frozenset({Role.LA_ADMIN})
    assert list(policy.episodes_visible_to(fresh)) == []  # not effective yet
    assert pending() == [("admin@test.example", "manager", "admin@test.example")]
    banner = client.get("/accounts/users/").content.decode()
    assert "Early help manager: another LA administrator of the council must approve" in banner
    assert "1 role change waits for approval" in banner
    [email] = mail.outbox
    assert (email.to, email.subject) == (
        ["admin2@test.example"],
        "Early Help: a role that sees cases waits for your approval",
    )
    event = AuditEvent.objects.get(object_type="accounts.rolerequest")
    assert (event.action, event.actor_id, event.reason, event.changes) == (
        Action.CREATE,
        la_admin.pk,
        "waiting for a second administrator",
        {"fields": ["user", "role"], "role": "manager"},
    )


def test_the_one_who_asked_cannot_approve_and_a_second_administrator_can(
    client_for, la_admin, la_admin_too, school, episode
):
    edit(client_for(la_admin), la_admin, school, [Role.LA_ADMIN, Role.EARLY_HELP_MANAGER])
    role_request = RoleRequest.objects.get()

    page = client_for(la_admin).get(REQUESTS).content.decode()
    assert "Another administrator must decide" in page
    own = client_for(la_admin).post(REQUESTS, {"request": role_request.pk, "decision": "approve"})
    assert own.status_code == 404
    assert User.objects.get(pk=la_admin.pk).role_set == frozenset({Role.LA_ADMIN})

    second = client_for(la_admin_too)
    assert "Approve Early help manager for" in second.get(REQUESTS).content.decode()
    response = second.post(REQUESTS, {"request": role_request.pk, "decision": "approve"})

    assert response["Location"] == REQUESTS
    approved = User.objects.get(pk=la_admin.pk)
    assert approved.role_set == frozenset({Role.LA_ADMIN, Role.EARLY_HELP_MANAGER})
    assert list(policy.episodes_visible_to(approved)) == [episode]
    role_request.refresh_from_db()
    assert (role_request.status, role_request.decided_by) == ("approved", la_admin_too)
    granted = AuditEvent.objects.filter(object_type="accounts.user").last()
    assert (granted.actor_id, granted.object_id, granted.changes, granted.reason) == (
        la_admin_too.pk,
        str(la_admin.pk),
        {"fields": ["roles"], "roles_added": ["manager"], "roles_removed": []},
        "approved by a second administrator",
    )


def test_a_second_administrator_can_reject(client_for, la_admin, la_admin_too, school):
    edit(client_for(la_admin), la_admin_too, school, [Role.LA_ADMIN, Role.PRACTITIONER])
    assert pending() == [("admin2@test.example", "practitioner", "admin@test.example")]
    role_request = RoleRequest.objects.get()
    # The one who would get the role cannot decide either.
    assert (
        client_for(la_admin_too)
        .post(REQUESTS, {"request": role_request.pk, "decision": "approve"})
        .status_code
        == 404
    )
    third = UserFactory(local_authority=la_admin.local_authority, roles=[Role.LA_ADMIN])

    client_for(third).post(REQUESTS, {"request": role_request.pk, "decision": "reject"})

    role_request.refresh_from_db()
    assert (role_request.status, role_request.decided_by) == ("rejected", third)
    assert User.objects.get(pk=la_admin_too.pk).role_set == frozenset({Role.LA_ADMIN})
    event = AuditEvent.objects.filter(object_type="accounts.rolerequest").last()
    assert (event.action, event.actor_id, event.changes, event.reason) == (
        Action.UPDATE,
        third.pk,
        {"fields": ["status"], "status": "rejected"},
        "rejected",
    )


def test_other_roles_and_other_staff_change_at_once(client_for, la_admin, involved, school):
    edit(client_for(la_admin), involved, school, [Role.PRACTITIONER, Role.EARLY_HELP_MANAGER])

    assert User.objects.get(pk=involved.pk).role_set == frozenset(
        {Role.PRACTITIONER, Role.EARLY_HELP_MANAGER}
    )
    assert pending() == []


def test_inviting_an_administrator_with_a_case_role_waits_for_a_second(
    client_for, la_admin, la_admin_too, school
):
    client_for(la_admin).post(
        "/accounts/users/invite/",
        {
            "email": "new.admin@test.example",
            "full_name": "New Admin",
            "job_title": "",
            "organisations": [school.pk],
            "roles": [Role.LA_ADMIN, Role.EARLY_HELP_OFFICER],
        },
    )

    assert User.objects.get(email="new.admin@test.example").role_set == frozenset({Role.LA_ADMIN})
    assert pending() == [("new.admin@test.example", "eho", "admin@test.example")]


@pytest.mark.parametrize("persona", ["manager", "other_la_admin"])
def test_only_the_councils_administrators_see_or_decide_its_requests(
    request, client_for, la_admin, la_admin_too, school, other_la, persona
):
    edit(client_for(la_admin), la_admin, school, [Role.LA_ADMIN, Role.EARLY_HELP_MANAGER])
    role_request = RoleRequest.objects.get()
    if persona == "other_la_admin":
        user = UserFactory(local_authority=other_la, roles=[Role.LA_ADMIN])
        expected = (200, 404)
    else:
        user = request.getfixturevalue(persona)
        expected = (403, 403)
    client = client_for(user)

    answers = (
        client.get(REQUESTS).status_code,
        client.post(REQUESTS, {"request": role_request.pk, "decision": "approve"}).status_code,
    )

    assert answers == expected
    assert pending() == [("admin@test.example", "manager", "admin@test.example")]


def test_making_someone_who_sees_cases_an_administrator_waits_for_a_second(
    client_for, la_admin, la_admin_too, manager, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        edit(client_for(la_admin), manager, school, [Role.EARLY_HELP_MANAGER, Role.LA_ADMIN])

    assert User.objects.get(pk=manager.pk).role_set == frozenset({Role.EARLY_HELP_MANAGER})
    assert pending() == [("manager@test.example", "la_admin", "admin@test.example")]
    [email] = mail.outbox
    assert email.body == (
        f"{la_admin.full_name} asks for {manager.full_name} (manager@test.example) to have "
        f"these roles: Local authority administrator. With them, {manager.full_name} would be "
        "an administrator who sees cases, so another LA administrator must approve or reject "
        "this in Early Help, under Users, Role changes to approve.\n"
    )


def test_an_administrator_who_gives_up_administration_may_be_given_a_case_role(
    client_for, la_admin, la_admin_too, school
):
    edit(client_for(la_admin), la_admin_too, school, [Role.PRACTITIONER])

    assert User.objects.get(pk=la_admin_too.pk).role_set == frozenset({Role.PRACTITIONER})
    assert pending() == []


def test_a_refused_approval_is_shown_in_the_error_summary(
    client_for, la_admin, la_admin_too, school
):
    edit(client_for(la_admin), la_admin, school, [Role.LA_ADMIN, Role.EARLY_HELP_MANAGER])
    role_request = RoleRequest.objects.get()
    User.objects.filter(pk=la_admin.pk).update(is_active=False)

    response = client_for(la_admin_too).post(
        REQUESTS, {"request": role_request.pk, "decision": "approve"}
    )

    assert response.status_code == 200
    assert error_list(response.context["form"]) == [
        {
            "text": "This account has been deactivated: the role cannot be given",
            "href": "#main-content",
        }
    ]
    page = response.content.decode()
    assert ("<title>Error: " in page, "govuk-error-summary" in page) == (True, True)
    role_request.refresh_from_db()
    assert role_request.status == "pending"
