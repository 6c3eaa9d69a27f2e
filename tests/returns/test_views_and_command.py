"""The Annex A page for managers and the export_annex_a command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import Action, AuditEvent
from returns import annex_a
from tests.returns import world as synthetic
from tests.returns.world import AS_OF

URL = reverse("returns:annex_a")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def world(la, other_la, manager, involved, school):
    return synthetic.build(la, other_la, manager, involved, school)


def as_of(day):
    return {"as_of-day": str(day.day), "as_of-month": str(day.month), "as_of-year": str(day.year)}


def test_manager_downloads_the_list(client_for, manager, world, la):
    client = client_for(manager)
    page = client.get(URL)
    assert page.status_code == 200
    assert b"Annex A, List 2" in page.content
    response = client.post(URL, as_of(AS_OF))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == (
        'attachment; filename="annex-a-list-2-testshire-2026-03-31.xlsx"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = list(load_workbook(io.BytesIO(response.content))["List 2"].values)
    assert len(rows) - 1 == len(annex_a.rows(la, AS_OF)) == 7
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor_id == manager.pk and event.changes["as_of"] == "2026-03-31"


def test_the_manager_of_another_council_gets_their_own_councils_list(
    client_for, other_la_manager, world, other_la
):
    response = client_for(other_la_manager).post(URL, as_of(AS_OF))
    rows = list(load_workbook(io.BytesIO(response.content))["List 2"].values)[1:]
    assert [row[0] for row in rows] == [r.child_id for r in annex_a.rows(other_la, AS_OF)]
    assert len(rows) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the date to report as of"),
        ({"as_of-day": "1", "as_of-month": "1", "as_of-year": "2999"}, "must be between"),
        ({"as_of-day": "31", "as_of-month": "2", "as_of-year": "2026"}, "must be a real date"),
        ({"as_of-day": "٣", "as_of-month": "1", "as_of-year": "2026"}, "written in numbers"),
        ({"as_of-day": "1", "as_of-month": "1", "as_of-year": "9" * 40}, "4 numbers"),
        ({"as_of-day": "1\x00", "as_of-month": "1", "as_of-year": "2026"}, "written in numbers"),
    ],
)
def test_a_wrong_date_is_explained_and_nothing_is_exported(client_for, manager, data, message):
    response = client_for(manager).post(URL, data)
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_only_managers_see_the_page_and_its_link(client_for, manager, eho, involved, la_admin):
    assert URL in client_for(manager).get(reverse("reporting:index")).content.decode()
    for user in (eho, involved, la_admin):
        client = client_for(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, as_of(AS_OF)).status_code == 403
        assert URL not in client.get(reverse("core:home")).content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_command_writes_the_same_list_and_is_audited(world, la, tmp_path):
    out = tmp_path / "list.xlsx"
    stdout = io.StringIO()
    call_command("export_annex_a", la="testshire", out=str(out), as_of="2026-03-31", stdout=stdout)
    assert "assessments open from 2025-09-30" in stdout.getvalue()
    rows = list(load_workbook(out)["List 2"].values)[1:]
    assert [row[0] for row in rows] == [r.child_id for r in annex_a.rows(la, AS_OF)]
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor_id is None
    assert event.actor_label == "command line: export_annex_a"
    assert event.changes["rows"] == 7


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"la": "nowhere"}, "No council with the short name 'nowhere'"),
        ({"as_of": "31/03/2026"}, "is not a date: write it as YYYY-MM-DD"),
        ({"as_of": "2999-01-01"}, "must be between"),
        ({"out": "list.csv"}, "must end in .xlsx"),
        ({"out": "missing/list.xlsx"}, "No such folder"),
    ],
)
def test_command_errors_are_clear(la, tmp_path, arguments, message):
    options = {"la": "testshire", "out": "list.xlsx", **arguments}
    options["out"] = str(tmp_path / options["out"])
    with pytest.raises(CommandError, match=message.replace(".", r"\.").replace("(", r"\(")):
        call_command("export_annex_a", **options)
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
