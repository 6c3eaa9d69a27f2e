"""Sign-in security in a real browser: setting up two-factor sign-in from the QR
code page, signing in with a code or a recovery code, the lockout and what an
administrator does about it, the inactivity warning, and Django admin under
the Content Security Policy. Every page here runs under the service's strict
policy: a refused inline script or style shows as a console error and fails
the test."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts.models import User
from accounts.security import current_code
from tests.browser.conftest import (
    LA_ADMIN,
    PRACTITIONER,
    SYSTEM_ADMIN,
    assert_accessible,
    sign_in,
    url,
)
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

SIGN_IN = "/accounts/sign-in/"
CODE_HEADING = "Enter the 6-digit code from your authenticator app"


def heading(page):
    return page.get_by_role("heading", level=1)


def password_step(page, live_server, email, password=TEST_PASSWORD):
    page.goto(url(live_server, SIGN_IN))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("navigation", name="Menu").get_by_role("button", name="Sign out").click()
    expect(heading(page)).to_have_text("Sign in to Early Help")


def error_summary_links(page):
    return page.locator(".govuk-error-summary .govuk-error-summary__list a")


def test_first_sign_in_sets_up_the_app_then_codes_and_recovery_codes_work(page, live_server):
    TOTPDevice.objects.filter(user__email=PRACTITIONER).delete()  # a first sign-in
    password_step(page, live_server, PRACTITIONER)

    expect(heading(page)).to_have_text("Set up two-factor sign-in")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    secret = page.locator("#secret").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", secret), secret
    code = page.get_by_label("Code", exact=True)
    for name, value in [("autocomplete", "one-time-code"), ("inputmode", "numeric")]:
        expect(code).to_have_attribute(name, value)
    assert_accessible(page)
    # What the authenticator app does with the key typed in.
    code.fill(f"{totp(b32decode(secret.replace(' ', ''))):06d}")
    page.get_by_role("button", name="Continue").click()

    expect(heading(page)).to_have_text("Your recovery codes")
    recovery_codes = page.locator(".app-recovery-code").all_inner_texts()
    assert len(recovery_codes) == 10
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Hello, Priya")
    page.goto(url(live_server, "/accounts/recovery-codes/"))  # shown once only
    expect(heading(page)).to_have_text("Your account")
    expect(page.get_by_text("10 codes left")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # Later: the password, then a wrong code, then the right one.
    password_step(page, live_server, PRACTITIONER)
    expect(heading(page)).to_have_text(CODE_HEADING)
    assert_accessible(page)
    device = TOTPDevice.objects.get(user__email=PRACTITIONER)
    right = current_code(device)
    page.get_by_label("Code", exact=True).fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Continue").click()
    expect(error_summary_links(page)).to_have_text(
        ["The code is not right. Enter the code your authenticator app shows now"]
    )
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    error_summary_links(page).first.click()
    expect(page.get_by_label("Code", exact=True)).to_be_focused()
    page.get_by_label("Code", exact=True).fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Hello, Priya")
    sign_out(page)

    # Without the phone: a recovery code, once.
    password_step(page, live_server, PRACTITIONER)
    page.get_by_role("link", name="Use a recovery code instead").click()
    expect(heading(page)).to_have_text("Enter a recovery code")
    assert_accessible(page)
    page.get_by_label("Recovery code").fill(recovery_codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(heading(page)).to_have_text("Hello, Priya")
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "You have 9 recovery codes left."
    )
    assert_accessible(page)


def test_a_locked_account_says_so_and_its_administrator_unlocks_it(page, live_server, settings):
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        password_step(page, live_server, PRACTITIONER, password="not the password")
    message = error_summary_links(page)
    # The same words as for an address with no account: they say nothing about it.
    expect(message).to_have_text(
        "You cannot sign in for now because of too many wrong attempts. Try again in "
        "15 minutes. If you still cannot sign in, ask your council's Early Help "
        "administrator to unlock your account."
    )
    assert_accessible(page)
    # The right password does not help until the lock ends.
    password_step(page, live_server, PRACTITIONER)
    expect(message).to_contain_text("You cannot sign in for now")

    sign_in(page, live_server, LA_ADMIN)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users").click()
    row = page.locator("table.govuk-table tbody tr").filter(has_text=PRACTITIONER)
    expect(row.locator(".govuk-tag")).to_have_text("Locked")
    row.get_by_role("link", name="Change").click()
    assert_accessible(page)
    page.get_by_role("button", name="Unlock account").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Priya Practitioner can sign in again"
    )

    # Lost phone: reset, with a reason, after a warning.
    page.get_by_role("link", name="Reset two-factor sign-in").click()
    expect(heading(page)).to_have_text("Reset two-factor sign-in for Priya Practitioner")
    assert_accessible(page)
    page.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(error_summary_links(page)).to_have_text(
        ["Enter why you are resetting their two-factor sign-in"]
    )
    assert_accessible(page)
    page.get_by_label("Why are you resetting their two-factor sign-in?").fill(
        "Lost their phone; confirmed by calling them back"
    )
    page.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Two-factor sign-in reset for Priya Practitioner"
    )
    assert not TOTPDevice.objects.filter(user__email=PRACTITIONER).exists()
    sign_out(page)

    sign_in(page, live_server, PRACTITIONER)  # sets up an app again
    expect(heading(page)).to_have_text("Hello, Priya")
    assert User.objects.get(email=PRACTITIONER).locked_until is None


@pytest.mark.long_running
def test_the_inactivity_warning_keeps_or_ends_the_session(page, live_server, settings):
    # A short session so the test need not wait half an hour: signed out after
    # 8 seconds without a request, warned 5 seconds before.
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_TIMEOUT_WARNING = 5
    sign_in(page, live_server, PRACTITIONER)
    expect(heading(page)).to_have_text("Hello, Priya")
    page.evaluate("localStorage.setItem('earlyhelp:draft-test', 'typed but not saved')")
    dialog = page.get_by_role("dialog", name="You will be signed out soon")

    # Escape is "not now": the session is renewed.
    expect(dialog).to_be_visible(timeout=8_000)
    expect(dialog.get_by_role("heading", name="You will be signed out soon")).to_be_focused()
    expect(dialog).to_contain_text("anything you have typed in an assessment is kept")
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # The button does the same; the session outlives the 8 seconds of the page.
    expect(dialog).to_be_visible(timeout=8_000)
    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    expect(dialog).to_be_visible(timeout=8_000)
    status = page.request.get(url(live_server, "/accounts/session/")).json()
    assert status["signed_in"] is True

    # Doing nothing: signed out, told why, and the draft is still in the browser.
    expect(heading(page)).to_have_text("Sign in to Early Help", timeout=10_000)
    expect(page.get_by_role("region", name="Important")).to_contain_text(
        "You were signed out because you were inactive for 8 seconds."
    )
    assert page.evaluate("localStorage.getItem('earlyhelp:draft-test')") == "typed but not saved"
    assert page.request.get(url(live_server, "/accounts/session/")).json() == {
        "signed_in": False,
        "expires_in": 0,
    }
    assert_accessible(page)


def test_django_admin_works_under_the_content_security_policy(page, live_server):
    sign_in(page, live_server, SYSTEM_ADMIN)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="System admin").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.get_by_role("link", name="Users").first.click()
    page.get_by_role("link", name=PRACTITIONER).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change user")
    page.goto(url(live_server, "/system-admin/otp_totp/totpdevice/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("TOTP device")
    # Django admin's pages name no icon, so the browser asks for /favicon.ico;
    # anything else (a refused inline script or style above all) fails.
    problems = [p for p in page.problems.new() if not p.endswith("/favicon.ico)")]
    assert problems == []
