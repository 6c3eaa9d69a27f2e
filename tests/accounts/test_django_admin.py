"""Django admin is no back door: every change made in it is in the audit trail,
nobody gives themselves a role that sees cases there, the council's LA
administrators hear of any such role given, and no secret of two-factor
sign-in can be read there."""

from html.parser import HTMLParser

import pytest
from django.core import mail
from django_otp.plugins.otp_static.models import StaticToken

from accounts.models import CASE_ROLES, Organisation, Role, RoleGrant
from accounts.security import new_recovery_codes
from audit.models import Action, AuditEvent
from audit.services import verify_chain
from core import policy
from tests.factories import OrganisationFactory, UserFactory
from tests.two_factor import authenticator_for

ADMIN = "/system-admin"


class _FormFields(HTMLParser):
    """What a browser would send for the page's main form: every named input,
    select and textarea with its current value."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_data(response):
    parser = _FormFields()
    parser.feed(response.content.decode())
    parser.data.pop("_addanother", None)
    parser.data.pop("_continue", None)
    return parser.data


@pytest.fixture
def sysadmin(db):
    return UserFactory(
        email="sysadmin@test.example",
        local_authority=None,
        is_staff=True,
        is_superuser=True,
        roles=[Role.SYSTEM_ADMIN],
    )


def admin_events():
    return list(
        AuditEvent.objects.filter(reason="changed in Django admin").values_list(
            "action", "actor_label", "object_type", "changes"
        )
    )


def with_roles(data, user, roles):
    """The user's change form with role grants added in the inline."""
    start = int(data["roles-TOTAL_FORMS"])
    for n, role in enumerate(roles, start):
        data[f"roles-{n}-role"] = role
        data[f"roles-{n}-user"] = str(user.pk)
        data[f"roles-{n}-id"] = ""
    data["roles-TOTAL_FORMS"] = str(start + len(roles))
    return data


def test_every_add_change_and_delete_in_django_admin_is_audited(client_for, sysadmin, la):
    client = client_for(sysadmin)
    add = f"{ADMIN}/accounts/organisation/add/"
    data = form_data(client.get(add))
    data.update(local_authority=str(la.pk), name="Testshire Youth Club", type="voluntary")
    assert client.post(add, data).status_code == 302
    club = Organisation.objects.get(name="Testshire Youth Club")

    change = f"{ADMIN}/accounts/organisation/{club.pk}/change/"
    data = form_data(client.get(change))
    data.update(name="Testshire Youth Centre")
    assert client.post(change, data).status_code == 302

    other = OrganisationFactory(local_authority=la, name="Closed Clinic")
    changelist = f"{ADMIN}/accounts/organisation/"
    bulk = {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"}
    assert client.post(changelist, bulk).status_code == 302
    assert client.post(f"{ADMIN}/accounts/organisation/{club.pk}/delete/", {"post": "yes"})[
        "Location"
    ] == (f"{ADMIN}/accounts/organisation/")

    label = "sysadmin@test.example"
    assert admin_events() == [
        (Action.CREATE, label, "accounts.organisation", {"fields": []}),
        (Action.UPDATE, label, "accounts.organisation", {"fields": ["name"]}),
        (Action.DELETE, label, "accounts.organisation", {}),
        (Action.DELETE, label, "accounts.organisation", {}),
    ]
    deleted = AuditEvent.objects.filter(action=Action.DELETE).values_list("object_id", flat=True)
    assert sorted(deleted) == sorted([str(other.pk), str(club.pk)])
    assert verify_chain()[1] is None


def test_a_system_administrator_cannot_give_themselves_a_council_and_cases(
    client_for, sysadmin, la, episode
):
    client = client_for(sysadmin)
    change = f"{ADMIN}/accounts/user/{sysadmin.pk}/change/"
    data = with_roles(form_data(client.get(change)), sysadmin, [Role.EARLY_HELP_MANAGER])
    data["local_authority"] = str(la.pk)

    response = client.post(change, data)

    assert response.status_code == 200
    assert (
        "You cannot give yourself a role that sees cases: ask another administrator"
        in response.content.decode()
    )
    sysadmin.refresh_from_db()
    assert (sysadmin.local_authority, sysadmin.role_set) == (None, frozenset({Role.SYSTEM_ADMIN}))
    assert list(policy.episodes_visible_to(sysadmin)) == []
    assert admin_events() == []


def test_a_role_that_sees_cases_given_in_django_admin_is_audited_and_told_to_the_council(
    client_for, sysadmin, la, la_admin, la_admin_too, django_capture_on_commit_callbacks
):
    colleague = UserFactory(
        local_authority=la, email="colleague@test.example", roles=[Role.LA_ADMIN]
    )
    client = client_for(sysadmin)
    change = f"{ADMIN}/accounts/user/{colleague.pk}/change/"
    data = with_roles(form_data(client.get(change)), colleague, [Role.EARLY_HELP_MANAGER])

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change, data).status_code == 302

    assert colleague.roles.filter(role=Role.EARLY_HELP_MANAGER).exists()
    roles_event = AuditEvent.objects.get(changes__has_key="roles_added")
    assert (roles_event.actor_id, roles_event.object_id, roles_event.changes) == (
        sysadmin.pk,
        str(colleague.pk),
        {"fields": ["roles"], "roles_added": ["manager"], "roles_removed": []},
    )
    assert admin_events()[-1] == (
        Action.UPDATE,
        "sysadmin@test.example",
        "accounts.user",
        {"fields": ["role grant"]},
    )
    [email] = mail.outbox
    assert (email.to, email.subject) == (
        ["admin2@test.example", "admin@test.example", "colleague@test.example"],
        "Early Help: a role that sees cases was given in system administration",
    )
    assert email.body == (
        f"sysadmin@test.example gave {colleague.full_name} (colleague@test.example) these "
        f"roles in system administration: Early help manager. With them, "
        f"{colleague.full_name} can see cases. If this was not agreed, remove the roles in "
        "Users and tell your information governance lead.\n"
    )


def test_authenticator_keys_and_recovery_codes_cannot_be_read_in_django_admin(
    client_for, sysadmin, involved
):
    device = authenticator_for(involved)
    codes = new_recovery_codes(involved)
    client = client_for(sysadmin)

    totp_page = client.get(f"{ADMIN}/otp_totp/totpdevice/{device.pk}/change/")
    static_device = StaticToken.objects.filter(device__user=involved).first().device
    static_page = client.get(f"{ADMIN}/otp_static/staticdevice/{static_device.pk}/change/")

    assert (totp_page.status_code, static_page.status_code) == (200, 200)
    assert device.key not in totp_page.content.decode()
    for code in codes:
        assert code not in static_page.content.decode()
    # django-otp's own pages for the key and its QR code are gone.
    for page in ("config", "qrcode"):
        response = client.get(f"{ADMIN}/otp_totp/totpdevice/{device.pk}/{page}/", follow=True)
        assert (response.redirect_chain[-1][0], response["Content-Type"]) == (
            f"{ADMIN}/",
            "text/html; charset=utf-8",
        )
        assert device.key not in response.content.decode()
    assert client.get(f"{ADMIN}/otp_totp/totpdevice/add/").status_code == 403
    # Stored codes are digests, not the codes.
    stored = set(StaticToken.objects.filter(device__user=involved).values_list("token", flat=True))
    assert stored & set(codes) == set()


def test_the_case_roles_are_the_roles_the_policy_shows_cases_to(la):
    for role in Role:
        user = UserFactory(local_authority=la, roles=[role])
        assert (role, policy.can_see_case_lists(user)) == (role, role in CASE_ROLES)


def test_roles_given_and_taken_in_one_save_are_both_audited(
    client_for, sysadmin, involved, la_admin, django_capture_on_commit_callbacks
):
    client = client_for(sysadmin)
    change = f"{ADMIN}/accounts/user/{involved.pk}/change/"
    data = form_data(client.get(change))
    data["roles-0-DELETE"] = "on"
    data = with_roles(data, involved, [Role.PANEL_COORDINATOR])
    assert RoleGrant.objects.get(pk=data["roles-0-id"]).role == Role.PRACTITIONER

    with django_capture_on_commit_callbacks(execute=True):
        client.post(change, data)

    assert AuditEvent.objects.get(changes__has_key="roles_added").changes == {
        "fields": ["roles"],
        "roles_added": ["panel"],
        "roles_removed": ["practitioner"],
    }
    assert len(mail.outbox) == 1  # a role that sees cases was given
