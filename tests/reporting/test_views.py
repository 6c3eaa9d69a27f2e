import csv
import io
import re

import pytest
from openpyxl import load_workbook

from audit.models import Action, AuditEvent
from core import policy
from reporting import views
from reporting.definitions import Period
from reporting.report import build, flat_rows
from tests.reporting.world import END, START, World

URL = "/reports/partnership/"
PERIOD = {
    "start-day": "1",
    "start-month": "4",
    "start-year": "2025",
    "end-day": "31",
    "end-month": "3",
    "end-year": "2026",
}


@pytest.fixture
def world(db):
    return World()


def test_only_the_councils_managers_may_see_its_reports(world, manager, eho, other_la_manager):
    assert policy.can_see_council_reports(world.manager, world.la)
    assert not policy.can_see_council_reports(eho)
    assert not policy.can_see_council_reports(other_la_manager, world.la)


def test_the_page_shows_the_figures_with_definitions_and_accessible_charts(world, client_for):
    client = client_for(world.manager)
    response = client.get(URL, PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Requests for early help" in page
    assert "What is counted" in page and "What is left out" in page
    assert 'role="img"' in page and "<title id=" in page
    assert "[c]" in page
    assert "a row may not add up exactly to its total" in page  # the cell key method's noise
    assert " style=" not in page and "<script>" not in page.split("</header>")[-1]
    event = AuditEvent.objects.filter(action=Action.EXPORT).latest("sequence")
    assert event.changes["report"] == "partnership_report" and event.changes["format"] == "page"
    assert event.changes["from"] == "2025-04-01" and event.changes["to"] == "2026-03-31"


def test_the_downloads_hold_the_same_figures_as_the_page(world, client_for):
    client = client_for(world.manager)
    expected = flat_rows(build(world.la, Period(START, END)))
    response = client.get(URL, {**PERIOD, "format": "csv"})
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    figures = [r for r in rows if r["figure"] and r["value"] is not None][: len(expected)]
    assert [dict(r) for r in figures] == expected
    response = client.get(URL, {**PERIOD, "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Figures", "Definitions", "About"]
    sheet = list(book["Figures"].iter_rows(values_only=True))
    assert [str(v) for v in sheet[1 + 4]] == list(expected[4].values())
    assert len(sheet) == len(expected) + 1
    formats = [e.changes["format"] for e in AuditEvent.objects.filter(action=Action.EXPORT)]
    assert formats.count("csv") == 1 and formats.count("xlsx") == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end-year": "2024"}, "The last day must be the same as or after the first day"),
        ({"start-day": "٣"}, "written in numbers"),
        ({"start-year": "99999999999999999999"}, "Year must include 4 numbers"),
        ({"end-day": "31", "end-month": "2"}, "must be a real date"),
        ({"start-year": "2023"}, "at most two years"),
        ({"start-day": "", "start-month": "", "start-year": ""}, "Enter the first day"),
        ({"start-day": "1\x00"}, "written in numbers"),
    ],
)
def test_a_bad_period_is_explained_not_a_crash(world, client_for, changes, message):
    response = client_for(world.manager).get(URL, {**PERIOD, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_the_manager_is_linked_to_the_report(world, client_for):
    client = client_for(world.manager)
    assert 'href="/reports/"' in client.get("/").content.decode()
    assert URL in client.get("/reports/").content.decode()


def test_the_charts_draw_the_published_figures(world):
    world.la.report_key_salt = "synthetic salt 0"  # one that changes some bars
    report = build(world.la, Period(START, END))
    drawn, changed = 0, 0
    for section in report.sections:
        if not section.tables:
            continue
        table = section.tables[0]
        svg = str(views._chart(section, table))
        if len(table.columns) > 1:
            cells = table.rows[-1].cells
        else:
            cells = [row.cells[0] for row in table.rows[:-1]]
        values = re.findall(r'font-size="14" fill="#0b0c0c">([^<]*)</text>', svg)[1::2]
        assert values == [str(cell.shown) for cell in cells]
        drawn += len(values)
        changed += sum(1 for cell in cells if cell.noise)
    assert drawn > 20 and changed
