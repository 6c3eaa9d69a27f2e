"""The Early Help and Family Support Panel in a real browser, with axe-core on
every panel page: the coordinator arranges a panel, adds a member and a case;
the member signs in and reads the case; the coordinator records the decision
and closes the panel, and the member can no longer open the case."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from core import policy
from episodes.models import OPEN_STATUSES
from tests.browser.conftest import assert_accessible, sign_in, url

pytestmark = pytest.mark.browser

COORDINATOR = "panel@northmoor.example"
MEMBER = "health-visitor@northmoor.example"
MEMBER_LABEL = "Hannah Visitor, Northmoor Health Visiting Team"


def fill_date(scope, when):
    scope.get_by_label("Day").fill(str(when.day))
    scope.get_by_label("Month").fill(str(when.month))
    scope.get_by_label("Year").fill(str(when.year))


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def allow_refusal(page, status, path):
    """Drop the one console error the browser logs for a page answered with
    `status` (the not-found page, the closed panel's page), and only that."""
    pattern = re.compile(
        rf"^console error: Failed to load resource: the server responded with a status of "
        rf"{status} .*{re.escape(path)}\)$"
    )
    problems = page.problems
    fresh = problems.items[problems.reported :]
    allowed = [item for item in fresh if pattern.match(item)]
    assert len(allowed) == 1, f"Expected one {status} for {path}, got: {fresh}"
    problems.items.remove(allowed[0])


def case_only_the_panel_shows(member):
    """An open case of the member's council that she has no part in."""
    coordinator = User.objects.get(email=COORDINATOR)
    hidden = (
        policy.episodes_visible_to(coordinator)
        .filter(status__in=OPEN_STATUSES)
        .exclude(pk__in=policy.episodes_visible_to(member).values("pk"))
    )
    return hidden.order_by("pk").first()


@pytest.mark.long_running
def test_a_panel_from_arranging_to_closing(page, live_server):
    member = User.objects.get(email=MEMBER)
    case = case_only_the_panel_shows(member)
    assert case is not None, "the demo should have a case the health visitor cannot see"
    heading = page.get_by_role("heading", level=1)

    # The coordinator arranges a panel.
    sign_in(page, live_server, COORDINATOR)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Panels").click()
    expect(heading).to_have_text("Panels")
    assert_accessible(page)
    page.get_by_role("button", name="Arrange a panel").click()
    expect(heading).to_have_text("Arrange a panel")
    assert_accessible(page)
    page.get_by_role("button", name="Arrange the panel").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.locator(".govuk-error-summary__list a")).to_have_text(
        ["Enter the date of the panel"]
    )
    expect(page).to_have_title(re.compile(r"^Error: Arrange a panel"))
    assert_accessible(page)
    meets_on = timezone.localdate() + timedelta(days=10)
    fill_date(page.get_by_role("group", name="Date of the panel"), meets_on)
    page.get_by_role("button", name="Arrange the panel").click()
    expect(heading).to_have_text(f"Panel on {meets_on:%-d %B %Y}")
    panel_url = page.url
    assert_accessible(page)

    # A member from a partner agency, and a case.
    page.get_by_role("link", name="Add a member").click()
    expect(heading).to_have_text("Add a member")
    assert_accessible(page)
    page.get_by_label("Who will sit on the panel").select_option(label=MEMBER_LABEL)
    page.get_by_role("button", name="Add to the panel").click()
    expect(page.locator("#members")).to_contain_text(MEMBER_LABEL)

    page.get_by_role("link", name="Add a case to the agenda").click()
    expect(heading).to_have_text("Add a case to the agenda")
    assert_accessible(page)
    page.get_by_label("Reference of an open case").fill(case.reference)
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator("#agenda")).to_contain_text(case.reference)
    assert_accessible(page)
    sign_out(page)

    # The member sees the case on her home page and reads it, without work actions.
    sign_in(page, live_server, MEMBER)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{case.reference}: On the agenda of the Early Help and Family Support Panel on "
        f"{meets_on:%-d %B %Y}"
    )
    panels = page.locator("#panels-you-sit-on")
    expect(panels.get_by_role("heading", level=2)).to_have_text("Panels you sit on")
    assert_accessible(page)
    panels.get_by_role("link", name=case.reference, exact=True).click()
    expect(page).to_have_url(url(live_server, f"/cases/{case.pk}/"))
    expect(page.locator("#panel-summary")).to_contain_text(
        f"On the agenda of the panel on {meets_on:%-d %B %Y}."
    )
    expect(page.get_by_role("button", name=re.compile("consent", re.IGNORECASE))).to_have_count(0)
    expect(page.get_by_role("link", name="Add a case note")).to_have_count(0)
    assert_accessible(page)
    sign_out(page)

    # The coordinator records the decision and closes the panel.
    sign_in(page, live_server, COORDINATOR)
    page.goto(panel_url)
    page.get_by_role("link", name=f"Record the decision for {case.reference}").click()
    expect(heading).to_have_text(f"What the panel decided for {case.reference}")
    assert_accessible(page)
    page.get_by_label("Return to the Team Around the Family with advice").check()
    page.get_by_label("The panel's reasons and advice").fill(
        "A family support worker from the early help service should offer to lead."
    )
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("#agenda")).to_contain_text("A family support worker")
    page.get_by_role("button", name="Close the panel").click()
    expect(heading).to_have_text("Are you sure you want to close the panel?")
    assert_accessible(page)
    page.get_by_role("button", name="Close the panel").click()
    expect(page.get_by_text("Closed", exact=True)).to_be_visible()
    assert_accessible(page)
    page.goto(f"{panel_url}members/")
    expect(heading).to_have_text("This panel has closed")
    allow_refusal(page, 409, "/members/")
    assert_accessible(page)
    sign_out(page)

    # The member can no longer open the case.
    sign_in(page, live_server, MEMBER)
    expect(
        page.locator("#panels-you-sit-on").get_by_role("link", name=case.reference)
    ).to_have_count(0)
    page.goto(url(live_server, f"/cases/{case.pk}/"))
    expect(heading).to_have_text("Page not found")
    allow_refusal(page, 404, f"/cases/{case.pk}/")
    assert_accessible(page)
