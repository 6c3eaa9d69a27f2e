"""The managers' page and the targets form."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from audit.models import Action, AuditEvent
from episodes.models import Episode, Status
from performance.charts import Point, column_chart
from performance.models import Targets
from tests.factories import EpisodeFactory, UserFactory

VALID = {
    "assessment_on_time": "85",
    "first_review_on_time": "80",
    "reviews_on_time": "80",
    "re_requests": "20",
    "amber_points": "5",
}


def _last_month_case(la, district, school, involved, *, completed=True):
    """A request due (45 days on) in the middle of last month."""
    first = timezone.localdate().replace(day=1)
    due = (first - datetime.timedelta(days=1)).replace(day=15)
    requested = timezone.make_aware(
        datetime.datetime.combine(due - datetime.timedelta(days=45), datetime.time(12))
    )
    episode = EpisodeFactory(
        local_authority=la, district=district, requesting_organisation=school, requested_by=involved
    )
    Episode.objects.filter(pk=episode.pk).update(
        requested_at=requested,
        status=Status.MEETING if completed else Status.ASSESSMENT,
        assessment_completed_at=requested + datetime.timedelta(days=10) if completed else None,
    )
    return episode


def test_a_manager_sees_each_indicator_with_its_status_chart_and_table(
    client_for, manager, la, district, school, involved
):
    for _n in range(5):
        _last_month_case(la, district, school, involved)
    response = client_for(manager).get("/performance/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Assessments completed within the timescale" in html
    assert "Re-requests within 12 months" in html
    # Five of five on time: 100% against 80%, green, in words as well.
    section = html[html.index('id="assessment_on_time"') :]
    assert "100%" in section
    assert "Meets target" in section
    # Each chart is an image with a title and description, and a table follows.
    charts = re.findall(r'<svg class="app-chart" id="([^"]+)" role="img"', html)
    assert charts == [
        "chart-assessment_on_time",
        "chart-first_review_on_time",
        "chart-reviews_on_time",
        "chart-re_requests",
    ]
    assert html.count('<title id="chart-') == 4
    assert html.count('<desc id="chart-') == 4
    assert html.count("month by month") >= 4
    assert "style=" not in html.split("<main", 1)[1]
    assert "<script>" not in html


def test_a_small_base_shows_c_and_no_status(client_for, manager, la, district, school, involved):
    _last_month_case(la, district, school, involved)
    html = client_for(manager).get("/performance/").content.decode()

    section = html[html.index('id="assessment_on_time"') : html.index('id="first_review_on_time"')]
    table = section.split("</svg>", 1)[1]  # the chart's axis says 100% too
    assert "[c]" in table
    assert "100%" not in table
    assert "Meets target" not in section
    assert "Not enough data" in section


def test_the_trend_can_be_shown_for_a_district_or_an_organisation_type(
    client_for, manager, la, district, school, involved
):
    client = client_for(manager)
    for value, heading in ((f"d{district.pk}", "District: Near District"), ("tschool", "School")):
        html = client.get("/performance/", {"show": value}).content.decode()
        assert f'<option value="{value}" selected>' in html
        assert heading in html
    # Anything else is the whole council.
    for value in ("d99999999999999999999999", "t\x00", "٣", "d-1"):
        response = client.get("/performance/", {"show": value})
        assert response.status_code == 200
        assert '<option value="" selected>' in response.content.decode()


def test_the_page_counts_in_the_same_number_of_queries_for_1_and_3_cases(
    client_for, manager, la, district, school, involved
):
    client = client_for(manager)
    client.get("/performance/")  # the session's first request does more
    counts = []
    for total in (1, 3):
        while Episode.objects.filter(local_authority=la).count() < total:
            _last_month_case(la, district, school, involved)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/performance/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.EARLY_HELP_OFFICER, Role.LA_ADMIN])
def test_only_managers_see_the_indicators(client_for, la, role):
    user = UserFactory(local_authority=la, roles=[role])
    assert client_for(user).get("/performance/").status_code == 403


def test_the_targets_are_on_the_council_settings_page(client_for, la_admin):
    html = client_for(la_admin).get("/accounts/settings/").content.decode()
    assert 'href="/performance/targets/"' in html


def test_a_manager_changes_the_targets_and_it_is_audited(client_for, manager, la):
    response = client_for(manager).post("/performance/targets/", {**VALID, "re_requests": "15"})

    assert response.status_code == 302
    targets = Targets.objects.get(local_authority=la)
    assert (targets.assessment_on_time, targets.re_requests) == (85, 15)
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="performance.targets")
    assert event.changes == {"fields": ["assessment_on_time", "re_requests"]}
    assert event.local_authority_id == la.pk


def test_reading_the_targets_writes_nothing(client_for, manager, la_admin, la):
    assert client_for(la_admin).get("/performance/targets/").status_code == 200
    assert client_for(manager).get("/performance/").status_code == 200
    assert not Targets.objects.filter(local_authority=la).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("assessment_on_time", "٣", "Enter a whole number from 0 to 100"),
        ("assessment_on_time", "²", "Enter a whole number from 0 to 100"),
        ("assessment_on_time", "101", "Enter a whole number from 0 to 100"),
        ("assessment_on_time", "-1", "Enter a whole number from 0 to 100"),
        ("assessment_on_time", "80.5", "Enter a whole number from 0 to 100"),
        ("assessment_on_time", "9" * 400, "Enter a whole number from 0 to 100"),
        ("assessment_on_time", "8\x000", "Enter a whole number from 0 to 100"),
        ("re_requests", "", "Enter a whole number from 0 to 100"),
        ("amber_points", "51", "Enter a whole number from 0 to 50"),
    ],
)
def test_a_bad_target_says_what_to_enter_and_saves_nothing(
    client_for, la_admin, la, field, value, message
):
    response = client_for(la_admin).post("/performance/targets/", {**VALID, field: value})

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    assert f'href="#id_{field}"' in html
    assert not Targets.objects.filter(local_authority=la).exists()
    assert not AuditEvent.objects.filter(object_type="performance.targets").exists()


def test_another_councils_manager_changes_only_their_own_targets(
    client_for, other_la_manager, la, other_la
):
    client_for(other_la_manager).post("/performance/targets/", {**VALID, "amber_points": "10"})
    assert Targets.objects.get(local_authority=other_la).amber_points == 10
    assert not Targets.objects.filter(local_authority=la).exists()


def test_a_chart_is_an_image_with_its_title_and_description_and_marks_suppressed_months():
    svg = str(
        column_chart(
            chart_id="chart-x",
            title="Reviews <on time>",
            description="Every month's figure",
            points=[Point("Jan 26", 50.0, "50%"), Point("Feb 26", None, "[c]")],
            target=80,
        )
    )
    assert svg.startswith('<svg class="app-chart" id="chart-x" role="img"')
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">Reviews &lt;on time&gt;</title>' in svg
    assert '<desc id="chart-x-desc">Every month&#x27;s figure</desc>' in svg
    assert svg.count('class="app-chart__column"') == 1
    assert ">[c]</text>" in svg
    assert 'class="app-chart__target"' in svg
    assert "style" not in svg


def test_a_manager_is_linked_to_the_indicators_from_home_and_the_navigation(
    client_for, manager, involved
):
    response = client_for(manager).get("/")
    assert 'href="/performance/"' in response.content.decode()
    assert {"href": "/reports/", "text": "Reports", "active": False} in response.context[
        "service_navigation"
    ]
    assert 'href="/performance/"' in client_for(manager).get("/reports/").content.decode()
    response = client_for(involved).get("/")
    assert 'href="/performance/"' not in response.content.decode()
