"""The LA administrator finds an email that could not be sent and sends it again."""

import pytest
from playwright.sync_api import expect

from accounts.models import LocalAuthority
from notifications.models import OutgoingEmail
from tests.browser.conftest import LA_ADMIN, assert_accessible, sign_in, url

pytestmark = pytest.mark.browser

SUBJECT = "Early Help: you have been added to a case"


def test_la_admin_sends_a_failed_email_again(page, live_server, mailoutbox):
    council = LocalAuthority.objects.get(name="Northmoor Borough Council")
    OutgoingEmail.objects.create(
        local_authority=council,
        recipients=["worker@northmoor.example"],
        subject=SUBJECT,
        body="Sign in to Early Help.\n",
        status=OutgoingEmail.Status.FAILED,
        attempts=5,
        last_error="SMTPServerDisconnected",
    )
    sign_in(page, live_server, LA_ADMIN)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users").click()
    page.get_by_role("link", name="Emails that could not be sent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Emails that could not be sent")
    row = page.locator("table.govuk-table tbody tr").filter(has_text=SUBJECT)
    expect(row).to_contain_text("worker@northmoor.example")
    expect(row).to_contain_text("SMTPServerDisconnected")
    assert_accessible(page)

    row.get_by_role("button", name="Send again").click()
    expect(page).to_have_url(url(live_server, "/notifications/failed-emails/"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Email sent again")
    expect(page.get_by_text("No email has failed.")).to_be_visible()
    assert [m.subject for m in mailoutbox] == [SUBJECT]
    assert_accessible(page)
