"""Drift and delay in a real browser, with axe-core on the worklist pages
(issue 12): an overdue review appears on the district Early Help Officer's
worklist; the officer chases the lead professional and acknowledges it for a
few days; when the date comes it is back. The lead professional, chased,
refers the family to the panel, and the panel allocates a new lead
professional, which the case page shows."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import District, Organisation, User
from episodes import states
from episodes.models import Episode
from meetings.services import add_organisation
from notifications.models import Notification
from oversight.evaluation import evaluate
from oversight.models import Alert, EvaluationRun
from panels.models import Panel
from tests.browser.conftest import EHO, PRACTITIONER, assert_accessible, sign_in, url

pytestmark = pytest.mark.browser

COORDINATOR = "panel@northmoor.example"
NEW_LEAD = "health-visitor@northmoor.example"
NEW_LEAD_LABEL = "Hannah Visitor, Northmoor Health Visiting Team"
CHASED = "Please look at this case: Review overdue"


def fill_date(scope, when):
    scope.get_by_label("Day").fill(str(when.day))
    scope.get_by_label("Month").fill(str(when.month))
    scope.get_by_label("Year").fill(str(when.year))


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def summary_row(page, key):
    return (
        page.locator(".govuk-summary-list__row")
        .filter(has=page.locator(".govuk-summary-list__key", has_text=re.compile(f"^{key}$")))
        .locator(".govuk-summary-list__value")
    )


def review_overdue_row(page, case):
    """The worklist row of the case's overdue review (a case can have several alerts)."""
    return (
        page.get_by_role("row")
        .filter(has=page.get_by_role("link", name=case.reference, exact=True))
        .filter(has_text="Review overdue")
    )


def overdue_case_in_the_officers_district():
    """A demo case of the officer's district with an agreed plan led by the
    practitioner and never referred, made overdue for review: the plan was
    agreed two weeks more than the council's review interval ago. Health
    visiting joins its team, so the panel has someone else to allocate."""
    eho = User.objects.get(email=EHO)
    practitioner = User.objects.get(email=PRACTITIONER)
    district = District.objects.get(early_help_officer=eho)
    la = district.local_authority
    case = (
        Episode.objects.filter(
            district=district,
            status__in=states.statuses_waiting_for("record_review"),
            lead_professional=practitioner,
            referrals__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    assert case is not None, "the demo should have a planned case in the officer's district"
    agreed = timezone.now() - timedelta(weeks=la.review_interval_weeks + 2)
    Episode.objects.filter(pk=case.pk).update(plan_agreed_at=agreed, last_reviewed_at=None)
    health_visiting = Organisation.objects.get(
        local_authority=la, memberships__user__email=NEW_LEAD
    )
    add_organisation(practitioner, case, health_visiting)
    case.refresh_from_db()
    return la, case


@pytest.mark.long_running
def test_an_overdue_review_is_chased_acknowledged_comes_back_and_goes_to_panel(page, live_server):
    la, case = overdue_case_in_the_officers_district()
    today = timezone.localdate()
    # The daily drift job. The demo data ran today's already, before the case
    # was made overdue: run it again as tomorrow's run would.
    EvaluationRun.objects.filter(local_authority=la, day=today).delete()
    evaluate(la, today)
    alert = Alert.objects.get(rule="review_overdue", episode=case, resolved_on__isnull=True)
    heading = page.get_by_role("heading", level=1)
    banner = page.locator(".govuk-notification-banner")

    # The district's Early Help Officer finds the overdue review on the worklist.
    sign_in(page, live_server, EHO)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Worklist").click()
    expect(heading).to_have_text("Worklist: drift and delay")
    page.get_by_role("link", name=re.compile(r"^Review overdue \(\d+\)$")).click()
    row = review_overdue_row(page, case)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"Review was due {alert.due_since:%-d %b %Y}")
    expect(row).to_contain_text("Priya Practitioner")
    assert_accessible(page)

    # She chases the lead professional.
    row.get_by_role("link", name=f"Acknowledge or chase {case.reference}").click()
    expect(page).to_have_url(url(live_server, f"/worklist/{alert.pk}/acknowledge/"))
    expect(heading).to_have_text("Review overdue")
    expect(page.get_by_text(f"Overdue since {alert.due_since:%-d %B %Y}.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Ask Priya Practitioner to look at it").click()
    expect(banner).to_contain_text("Priya Practitioner has been asked to look at the case")
    assert Notification.objects.filter(
        user__email=PRACTITIONER, episode=case, message=CHASED, read_at__isnull=True
    ).exists()

    # She acknowledges it for five days: it leaves the worklist.
    page.goto(url(live_server, "/worklist/?rule=review_overdue"))
    review_overdue_row(page, case).get_by_role(
        "link", name=f"Acknowledge or chase {case.reference}"
    ).click()
    expect(
        page.get_by_text(f"The lead professional was last chased on {today:%-d %B %Y}.")
    ).to_be_visible()
    page.get_by_role("button", name="Acknowledge").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.locator(".govuk-error-summary__list a")).to_have_text(
        ["Say why it can wait, or what is being done", "Enter the date to look again"]
    )
    assert_accessible(page)
    page.get_by_label("Why it can wait, or what is being done").fill(
        "Priya is booking the review with the family this week."
    )
    look_again = today + timedelta(days=5)
    fill_date(page.get_by_role("group", name="Look again on"), look_again)
    page.get_by_role("button", name="Acknowledge").click()
    expect(banner).to_contain_text("Acknowledged: it comes back if still true")
    expect(heading).to_have_text("Worklist: drift and delay")
    page.goto(url(live_server, "/worklist/?rule=review_overdue"))
    expect(review_overdue_row(page, case)).to_have_count(0)
    page.goto(url(live_server, "/worklist/?rule=review_overdue&show=acknowledged"))
    expect(review_overdue_row(page, case)).to_contain_text(
        f"Acknowledged by Evan Officer until {look_again:%-d %b %Y}: "
        "Priya is booking the review with the family this week."
    )
    assert_accessible(page)

    # Five days pass and the review is still not done: it comes back.
    Alert.objects.filter(pk=alert.pk).update(acknowledged_until=today)
    page.goto(url(live_server, "/worklist/?rule=review_overdue"))
    expect(review_overdue_row(page, case)).to_have_count(1)
    assert_accessible(page)
    sign_out(page)

    # The lead professional sees she was chased, and refers the family to the panel.
    sign_in(page, live_server, PRACTITIONER)
    expect(banner).to_contain_text(f"{case.reference}: {CHASED}")
    page.goto(url(live_server, f"/cases/{case.pk}/"))
    page.get_by_role("link", name="Refer to the panel").click()
    expect(heading).to_have_text("Refer to the Early Help and Family Support Panel")
    page.get_by_label("The plan cannot be delivered").check()
    page.get_by_label("More detail").fill(
        "I cannot hold the review: my caseload has doubled. Health visiting knows the family."
    )
    page.get_by_role("button", name="Refer to the panel").click()
    expect(page).to_have_url(url(live_server, f"/cases/{case.pk}/"))
    expect(banner).to_contain_text("Referred to the Early Help and Family Support Panel")
    sign_out(page)

    # The panel coordinator puts the case on the open panel's agenda, and records
    # the panel's decision: health visiting's practitioner leads from now on.
    panel = Panel.objects.get(local_authority=la, closed_at__isnull=True)
    sign_in(page, live_server, COORDINATOR)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Panels").click()
    page.get_by_role("link", name=f"{panel.meets_on:%-d %B %Y}").click()
    expect(heading).to_have_text(f"Panel on {panel.meets_on:%-d %B %Y}")
    page.get_by_role("link", name="Add a case to the agenda").click()
    page.get_by_label(
        re.compile(rf"^{case.reference}, .*\(The plan cannot be delivered\)$")
    ).check()
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator("#agenda")).to_contain_text(case.reference)
    page.get_by_role("link", name=f"Record the decision for {case.reference}").click()
    expect(heading).to_have_text(f"What the panel decided for {case.reference}")
    page.get_by_label("Allocate a lead professional").check()
    page.get_by_label("The panel's reasons and advice").fill(
        "The health visitor knows the family well and will hold the review within two weeks."
    )
    page.get_by_label("If allocating a lead professional: who").select_option(label=NEW_LEAD_LABEL)
    page.get_by_label("The family's view on the lead professional").fill(
        "Mum would like the health visitor to lead."
    )
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("#agenda")).to_contain_text("The health visitor knows the family")

    # The case has its new lead professional.
    page.goto(url(live_server, f"/cases/{case.pk}/"))
    expect(summary_row(page, "Lead professional")).to_have_text("Hannah Visitor")
    expect(page.locator("#panel-summary")).to_contain_text(
        f"The panel on {panel.meets_on:%-d %B %Y} decided:"
    )
    case.refresh_from_db()
    assert case.lead_professional.email == NEW_LEAD
