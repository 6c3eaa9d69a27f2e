"""The local authority administrator invites a user, who then chooses a
password and signs in."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LA_ADMIN, assert_accessible, sign_in, url

pytestmark = pytest.mark.browser

NEW_EMAIL = "nadia.newstarter@northmoor.example"
NEW_NAME = "Nadia Newstarter"
ORGANISATION = "Northmoor Primary School"
ROLE = "Practitioner"
NEW_PASSWORD = "violet-harbour-lantern-42"


def open_invite_form(page, live_server):
    sign_in(page, live_server, LA_ADMIN)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users in Northmoor Borough Council")
    page.get_by_role("button", name="Invite a user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a user")
    assert_accessible(page)


def test_la_admin_invites_a_user_who_then_signs_in(page, live_server, mailoutbox):
    open_invite_form(page, live_server)
    page.get_by_label("Email address").fill(NEW_EMAIL)
    page.get_by_label("Full name").fill(NEW_NAME)
    page.get_by_label(ORGANISATION, exact=True).check()
    page.get_by_label(ROLE, exact=True).check()
    page.get_by_role("button", name="Send invitation").click()

    expect(page).to_have_url(url(live_server, "/accounts/users/"))
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(f"Invitation sent to {NEW_EMAIL}")
    row = page.locator("table.govuk-table tbody tr").filter(has_text=NEW_EMAIL)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(NEW_NAME)
    expect(row).to_contain_text(ORGANISATION)
    expect(row).to_contain_text(ROLE)
    assert_accessible(page)

    # The invitation email carries a one-time link to choose a password.
    assert [message.to for message in mailoutbox] == [[NEW_EMAIL]]
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    page.get_by_role("button", name="Sign out").click()
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    assert_accessible(page)
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your password is set. Sign in to continue."
    )
    assert_accessible(page)

    sign_in(page, live_server, NEW_EMAIL, password=NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Nadia")


def test_inviting_with_an_empty_form_shows_every_error(page, live_server, mailoutbox):
    open_invite_form(page, live_server)
    page.get_by_role("button", name="Send invitation").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.locator(".govuk-error-summary__title")).to_have_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error: Invite a user"))
    links = summary.locator(".govuk-error-summary__list a")
    expect(links).to_have_text(
        [
            "Enter the person's work email address",
            "Enter the person's full name",
            "Choose at least one organisation",
            "Choose at least one role",
        ]
    )
    hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs[:2] == ["#id_email", "#id_full_name"]
    for href in hrefs:
        expect(page.locator(href)).to_have_count(1)
    assert_accessible(page)
    # Clicking a summary link moves focus to its field.
    links.filter(has_text="Choose at least one role").click()
    expect(page.locator(hrefs[3])).to_be_focused()
    assert mailoutbox == []
