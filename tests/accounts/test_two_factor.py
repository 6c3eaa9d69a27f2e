"""Two-factor sign-in: the password, then a code from an authenticator app or a
recovery code; lockout after repeated failures; what LA administrators can do
about a lost phone or a locked account."""

import re
import time
from base64 import b32decode
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInThrottle
from accounts.security import PENDING_KEY, current_code, hashed_recovery_code, new_recovery_codes
from audit.models import Action, AuditEvent
from core.forms import error_list
from tests.factories import TEST_PASSWORD, UserFactory
from tests.two_factor import authenticator_for, sign_in_verified

SIGN_IN = "/accounts/sign-in/"
CODE = "/accounts/sign-in/code/"
SET_UP = "/accounts/sign-in/set-up/"
RECOVERY = "/accounts/sign-in/recovery-code/"
WRONG_PASSWORD = "The email address or password is not right. Check both and try again."
WRONG_CODE = "The code is not right. Enter the code your authenticator app shows now"
LOCKED = (
    "You cannot sign in for now because of too many wrong attempts. Try again in 15 minutes. "
    "If you still cannot sign in, ask your council's Early Help administrator to unlock "
    "your account."
)


def password_step(client, email, password=TEST_PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": email, "password": password, **extra})


def errors(response):
    return [item["text"] for item in error_list(response.context["form"])]


def signed_in(client):
    """Signed in, with the second factor: the home page answers."""
    return client.get("/").status_code == 200


def audit_trail():
    return list(AuditEvent.objects.values_list("action", "actor_label", "reason"))


def wrong_code(device):
    right = current_code(device)
    return f"{(int(right) + 1) % 1_000_000:06d}"


def test_a_right_password_alone_does_not_sign_in(client, involved):
    authenticator_for(involved)
    response = password_step(client, "involved@test.example")

    assert (response.status_code, response["Location"]) == (302, CODE)
    assert "_auth_user_id" not in client.session
    assert client.session[PENDING_KEY]["user"] == involved.pk
    assert client.get("/")["Location"] == "/accounts/sign-in/?next=/"
    assert audit_trail() == []  # signing in is audited when it is complete


def test_the_code_step_signs_in_and_goes_where_the_person_was_going(client, involved):
    device = authenticator_for(involved)
    password_step(client, "involved@test.example", next="/cases/")
    page = client.get(CODE).content.decode()
    assert "Enter the 6-digit code from your authenticator app" in page
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    assert 'spellcheck="false"' in page
    assert "Use a recovery code instead" in page

    response = client.post(CODE, {"code": current_code(device)})

    assert (response.status_code, response["Location"]) == (302, "/cases/")
    assert signed_in(client)
    assert PENDING_KEY not in client.session
    assert audit_trail() == [(Action.SIGN_IN, "involved@test.example", "")]


def test_a_code_is_accepted_once(client, involved):
    device = authenticator_for(involved)
    password_step(client, "involved@test.example")
    code = current_code(device)
    client.post(CODE, {"code": code})
    client.post("/accounts/sign-out/")

    password_step(client, "involved@test.example")
    again = client.post(CODE, {"code": code})

    assert errors(again) == [WRONG_CODE]
    assert not signed_in(client)


def test_first_sign_in_sets_up_the_app_and_shows_recovery_codes_once(client, involved):
    password_step(client, "involved@test.example")
    assert client.get(CODE)["Location"] == SET_UP
    page = client.get(SET_UP).content.decode()
    assert "Set up two-factor sign-in" in page
    assert re.search(r'<svg class="app-qr-code"[^>]*role="img"', page)
    secret = re.search(r'<code class="app-secret" id="secret">([A-Z2-7 ]+)</code>', page)[1]
    groups = secret.split(" ")
    assert [len(group) for group in groups] == [4] * 8
    # The app computes the code from the secret shown; so does this test.
    key = b32decode("".join(groups))
    assert client.get(SET_UP).content.decode().count(secret) == 1  # same secret on reload

    response = client.post(SET_UP, {"code": f"{totp(key):06d}"})

    assert response["Location"] == "/accounts/recovery-codes/"
    codes_page = client.get("/accounts/recovery-codes/").content.decode()
    shown = re.findall(
        r'<code class="app-recovery-code">([a-z2-7]{4} [a-z2-7]{4})</code>', codes_page
    )
    assert len(shown) == 10
    # Only a digest of each code is stored.
    assert sorted(hashed_recovery_code(c) for c in shown) == sorted(
        StaticToken.objects.filter(device__user=involved).values_list("token", flat=True)
    )
    assert "You will not be shown them again" in codes_page
    # Shown once: a second visit goes to the account page instead.
    assert client.get("/accounts/recovery-codes/")["Location"] == "/accounts/your-account/"
    assert list(TOTPDevice.objects.filter(user=involved).values_list("confirmed", flat=True)) == [
        True
    ]
    assert signed_in(client)
    assert audit_trail() == [
        (Action.UPDATE, "involved@test.example", "set up two-factor sign-in"),
        (Action.SIGN_IN, "involved@test.example", ""),
    ]


def test_a_recovery_code_works_once(client, involved):
    authenticator_for(involved)
    password_step(client, "involved@test.example")
    codes = new_recovery_codes(involved)

    response = client.post(RECOVERY, {"code": codes[0].upper()[:4] + " " + codes[0][4:]})
    assert (response.status_code, response["Location"]) == (302, "/")
    home = client.get("/")
    assert home.status_code == 200  # signed in
    assert "You have 9 recovery codes left." in home.content.decode()
    assert StaticToken.objects.filter(device__user=involved).count() == 9

    client.post("/accounts/sign-out/")
    password_step(client, "involved@test.example")
    again = client.post(RECOVERY, {"code": codes[0]})
    assert errors(again) == [
        "The recovery code is not right, or it has been used. Check it and try again"
    ]
    assert not signed_in(client)


def test_a_wrong_code_counts_as_a_failure_and_is_audited(client, involved):
    device = authenticator_for(involved)
    password_step(client, "involved@test.example")

    response = client.post(CODE, {"code": wrong_code(device)})

    assert errors(response) == [WRONG_CODE]
    page = response.content.decode()
    assert 'id="id_code-error"' in page
    involved.refresh_from_db()
    assert involved.failed_sign_ins == 1
    assert audit_trail() == [
        (Action.SIGN_IN_FAILED, "involved@test.example", "wrong authenticator code")
    ]
    event = AuditEvent.objects.get()
    assert (event.object_id, event.local_authority_id) == (
        str(involved.pk),
        involved.local_authority_id,
    )


def test_a_code_that_is_not_6_numbers_is_explained_and_not_counted(client, involved):
    authenticator_for(involved)
    password_step(client, "involved@test.example")

    assert errors(client.post(CODE, {"code": ""})) == [
        "Enter the 6-digit code from your authenticator app"
    ]
    assert errors(client.post(CODE, {"code": "12ab"})) == [
        "The code must be 6 numbers, like 123456"
    ]
    assert errors(client.post(CODE, {"code": "١٢٣٤٥٦"})) == [
        "The code must be 6 numbers, like 123456"
    ]
    involved.refresh_from_db()
    assert involved.failed_sign_ins == 0


def test_an_unknown_address_gets_the_wrong_password_message_and_is_audited(client, involved):
    unknown = password_step(client, "nobody@test.example")
    wrong = password_step(client, "involved@test.example", password="not the password")

    assert errors(unknown) == errors(wrong) == [WRONG_PASSWORD]
    assert audit_trail() == [
        (Action.SIGN_IN_FAILED, "nobody@test.example", "unknown email address"),
        (Action.SIGN_IN_FAILED, "involved@test.example", "wrong password"),
    ]
    assert "not the password" not in str(list(AuditEvent.objects.values()))


def test_five_failures_in_a_row_lock_the_address_for_that_client(client, involved, settings):
    settings.SIGN_IN_LOCKOUT_MINUTES = 15
    device = authenticator_for(involved)
    for _ in range(4):
        password_step(client, "involved@test.example", password="wrong password")
    password_step(client, "involved@test.example")
    before = timezone.now()

    fifth = client.post(CODE, {"code": wrong_code(device)})

    assert errors(fifth) == [LOCKED]
    [lock] = SignInThrottle.objects.filter(kind="pair", blocked_until__isnull=False)
    assert (lock.user, lock.ip_address) == (involved, "127.0.0.1")
    assert lock.blocked_until - before == pytest.approx(
        timedelta(minutes=15), abs=timedelta(seconds=5)
    )
    assert [action for action, _label, _reason in audit_trail()] == [
        Action.SIGN_IN_FAILED,
        Action.SIGN_IN_FAILED,
        Action.SIGN_IN_FAILED,
        Action.SIGN_IN_FAILED,
        Action.SIGN_IN_FAILED,
        Action.ACCOUNT_LOCKED,
    ]
    locked = AuditEvent.objects.get(action=Action.ACCOUNT_LOCKED)
    assert (locked.actor_label, locked.object_id, locked.reason, locked.ip_address) == (
        "involved@test.example",
        str(involved.pk),
        "5 failed sign-in attempts in a row from this network address",
        "127.0.0.1",
    )
    assert PENDING_KEY not in client.session  # the second step starts again
    # Even the right password is refused now, with the same message.
    refused = password_step(client, "involved@test.example")
    assert errors(refused) == [LOCKED]
    assert PENDING_KEY not in client.session
    assert AuditEvent.objects.last().reason == "locked for this network address"


def test_the_right_code_is_refused_while_locked(client, involved):
    device = authenticator_for(involved)
    password_step(client, "involved@test.example")
    involved.locked_until = timezone.now() + timedelta(minutes=10)
    involved.save()

    response = client.post(CODE, {"code": current_code(device)})

    assert errors(response) == [LOCKED]
    assert not signed_in(client)


def test_signing_in_resets_the_count_and_a_lock_ends_by_itself(client, involved):
    device = authenticator_for(involved)
    involved.failed_sign_ins = 4
    involved.locked_until = timezone.now() - timedelta(seconds=1)
    involved.save()

    password_step(client, "involved@test.example")
    client.post(CODE, {"code": current_code(device)})

    involved.refresh_from_db()
    assert (involved.failed_sign_ins, involved.locked_until, signed_in(client)) == (0, None, True)


def test_the_second_step_must_follow_the_password_soon(client, involved):
    authenticator_for(involved)
    password_step(client, "involved@test.example")
    session = client.session
    session[PENDING_KEY]["since"] = int(time.time()) - 11 * 60
    session.save()

    response = client.get(CODE, follow=True)

    assert response.redirect_chain == [(SIGN_IN, 302)]
    assert "Sign in again: the code must follow the password within 10 minutes." in (
        response.content.decode()
    )


def test_the_second_step_pages_need_a_password_first(client, db):
    for path in (CODE, SET_UP, RECOVERY):
        assert client.get(path)["Location"] == SIGN_IN


def test_demo_mode_shows_the_code_only_with_debug_on(client, involved, settings):
    device = authenticator_for(involved)
    password_step(client, "involved@test.example")
    settings.DEMO_MODE = True
    settings.DEBUG = True
    page = client.get(CODE).content.decode()
    code = current_code(device)
    assert f"Demo only: the current code for this account is {code[:3]} {code[3:]}" in page

    settings.DEBUG = False
    assert "Demo only" not in client.get(CODE).content.decode()


def test_demo_mode_is_refused_by_a_system_check_when_debug_is_off(settings):
    from accounts.checks import demo_mode_needs_debug

    settings.DEMO_MODE = True
    settings.DEBUG = False
    assert [error.id for error in demo_mode_needs_debug(None)] == ["accounts.E001"]
    settings.DEBUG = True
    assert demo_mode_needs_debug(None) == []


def test_a_session_without_its_second_factor_is_signed_out(client, involved):
    client.force_login(involved)  # as Django admin's own login form would

    response = client.get("/")

    assert response["Location"] == "/accounts/sign-in/?next=/"
    assert "_auth_user_id" not in client.session
    assert audit_trail() == [
        (Action.SIGN_IN, "involved@test.example", ""),
        (Action.SIGN_OUT, "involved@test.example", "no second factor"),
    ]


def test_django_admin_signs_in_through_the_service(client, client_for, involved):
    response = client.get("/system-admin/login/?next=/system-admin/accounts/user/")
    assert response["Location"] == "/accounts/sign-in/?next=/system-admin/accounts/user/"
    # Signed in but not a system administrator: refused, not sent round in a loop.
    assert client_for(involved).get("/system-admin/login/").status_code == 403


def test_a_system_administrator_reaches_django_admin_after_both_steps(client, db):
    admin = UserFactory(email="sysadmin@test.example", is_staff=True, is_superuser=True)
    device = authenticator_for(admin)
    password_step(client, "sysadmin@test.example", next="/system-admin/")
    response = client.post(CODE, {"code": current_code(device)})

    assert response["Location"] == "/system-admin/"
    assert client.get("/system-admin/").status_code == 200


# Your account ------------------------------------------------------------------------


def test_your_account_gives_new_recovery_codes_and_the_old_ones_stop(client_for, involved):
    old = new_recovery_codes(involved)
    client = client_for(involved)
    page = client.get("/accounts/your-account/").content.decode()
    assert "10 codes left" in page
    assert "Authenticator app, set up on" in page

    response = client.post("/accounts/recovery-codes/new/")

    assert response["Location"] == "/accounts/recovery-codes/"
    codes_page = client.get("/accounts/recovery-codes/").content.decode()
    shown = re.findall(
        r'<code class="app-recovery-code">([a-z2-7]{4} [a-z2-7]{4})</code>', codes_page
    )
    stored = set(StaticToken.objects.filter(device__user=involved).values_list("token", flat=True))
    assert {hashed_recovery_code(code) for code in shown} == stored
    assert (len(shown), set(shown) & {f"{code[:4]} {code[4:]}" for code in old}) == (10, set())
    assert 'href="/accounts/your-account/"' in codes_page
    assert AuditEvent.objects.last().reason == "new recovery codes"
    assert client.get("/accounts/recovery-codes/new/").status_code == 405


def test_every_signed_in_page_links_to_your_account(client_for, involved):
    page = client_for(involved).get("/").content.decode()
    assert '<a class="govuk-link" href="/accounts/your-account/">Your account</a>' in page


# What an LA administrator can do --------------------------------------------------------


def test_la_admin_unlocks_a_locked_account(client_for, la_admin, involved):
    involved.failed_sign_ins = 2
    involved.locked_until = timezone.now() + timedelta(minutes=10)
    involved.save()
    client = client_for(la_admin)
    assert "Locked" in client.get("/accounts/users/").content.decode()
    page = client.get(f"/accounts/users/{involved.pk}/").content.decode()
    assert "after too many wrong passwords or codes" in page

    response = client.post(f"/accounts/users/{involved.pk}/unlock/")

    assert response["Location"] == f"/accounts/users/{involved.pk}/"
    involved.refresh_from_db()
    assert (involved.failed_sign_ins, involved.locked_until) == (0, None)
    event = AuditEvent.objects.last()
    assert (event.action, event.actor_id, event.object_id, event.reason) == (
        Action.UPDATE,
        la_admin.pk,
        str(involved.pk),
        "unlocked by an administrator",
    )


def test_only_the_councils_administrator_may_unlock_or_reset(
    client_for, involved, manager, other_la_manager
):
    for path in (
        f"/accounts/users/{involved.pk}/unlock/",
        f"/accounts/users/{involved.pk}/reset-two-factor/",
    ):
        assert client_for(manager).post(path).status_code == 403
    other_admin = UserFactory(local_authority=other_la_manager.local_authority, roles=["la_admin"])
    assert client_for(other_admin).post(f"/accounts/users/{involved.pk}/unlock/").status_code == 404


def test_la_admin_resets_two_factor_for_a_lost_phone(client_for, la_admin, involved):
    new_recovery_codes(involved)
    involved_client = client_for(involved)  # signed in on their own computer
    assert signed_in(involved_client)
    admin_client = sign_in_verified(Client(), la_admin)
    path = f"/accounts/users/{involved.pk}/reset-two-factor/"
    edit_page = admin_client.get(f"/accounts/users/{involved.pk}/").content.decode()
    assert f'href="{path}"' in edit_page

    missing = admin_client.post(path, {"reason": ""})
    assert errors(missing) == ["Enter why you are resetting their two-factor sign-in"]
    response = admin_client.post(path, {"reason": "Lost their phone; checked by phone call"})

    assert response["Location"] == f"/accounts/users/{involved.pk}/"
    assert TOTPDevice.objects.filter(user=involved).count() == 0
    assert StaticToken.objects.filter(device__user=involved).count() == 0
    event = AuditEvent.objects.filter(actor=la_admin).last()
    assert (event.changes, event.reason) == (
        {"fields": ["two_factor", "recovery_codes"]},
        "Lost their phone; checked by phone call",
    )
    # Their session ends at once; with the password they set up an app again.
    assert not signed_in(involved_client)
    password_step(involved_client, "involved@test.example")
    assert involved_client.get(CODE)["Location"] == SET_UP


def test_an_administrator_cannot_reset_their_own_two_factor(client_for, la_admin):
    client = client_for(la_admin)
    response = client.post(
        f"/accounts/users/{la_admin.pk}/reset-two-factor/", {"reason": "testing"}
    )
    assert errors(response) == [
        "You cannot reset your own two-factor sign-in: ask another administrator"
    ]
    assert TOTPDevice.objects.filter(user=la_admin).count() == 1
