"""A manager's reports in a real browser, each checked for accessibility:
the Reports page, the partnership report with its charts and tables, the
performance indicators, the Supporting Families claim and the Annex A page.
The demo data gives each something to show."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MANAGER, assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.long_running
def test_a_manager_opens_every_report_and_each_is_accessible(page, live_server):
    sign_in(page, live_server, MANAGER)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    assert_accessible(page)

    page.get_by_role("link", name="Partnership report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partnership report")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("link", name=re.compile("Download as CSV"))).to_be_visible()
    # Each chart is an image with a name, and a table says the same.
    expect(page.locator("svg[role=img]").first).to_have_attribute(
        "aria-labelledby", re.compile(".")
    )
    expect(page.locator("table.govuk-table").first).to_be_visible()
    assert_accessible(page)

    page.go_back()
    page.go_back()
    page.get_by_role("link", name="Performance indicators").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance indicators")
    expect(page.locator("svg[role=img]")).to_have_count(4)
    page.get_by_label("Show the trend for").select_option(index=1)
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("svg[role=img]")).to_have_count(4)
    assert_accessible(page)

    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="Supporting Families claim").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Supporting Families")
    assert_accessible(page)

    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name=re.compile("Ofsted early help list")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annex A")
    assert_accessible(page)
