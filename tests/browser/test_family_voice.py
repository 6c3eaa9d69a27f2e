"""A family member's link pages in the browser: a child's feedback in
Arabic (right to left, faces beside words) and the family's plan online,
each checked with axe."""

import pytest
from playwright.sync_api import expect

from families import services
from tests.browser.conftest import assert_accessible, url
from tests.families.test_family_voice import Case

pytestmark = pytest.mark.browser


def test_a_child_answers_in_arabic_and_a_parent_reads_the_plan(page, live_server):
    case = Case()
    case.child.preferred_language = "ar"
    case.child.save()
    feedback = services.issue_feedback_link(case.lead, case.episode, case.child, review=case.review)
    page.goto(url(live_server, feedback.url))
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("ما رأيك؟")
    assert_accessible(page)
    page.get_by_role("group", name="هل استمع إليك الأشخاص الذين يساعدونك؟").get_by_label(
        "نعم"
    ).check()
    page.get_by_role("button", name="إرسال").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("شكرًا لك")
    assert_accessible(page)

    plan = services.issue_plan_link(case.lead, case.episode, case.parent)
    page.goto(url(live_server, plan.url))
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan Twojej rodziny")
    expect(page.get_by_text("Breakfast club three days a week")).to_be_visible()
    assert_accessible(page)
    # Used once: the page every dead link shows, answered 404 (the browser
    # says so in its console, and that is all it says).
    page.goto(url(live_server, feedback.url))
    expect(page.get_by_role("heading", level=1)).to_have_text("هذا الرابط لا يعمل")
    [expected] = page.problems.new()
    assert "status of 404" in expected
    assert_accessible(page)
