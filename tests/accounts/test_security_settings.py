"""Cookies, CSRF, the Content Security Policy and other headers, caching of
signed-in pages, the idle session, and password rules on every way a password
is set."""

import json
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import services
from accounts.security import LAST_ACTIVITY_KEY
from audit.models import Action, AuditEvent
from tests.earlyhelp.test_settings import settings_in
from tests.factories import UserFactory
from tests.two_factor import sign_in_verified

REPO = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [
    path
    for path in REPO.glob("**/templates")
    if not {".venv", "node_modules", "build", "var"} & set(path.relative_to(REPO).parts)
]
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def templates():
    return sorted(path for folder in TEMPLATE_DIRS for path in folder.glob("**/*.html"))


# Headers -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/accounts/sign-in/", "/accessibility/", "/"])
def test_every_page_has_the_content_security_policy_and_security_headers(
    client_for, involved, path
):
    client = client_for(involved) if path == "/" else Client()
    response = client.get(path)

    assert response.status_code == 200
    policy = dict(
        directive.split(" ", 1) for directive in response["Content-Security-Policy"].split("; ")
    )
    assert policy == CSP
    assert {
        name: response.get(name)
        for name in (
            "X-Frame-Options",
            "X-Content-Type-Options",
            "Referrer-Policy",
            "Cross-Origin-Opener-Policy",
        )
    } == {
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    assert {"camera=()", "microphone=()", "geolocation=()"} <= set(
        response["Permissions-Policy"].split(", ")
    )


def test_signed_in_pages_are_not_cached_and_public_ones_may_be(client, client_for, involved):
    public = client.get("/accessibility/")
    assert "Cache-Control" not in public

    page = client_for(involved).get("/accessibility/")
    directives = set(page["Cache-Control"].split(", "))
    assert {"no-store", "no-cache", "private"} <= directives


def test_templates_need_no_unsafe_inline(db):
    """The policy has no 'unsafe-inline': no inline style attributes, inline
    scripts or event handler attributes in any template, and no <style> block
    in a page of the service. (Documents made into PDFs or downloads carry
    their own <style>: they are not shown under the service's policy.)"""
    found = []
    for path in templates():
        text = path.read_text()
        patterns = [r"\sstyle=", r"<script(?![^>]*\ssrc=)", r"\son[a-z]+="]
        if '{% extends "base.html" %}' in text:
            patterns.append(r"<style")
        found += [f"{path.relative_to(REPO)}: {p}" for p in patterns if re.search(p, text)]
    assert len(templates()) > 50
    assert found == []


# CSRF ----------------------------------------------------------------------------------


def test_every_form_that_posts_carries_the_csrf_token(db):
    forms = []
    for path in templates():
        for form in re.findall(r"<form\b[^>]*method=\"post\".*?</form>", path.read_text(), re.S):
            forms.append((str(path.relative_to(REPO)), "{% csrf_token %}" in form))
    assert len(forms) > 20
    assert [name for name, has_token in forms if not has_token] == []


def test_a_post_without_the_csrf_token_is_refused(involved):
    anonymous = Client(enforce_csrf_checks=True)
    assert (
        anonymous.post(
            "/accounts/sign-in/", {"username": "involved@test.example", "password": "x"}
        ).status_code
        == 403
    )
    signed_in = sign_in_verified(Client(enforce_csrf_checks=True), involved)
    assert signed_in.post("/accounts/session/keep-alive/").status_code == 403
    assert signed_in.post("/notifications/read/").status_code == 403
    # With the token from the page, the same form works.
    page = anonymous.get("/accounts/sign-in/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = anonymous.post(
        "/accounts/sign-in/",
        {"username": "involved@test.example", "password": "x", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200


# Cookies and the idle session ------------------------------------------------------------


def test_the_session_cookie_lasts_the_idle_timeout_and_is_http_only(client_for, involved):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert (settings.SESSION_COOKIE_HTTPONLY, settings.CSRF_COOKIE_HTTPONLY) == (True, True)
    client = client_for(involved)
    response = client.get("/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (cookie["max-age"], cookie["httponly"], cookie["samesite"]) == (1800, True, "Lax")


def test_the_idle_timeout_and_warning_come_from_the_environment(tmp_path):
    env = {
        "EARLYHELP_VAR_DIR": str(tmp_path),
        "SESSION_IDLE_TIMEOUT": "900",
        "SESSION_TIMEOUT_WARNING": "60",
        "SIGN_IN_MAX_FAILURES": "3",
        "SIGN_IN_LOCKOUT_MINUTES": "30",
        "SIGN_IN_ACCOUNT_MAX_FAILURES": "12",
        "SIGN_IN_CLIENT_MAX_FAILURES": "40",
        "SIGN_IN_CLIENT_WINDOW_MINUTES": "10",
        "SIGN_IN_CLIENT_BLOCK_MINUTES": "60",
    }
    expression = (
        "[s.SESSION_COOKIE_AGE, s.SESSION_TIMEOUT_WARNING, "
        "s.SIGN_IN_MAX_FAILURES, s.SIGN_IN_LOCKOUT_MINUTES, s.SIGN_IN_ACCOUNT_MAX_FAILURES, "
        "s.SIGN_IN_CLIENT_MAX_FAILURES, s.SIGN_IN_CLIENT_WINDOW_MINUTES, "
        "s.SIGN_IN_CLIENT_BLOCK_MINUTES, s.DEMO_MODE]"
    )
    assert json.loads(settings_in(env, expression).stdout) == [
        900,
        60,
        3,
        30,
        12,
        40,
        10,
        60,
        False,
    ]


def test_sign_in_limits_have_working_defaults(tmp_path):
    expression = (
        "[s.SIGN_IN_MAX_FAILURES, s.SIGN_IN_LOCKOUT_MINUTES, s.SIGN_IN_ACCOUNT_MAX_FAILURES, "
        "s.SIGN_IN_CLIENT_MAX_FAILURES, s.SIGN_IN_CLIENT_WINDOW_MINUTES, "
        "s.SIGN_IN_CLIENT_BLOCK_MINUTES, s.OTP_ADMIN_HIDE_SENSITIVE_DATA]"
    )
    defaults = json.loads(settings_in({"EARLYHELP_VAR_DIR": str(tmp_path)}, expression).stdout)
    assert defaults == [5, 15, 20, 30, 15, 15, True]


def test_signed_in_pages_carry_the_timeout_for_the_warning(client_for, involved):
    page = client_for(involved).get("/").content.decode()
    dialog = re.search(r"<dialog[^>]*>", page)[0]
    # Whole seconds since the last activity: a second may tick over between
    # signing in and rendering, so allow a little slack below the full 30 minutes.
    expires_in = int(re.search(r'data-expires-in="(\d+)"', dialog)[1])
    assert 1790 <= expires_in <= 1800
    assert 'data-warn-before="120"' in dialog
    assert 'data-status-url="/accounts/session/"' in dialog
    assert 'aria-labelledby="session-timeout-title"' in dialog
    assert "You will be signed out soon" in page
    assert "anything you have typed in an assessment is kept in this browser" in page
    assert "<dialog" not in Client().get("/accounts/sign-in/").content.decode()


def _last_activity(client, seconds_ago):
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds_ago
    session.save()


def test_asking_how_long_is_left_does_not_extend_the_session(client_for, involved):
    client = client_for(involved)
    client.get("/")
    _last_activity(client, 1000)

    status = client.get("/accounts/session/").json()

    assert status["signed_in"] is True
    assert 795 <= status["expires_in"] <= 800
    assert client.get("/accounts/session/").json()["expires_in"] <= 800


def test_keep_alive_renews_the_session_and_is_post_only_for_the_signed_in(
    client, client_for, involved
):
    assert client.post("/accounts/session/keep-alive/")["Location"].startswith("/accounts/sign-in/")
    assert client.get("/accounts/session/").json() == {"signed_in": False, "expires_in": 0}
    signed_in = client_for(involved)
    signed_in.get("/")
    _last_activity(signed_in, 1700)
    assert signed_in.get("/accounts/session/keep-alive/").status_code == 405

    response = signed_in.post("/accounts/session/keep-alive/")

    assert response.json() == {"signed_in": True, "expires_in": 1800}
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 1800


def test_after_the_idle_timeout_the_next_request_signs_out_and_says_why(client_for, involved):
    client = client_for(involved)
    client.get("/")
    _last_activity(client, 1801)

    response = client.get("/cases/?page=2")

    assert response["Location"] == "/accounts/sign-in/?timeout=1&next=%2Fcases%2F%3Fpage%3D2"
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.last()
    assert (event.action, event.reason) == (Action.SIGN_OUT, "inactive")
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you were inactive for 30 minutes." in page
    assert 'name="next" value="/cases/?page=2"' in page


def test_the_status_check_after_the_timeout_says_signed_out(client_for, involved):
    client = client_for(involved)
    client.get("/")
    _last_activity(client, 1801)
    assert client.get("/accounts/session/").json() == {"signed_in": False, "expires_in": 0}


# Passwords -------------------------------------------------------------------------------


@pytest.fixture
def invited(la):
    user = UserFactory(local_authority=la, email="new.starter@test.example")
    user.set_unusable_password()
    user.save()
    return user


def invitation_path(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"/accounts/invitation/{uid}/{default_token_generator.make_token(user)}/"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short1!", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("739184627305", "This password is entirely numeric."),
    ],
)
def test_accepting_an_invitation_checks_the_password(client, invited, password, message):
    response = client.post(
        invitation_path(invited), {"new_password1": password, "new_password2": password}
    )

    assert response.status_code == 200
    assert message in [str(e) for e in response.context["form"].errors["new_password2"]]
    invited.refresh_from_db()
    assert invited.has_usable_password() is False


def test_the_invitation_service_itself_refuses_a_weak_password(invited):
    with pytest.raises(ValidationError) as refused:
        services.accept_invitation(invited, "password1234")
    assert refused.value.messages == ["This password is too common."]
    invited.refresh_from_db()
    assert invited.has_usable_password() is False


def test_settings_check_every_password_against_length_and_common_lists():
    names = [validator["NAME"].rsplit(".", 1)[1] for validator in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] == {"min_length": 12}
