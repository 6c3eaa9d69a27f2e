import re

import pytest
from django.core import mail

from accounts.models import Role, User
from audit.models import Action, AuditEvent
from tests.factories import UserFactory

# Ids as an altered page might send them: beyond any id, not a number, not ASCII.
HOSTILE_IDS = [str(2**63), "9" * 30, "²", "٣", "", "-1"]


def invite(client, school, **overrides):
    data = {
        "email": "New.Person@Test.example",
        "full_name": "New Person",
        "job_title": "Family support worker",
        "organisations": [school.pk],
        "roles": [Role.PRACTITIONER],
    }
    data.update(overrides)
    return client.post("/accounts/users/invite/", data)


def test_la_admin_invites_a_user_who_then_chooses_a_password(
    client_for, la_admin, school, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(la_admin), school)

    assert response.status_code == 302
    user = User.objects.get(email="new.person@test.example")
    assert (user.local_authority, list(user.organisations.all()), user.role_set) == (
        la_admin.local_authority,
        [school],
        frozenset({Role.PRACTITIONER}),
    )
    assert user.has_usable_password() is False
    assert [m.to for m in mail.outbox] == [["new.person@test.example"]]
    link = re.search(r"http://testserver(/accounts/invitation/\S+)", mail.outbox[0].body)[1]

    client.logout()
    short = client.post(link, {"new_password1": "short", "new_password2": "short"})
    assert "This password is too short" in short.content.decode()
    password = "a long synthetic passphrase"
    chosen = client.post(link, {"new_password1": password, "new_password2": password})
    assert chosen.status_code == 302
    user.refresh_from_db()
    assert user.check_password(password)
    assert client.get(link).status_code == 400  # the link works once
    assert list(
        AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True)
    ) == [
        Action.CREATE,
        Action.UPDATE,
    ]


def test_invite_form_explains_each_mistake(client_for, la_admin, school):
    response = invite(
        client_for(la_admin), school, email="not-an-email", organisations=[], roles=[]
    )

    assert response.status_code == 200
    errors = [item["text"] for item in _summary(response)]
    assert errors == [
        "Enter an email address in the correct format, like name@example.org",
        "Choose at least one organisation",
        "Choose at least one role",
    ]
    assert User.objects.filter(email="not-an-email").exists() is False


def test_inviting_an_existing_address_is_refused(client_for, la_admin, school, involved):
    response = invite(client_for(la_admin), school, email="INVOLVED@test.example")

    assert [item["text"] for item in _summary(response)] == [
        "An account with this email address already exists: find it in the list of users instead"
    ]


def test_organisations_of_another_la_cannot_be_given(client_for, la_admin, other_la):
    from tests.factories import OrganisationFactory

    elsewhere = OrganisationFactory(local_authority=other_la)
    response = invite(client_for(la_admin), elsewhere)

    assert response.status_code == 200
    assert User.objects.filter(email="new.person@test.example").exists() is False


@pytest.mark.parametrize(
    ("organisation", "message"),
    [
        *((value, "Choose organisations from the list") for value in HOSTILE_IDS),
        ("\x00", "Null characters are not allowed."),
    ],
)
def test_an_organisation_id_that_is_no_id_is_an_error_on_the_page(
    client_for, la_admin, involved, school, organisation, message
):
    client = client_for(la_admin)
    events = AuditEvent.objects.count()
    response = client.post(
        f"/accounts/users/{involved.pk}/",
        {
            "full_name": involved.full_name,
            "organisations": [str(school.pk), organisation],
            "roles": [Role.PRACTITIONER],
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["organisations"] == [message]
    assert AuditEvent.objects.count() == events


def test_edit_changes_roles_and_records_which_fields_changed(
    client_for, la_admin, involved, school
):
    response = client_for(la_admin).post(
        f"/accounts/users/{involved.pk}/",
        {
            "full_name": involved.full_name,
            "job_title": "Inclusion lead",
            "organisations": [school.pk],
            "roles": [Role.PRACTITIONER, Role.PANEL_COORDINATOR],
        },
    )

    assert response.status_code == 302
    involved.refresh_from_db()
    assert (involved.job_title, involved.role_set) == (
        "Inclusion lead",
        frozenset({Role.PRACTITIONER, Role.PANEL_COORDINATOR}),
    )
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert event.changes == {"fields": ["job_title", "roles"]}


def test_deactivation_lists_open_cases_then_stops_sign_in(
    client_for, la_admin, involved, episode, client
):
    episode.lead_professional = involved
    episode.save()
    admin_client = client_for(la_admin)

    page = admin_client.get(f"/accounts/users/{involved.pk}/deactivate/").content.decode()
    assert "They lead 1 open case, which needs a new lead professional." in page
    # Administrators see no case records: the count only.
    assert episode.reference not in page
    assert episode.family.name not in page

    missing = admin_client.post(f"/accounts/users/{involved.pk}/deactivate/", {"reason": ""})
    assert [i["text"] for i in _summary(missing)] == ["Enter why the account is being deactivated"]
    done = admin_client.post(
        f"/accounts/users/{involved.pk}/deactivate/", {"reason": "Left the school"}
    )
    assert done.status_code == 302
    involved.refresh_from_db()
    assert involved.is_active is False
    assert AuditEvent.objects.get(action=Action.UPDATE).reason == "Left the school"


@pytest.mark.parametrize("persona", ["manager", "involved", "eho"])
def test_user_pages_are_for_la_administrators_only(request, client_for, persona, involved):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/accounts/users/").status_code == 403
    assert client.get(f"/accounts/users/{involved.pk}/").status_code == 403


def test_an_admin_cannot_reach_users_of_another_la(client_for, la_admin, other_la_manager):
    assert client_for(la_admin).get(f"/accounts/users/{other_la_manager.pk}/").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_user_list_queries_do_not_grow_with_users(
    client_for, la_admin, school, la, count, django_assert_num_queries
):
    for _ in range(count):
        UserFactory(local_authority=la, organisation=school)
    client = client_for(la_admin)
    client.get("/accounts/users/")
    # session, user with its LA, OTP device, roles, organisations, the users
    # counted, the page of users, their roles, organisations, role changes
    # waiting, failed emails
    with django_assert_num_queries(12):
        response = client.get("/accounts/users/")
    assert len(response.context["page"].object_list) == count + 1


def test_the_users_are_listed_a_page_at_a_time_and_found_by_name_or_email(
    client_for, monkeypatch, la, la_admin, school
):
    """A council's staff and every leaver kept since: pages, the active
    first, and a search any query string can be given."""
    from accounts import views

    monkeypatch.setattr(views, "USERS_PAGE_SIZE", 2)
    UserFactory(local_authority=la, organisation=school, full_name="Zebedee Left", is_active=False)
    UserFactory(local_authority=la, organisation=school, full_name="Amaryllis Worker")
    UserFactory(local_authority=la, organisation=school, email="amaryllis.other@test.example")
    client = client_for(la_admin)

    first = client.get("/accounts/users/")
    shown = [user.full_name for user in first.context["page"].object_list]
    assert shown == sorted(shown) and "Zebedee Left" not in shown
    assert first.context["page"].paginator.count == 4
    last = client.get("/accounts/users/", {"page": "2"}).context["page"].object_list
    assert [user.full_name for user in last][-1] == "Zebedee Left"

    found = client.get("/accounts/users/", {"q": "  AMARYLLIS "})
    assert found.context["page"].paginator.count == 2
    assert "2 users match “AMARYLLIS”." in found.content.decode()
    for hostile in ("\x00", "a\x00b", "٣" * 500, "%"):
        assert client.get("/accounts/users/", {"q": hostile, "page": "9" * 30}).status_code == 200
    nothing = client.get("/accounts/users/", {"q": "nobody-by-this-name"}).content.decode()
    assert "No user’s name or email address matches your search" in nothing.replace("'", "’")


def _summary(response):
    from core.forms import error_list

    return error_list(response.context["form"])
