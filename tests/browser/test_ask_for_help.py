"""A family asks for early help on the public page, in English and in
Arabic (right to left), and the district's Early Help Officer finds it."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import EHO, assert_accessible, sign_in, url

pytestmark = pytest.mark.browser


def _date(page, name, day, month, year):
    page.locator(f'input[name="{name}-day"]').fill(day)
    page.locator(f'input[name="{name}-month"]').fill(month)
    page.locator(f'input[name="{name}-year"]').fill(year)


def test_a_parent_asks_for_help_in_english_and_the_officer_finds_it(page, live_server):
    page.goto(url(live_server, "/en/ask-for-help/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask for early help for your family")
    assert_accessible(page)

    # Sent empty first: the error summary names each answer missing.
    page.get_by_role("button", name="Send your request").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your first name")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)

    page.get_by_label("A parent or carer").check()
    page.get_by_label("Your first name").fill("Synthia")
    page.get_by_label("Your last name").fill("Browserwell")
    page.locator("#id_child_1_first_name").fill("Tobi")
    page.locator("#id_child_1_last_name").fill("Browserwell")
    _date(page, "child_1_date_of_birth", "5", "6", "2016")
    page.get_by_label("Phone number").fill("07700 900 982")
    page.get_by_label("No, please do not leave messages").check()
    page.get_by_label("Is there a time when it is not safe to contact you?").fill(
        "Only in school hours"
    )
    page.get_by_label("Your postcode").fill("NM1 1AA")
    page.get_by_label("What are you worried about?").fill("Tobi will not go to school")
    page.get_by_label("I agree that the early help team can contact me").check()
    page.get_by_role("button", name="Send your request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending your request"
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("Tobi Browserwell")
    assert_accessible(page)
    page.get_by_role("button", name="Send your request").click()

    panel = page.locator(".govuk-panel--confirmation")
    expect(panel).to_contain_text("We have your request")
    expect(panel).to_contain_text(re.compile(r"FH\d{6}"))
    expect(page.locator("main")).not_to_contain_text("Browserwell")
    assert_accessible(page)
    reference = re.search(r"FH\d{6}", panel.inner_text()).group(0)

    sign_in(page, live_server, EHO)
    page.goto(url(live_server, "/family-requests/"))
    expect(page.locator("main")).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text("Tobi will not go to school")
    assert_accessible(page)


def test_the_arabic_page_is_right_to_left(page, live_server, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url(live_server, "/ar/ask-for-help/"))
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.get_by_role("heading", level=1)).to_have_text("اطلب المساعدة المبكرة لعائلتك")
    layout = page.evaluate(
        """() => {
            const column = document.querySelector('.govuk-grid-column-two-thirds');
            const row = column.parentElement.getBoundingClientRect();
            const box = column.getBoundingClientRect();
            const radio = document.querySelector('.govuk-radios__input').getBoundingClientRect();
            const label = document.querySelector('.govuk-radios__label').getBoundingClientRect();
            return {
                direction: getComputedStyle(document.querySelector('main')).direction,
                float: getComputedStyle(column).float,
                gapRight: Math.round(row.right - box.right),
                gapLeft: Math.round(box.left - row.left),
                radioRightOfLabel: radio.left >= label.right - 1,
            };
        }"""
    )
    assert layout["direction"] == "rtl"
    # The page's column starts on the right, and each radio sits to the right
    # of its label, as an Arabic reader expects.
    assert layout["float"] == "right"
    assert layout["gapRight"] < layout["gapLeft"]
    assert layout["radioRightOfLabel"]
    page.screenshot(path=str(tmp_path / "ask-for-help-ar.png"), full_page=True)
    assert (tmp_path / "ask-for-help-ar.png").stat().st_size > 10_000
    assert_accessible(page)
