"""The figures the scheduled job keeps (performance/figures.py): the page
and its download show them, with the council's targets as they are now and
when they were worked out; without fresh ones the page works them out and
keeps nothing."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import councils
from performance import figures
from performance.indicators import compute_all
from performance.models import Figures, Targets
from performance.services import targets_for
from performance.tasks import refresh_performance_figures
from tests.factories import DistrictFactory, OrganisationFactory, UserFactory
from tests.performance.test_views import _last_month_case


def _assessment_total(html):
    """The assessment indicator's row of the 12-month table, after its target:
    met, cases, figure, status."""
    row = html.split('href="#assessment_on_time"', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r'<td class="govuk-table__cell[^"]*">\s*(?:<strong[^>]*>)?([^<]+)', row)
    return [cell.strip() for cell in cells[1:]]


def test_the_page_shows_the_kept_figures_and_when_they_were_worked_out(
    client_for, manager, la, district, school, involved
):
    for _n in range(5):
        _last_month_case(la, district, school, involved)
    kept = figures.refresh(la)
    for _n in range(5):
        _last_month_case(la, district, school, involved, completed=False)
    client = client_for(manager)
    client.get("/performance/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/performance/").content.decode()
    assert _assessment_total(html)[:3] == ["5", "5", "100%"]
    at = timezone.localtime(kept.worked_out_at)
    assert f"Figures as at {at:%-d %B %Y, %H:%M}" in html
    # Read from the kept row: none of the indicators' own queries.
    assert not any("episodes_episode" in q["sql"] for q in queries.captured_queries)
    # The download is the same figures.
    lines = client.get("/performance/download.csv").content.decode().splitlines()
    council_bases = [
        int(line.split(",")[6])  # the "base" column
        for line in lines
        if line.startswith("assessment_on_time,") and ",council,Testshire Council," in line
    ]
    assert sum(council_bases) == 5
    # The next refresh counts the late ones.
    figures.refresh(la)
    assert _assessment_total(client.get("/performance/").content.decode())[:3] == [
        "5",
        "10",
        "50%",
    ]


def test_kept_figures_are_what_working_them_out_gives(la, district, school, involved):
    for completed in (True, True, False, True, True, False):
        _last_month_case(la, district, school, involved, completed=completed)
    figures.refresh(la)
    kept = figures.shown(la)
    assert kept.worked_out_at is not None
    live = compute_all(la, targets_for(la))
    assert [(r.indicator.key, r.months, r.series) for r in kept.results] == [
        (r.indicator.key, r.months, r.series) for r in live
    ]


def test_targets_changed_since_apply_at_once(client_for, manager, la, district, school, involved):
    for completed in (True, True, True, True, False):
        _last_month_case(la, district, school, involved, completed=completed)
    figures.refresh(la)
    client = client_for(manager)
    assert _assessment_total(client.get("/performance/").content.decode())[3] == "Meets target"
    Targets.objects.create(local_authority=la, assessment_on_time=95)
    assert _assessment_total(client.get("/performance/").content.decode())[3] != "Meets target"
    assert Figures.objects.get(local_authority=la).counts  # not worked out again


def test_old_or_missing_figures_are_worked_out_for_the_page_and_not_kept(
    client_for, manager, la, district, school, involved
):
    _last_month_case(la, district, school, involved)
    client = client_for(manager)
    html = client.get("/performance/").content.decode()
    assert "Figures as at now" in html and not Figures.objects.exists()
    three_hours_ago = timezone.now() - datetime.timedelta(hours=3)
    figures.refresh(la, now=three_hours_ago)
    for _n in range(5):
        _last_month_case(la, district, school, involved)
    html = client.get("/performance/").content.decode()
    assert "Figures as at now" in html and _assessment_total(html)[:2] == ["6", "6"]
    assert Figures.objects.get(local_authority=la).worked_out_at == three_hours_ago
    # Kept yesterday, even an hour ago: the months end on another day. (Half
    # an hour either side of today's midnight, whatever the time the test
    # runs: "yesterday plus an hour" was today after 11 pm.)
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    figures.refresh(la, now=midnight - datetime.timedelta(minutes=30))
    kept = Figures.objects.get(local_authority=la).worked_out_at
    assert kept == midnight - datetime.timedelta(minutes=30)
    assert figures.shown(la, now=midnight + datetime.timedelta(minutes=30)).worked_out_at is None
    # The same figures half an hour later on their own day are shown.
    assert figures.shown(la, now=kept + datetime.timedelta(minutes=20)).worked_out_at == kept


def test_the_job_keeps_each_councils_own_figures(la, other_la, district, school, involved):
    _last_month_case(la, district, school, involved)
    with councils.scope(other_la.pk):
        there = DistrictFactory(local_authority=other_la)
        their_school = OrganisationFactory(local_authority=other_la)
        worker = UserFactory(local_authority=other_la, organisation=their_school)
        for _n in range(3):
            _last_month_case(other_la, there, their_school, worker)
    done = refresh_performance_figures.call()
    assert set(done) == {la.slug, other_la.slug}

    def cases(council):
        with councils.scope(council.pk):
            kept = Figures.objects.get(local_authority=council).counts
        return sum(base for _met, base in kept["indicators"]["assessment_on_time"]["council|"])

    assert (cases(la), cases(other_la)) == (1, 3)
