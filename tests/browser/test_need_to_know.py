"""Need-to-know in a real browser: a lead professional restricts a parent's
address; a manager not named on the restriction sees that something is held
back but never the address; the access log shows the lead's view of it."""

import pytest
from playwright.sync_api import expect

from episodes.models import Status
from people.models import Relationship
from tests.browser.conftest import assert_accessible, sign_in, url

pytestmark = pytest.mark.browser


def sign_out(page):
    page.get_by_role("button", name="Sign out").first.click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_a_restricted_address_is_shown_only_to_the_lead_and_its_views_are_logged(page, live_server):
    from episodes.models import Episode

    episode = (
        Episode.objects.filter(
            local_authority__slug="northmoor", status=Status.PLAN, lead_professional__isnull=False
        )
        # Not the demo's own restricted parent.
        .exclude(family__memberships__person__restrictions__isnull=False)
        .select_related("lead_professional")
        .first()
    )
    parent = episode.family.memberships.get(relationship=Relationship.PARENT).person
    address = parent.address_line_1
    assert address, "demo parents have an address"
    lead = episode.lead_professional

    sign_in(page, live_server, lead.email)
    page.goto(url(live_server, f"/people/{parent.pk}/"))
    page.get_by_role("link", name="Restrict part of this record").click()
    assert_accessible(page)
    page.get_by_role("button", name="Restrict").click()  # nothing chosen: errors
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what to restrict")
    assert_accessible(page)
    page.get_by_label("Address", exact=True).check()
    page.get_by_label("Why is it restricted?").fill("Fleeing domestic abuse")
    page.get_by_role("button", name="Restrict").click()
    expect(page.locator("main")).to_contain_text(address)
    expect(page.locator("main")).to_contain_text("Restricted: shown to you")
    assert_accessible(page)
    sign_out(page)

    sign_in(page, live_server, "manager@northmoor.example")
    page.goto(url(live_server, f"/people/{parent.pk}/"))
    expect(page.locator("main")).to_contain_text("Part of this record is restricted")
    expect(page.locator("main")).not_to_contain_text(address)
    expect(page.locator("main")).not_to_contain_text("Fleeing domestic abuse")
    page.goto(url(live_server, f"/cases/{episode.pk}/"))
    expect(page.locator("main")).not_to_contain_text(address)
    page.get_by_role("link", name="Who has looked at this case").click()
    expect(page.locator("main")).to_contain_text(lead.email)
    expect(page.locator("main")).to_contain_text("Restricted information")
    assert_accessible(page)
