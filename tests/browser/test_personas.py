"""Each demo persona signs in and visits every page its navigation offers,
with axe-core run on each page; a case-seeing persona also corrects a person's
details with mistakes and sees the GOV.UK error pattern."""

import re

import pytest
from playwright.sync_api import expect

from people.models import Person
from tests.browser.conftest import (
    EHO,
    LA_ADMIN,
    MANAGER,
    PRACTITIONER,
    SYSTEM_ADMIN,
    assert_accessible,
    sign_in,
    url,
)

pytestmark = pytest.mark.browser

# What each persona's service navigation offers (the Sign out button aside).
PANEL_COORDINATOR = "panel@northmoor.example"
PERSONAS = {
    PRACTITIONER: ["Cases", "Worklist", "Who to call"],
    EHO: [
        "Cases",
        "Worklist",
        "Advice line",
        "Police notifications",
        "Quality assurance",
        "Who to call",
    ],
    MANAGER: [
        "Cases",
        "Worklist",
        "Advice line",
        "Police notifications",
        "Quality assurance",
        "Reports",
        "Panels",
        "Who to call",
    ],
    PANEL_COORDINATOR: ["Cases", "Worklist", "Police notifications", "Panels", "Who to call"],
    LA_ADMIN: [
        "Users",
        "Council settings",
        "Districts and schools",
        "Quality criteria",
        "Who to call",
    ],
    SYSTEM_ADMIN: ["System admin"],
}
# Pages of our own reached from the navigation; "System admin" is Django's admin.
SERVICE_PAGES = {
    "Cases": "Cases",
    "Panels": "Panels",
    "Users": "Users",
    "Council settings": "Council settings",
    "Districts and schools": "Districts and schools",
    "Who to call": "Who to call",
    "Advice line": "Advice line",
    "Police notifications": "Police notifications",
    "Worklist": "Worklist: drift and delay",
    "Quality assurance": "Quality assurance",
    "Quality criteria": "Quality criteria",
    "Reports": "Reports",
}
CASE_PERSONAS = [PRACTITIONER, EHO, MANAGER]

BAD_NHS_NUMBER = "1234567890"
BAD_POSTCODE = "NOT A POSTCODE"
NHS_ERROR = "NHS number is not valid: check each digit again, it may have been mistyped"
POSTCODE_ERROR = "Enter a full UK postcode, like AA1 1AA"


def navigation(page):
    return page.get_by_role("navigation", name="Menu")


def summary_value(page, key):
    """The value beside `key` in the page's summary list."""
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(f"^{key}$"))
    )
    return row.locator(".govuk-summary-list__value").inner_text().strip()


@pytest.mark.parametrize("email", list(PERSONAS))
def test_persona_visits_every_page_in_reach(page, live_server, email):
    sign_in(page, live_server, email)
    expect(page).to_have_url(url(live_server, "/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Hello, "))
    assert_accessible(page)

    links = navigation(page).get_by_role("link")
    expect(links).to_have_text(PERSONAS[email])

    for text in PERSONAS[email]:
        if text not in SERVICE_PAGES:
            continue
        navigation(page).get_by_role("link", name=text).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(SERVICE_PAGES[text])
        # The current page is marked in the navigation.
        expect(navigation(page).get_by_role("link", name=text)).to_have_attribute(
            "aria-current", "page"
        )
        assert_accessible(page)

    page.get_by_role("link", name="Early Help", exact=True).click()
    expect(page).to_have_url(url(live_server, "/"))
    assert_accessible(page)

    footer = page.locator("footer")
    footer.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accessibility statement for Early Help"
    )
    assert_accessible(page)

    page.locator("footer").get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    assert_accessible(page)


def test_people_without_case_roles_are_told_so(page, live_server):
    sign_in(page, live_server, LA_ADMIN)
    expect(page.get_by_text("Your roles do not include access to case records.")).to_be_visible()
    expect(page.get_by_role("link", name="See your cases")).to_have_count(0)


@pytest.mark.parametrize("email", CASE_PERSONAS)
def test_correcting_a_person_with_mistakes_shows_errors_and_saves_nothing(page, live_server, email):
    sign_in(page, live_server, email)
    navigation(page).get_by_role("link", name="Cases").click()
    cases = page.locator("table.govuk-table tbody tr")
    expect(cases.first).to_be_visible()
    cases.first.get_by_role("link").first.click()
    expect(page.get_by_role("link", name="Back to cases")).to_be_visible()
    assert_accessible(page)

    family = page.locator("table.govuk-table", has=page.get_by_text("Family members"))
    family.locator("tbody tr").first.get_by_role("link").click()
    person_name = page.get_by_role("heading", level=1).inner_text().strip()
    person_url = page.url
    assert re.search(r"/people/\d+/$", person_url)
    old_nhs = summary_value(page, "NHS number")
    old_address = summary_value(page, "Address")
    assert old_address, "the demo person should have an address"
    assert_accessible(page)

    page.get_by_role("button", name="Change details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Change details for {person_name}")
    assert_accessible(page)
    page.get_by_label("NHS number").fill(BAD_NHS_NUMBER)
    page.get_by_label("Postcode").fill(BAD_POSTCODE)
    page.get_by_role("button", name="Save details").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary.locator(".govuk-error-summary__title")).to_have_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error: Change details for "))
    summary_links = summary.locator(".govuk-error-summary__list a")
    expect(summary_links).to_have_text([POSTCODE_ERROR, NHS_ERROR])
    # The fields keep what was typed, so it can be corrected.
    expect(page.get_by_label("NHS number")).to_have_value(BAD_NHS_NUMBER)
    expect(page.get_by_label("Postcode")).to_have_value(BAD_POSTCODE)
    assert_accessible(page)

    for message, field_id in [(POSTCODE_ERROR, "id_postcode"), (NHS_ERROR, "id_nhs_number")]:
        link = summary_links.filter(has_text=message)
        expect(link).to_have_attribute("href", f"#{field_id}")
        expect(page.locator(f"#{field_id}-error")).to_contain_text(message)
        link.click()
        expect(page.locator(f"#{field_id}")).to_be_focused()

    # Nothing was half-saved: the person page still shows the old details.
    page.get_by_role("link", name="Back", exact=True).click()
    expect(page).to_have_url(person_url)
    assert summary_value(page, "NHS number") == old_nhs
    assert summary_value(page, "Address") == old_address
    expect(page.locator(".govuk-notification-banner")).to_have_count(0)
    person = Person.objects.get(pk=int(person_url.rstrip("/").rsplit("/", 1)[1]))
    assert person.nhs_number != BAD_NHS_NUMBER
    assert person.postcode != BAD_POSTCODE
    assert person.postcode in old_address
