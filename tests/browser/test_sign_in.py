"""Signing in and out through the real form, with the GOV.UK error pattern."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PRACTITIONER, assert_accessible, sign_in, url

pytestmark = pytest.mark.browser

SIGN_IN = "/accounts/sign-in/"


def error_summary(page):
    return page.locator(".govuk-error-summary")


def test_sign_in_page_renders_with_the_skip_link_first(page, live_server):
    page.goto(url(live_server, SIGN_IN))

    expect(page).to_have_title(re.compile(r"^Sign in\b"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Early Help")
    expect(page.get_by_label("Email address")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    expect(error_summary(page)).to_have_count(0)
    assert_accessible(page)

    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.textContent.trim(), "
        "document.activeElement.getAttribute('href'), document.activeElement.tagName]"
    )
    assert focused == ["Skip to main content", "#main-content", "A"]
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()


def test_signing_in_with_the_wrong_password_shows_the_error_summary(page, live_server):
    page.goto(url(live_server, SIGN_IN))
    page.get_by_label("Email address").fill(PRACTITIONER)
    page.get_by_label("Password").fill("not-the-demo-password")
    page.get_by_role("button", name="Sign in").click()

    summary = error_summary(page)
    expect(summary).to_be_visible()
    expect(summary.locator(".govuk-error-summary__title")).to_have_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    links = summary.locator(".govuk-error-summary__list a")
    expect(links).to_have_text(
        ["The email address or password is not right. Check both and try again."]
    )
    # Still on the sign-in page, not signed in.
    assert page.url.startswith(url(live_server, SIGN_IN))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)


def test_signing_in_with_an_empty_form_asks_for_both_fields(page, live_server):
    page.goto(url(live_server, SIGN_IN))
    page.get_by_role("button", name="Sign in").click()

    summary = error_summary(page)
    expect(summary.locator(".govuk-error-summary__title")).to_have_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(summary.locator(".govuk-error-summary__list a")).to_have_text(
        ["Enter your email address", "Enter your password"]
    )
    # Each message is also shown by its field, and the summary links there.
    expect(page.locator("#id_username-error")).to_contain_text("Enter your email address")
    expect(page.locator("#id_password-error")).to_contain_text("Enter your password")
    hrefs = summary.locator(".govuk-error-summary__list a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs == ["#id_username", "#id_password"]
    assert_accessible(page)


def test_sign_out_returns_to_the_sign_in_page(page, live_server):
    sign_in(page, live_server, PRACTITIONER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Priya")

    menu = page.get_by_role("navigation", name="Menu")
    # Sign out is a form button, but looks like the navigation links beside it.
    colours = [
        menu.get_by_role(role, name=name).evaluate("e => getComputedStyle(e).color")
        for role, name in [("link", "Cases"), ("button", "Sign out")]
    ]
    assert colours[0] == colours[1], colours
    menu.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(url(live_server, SIGN_IN))
    expect(page).to_have_title(re.compile(r"^Sign in\b"))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page)
    # Really signed out: the home page now sends us to sign in.
    page.goto(url(live_server, "/"))
    expect(page).to_have_url(re.compile(re.escape(url(live_server, SIGN_IN))))
