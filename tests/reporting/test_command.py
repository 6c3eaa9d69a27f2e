import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from audit.models import Action, AuditEvent
from reporting.definitions import Period
from reporting.report import build, flat_rows
from tests.reporting.world import END, START, World


@pytest.fixture
def world(db):
    return World()


def _run(*args):
    out = io.StringIO()
    call_command("partnership_report", *args, stdout=out)
    return out.getvalue()


def test_the_command_writes_the_pages_figures(world, tmp_path):
    expected = flat_rows(build(world.la, Period(START, END)))
    out = tmp_path / "report.csv"
    said = _run(
        "--la", "figureshire", "--from", "2025-04-01", "--to", "2026-03-31", "--out", str(out)
    )
    assert "Figureshire Council" in said
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [dict(r) for r in rows[: len(expected)]] == expected
    book = tmp_path / "report.xlsx"
    _run("--la", "figureshire", "--from", "2025-04-01", "--to", "2026-03-31", "--out", str(book))
    sheet = list(load_workbook(book)["Figures"].iter_rows(values_only=True))
    assert [[str(v) for v in row] for row in sheet[1:]] == [list(r.values()) for r in expected]
    events = AuditEvent.objects.filter(action=Action.EXPORT, reason="partnership_report")
    assert sorted(e.changes["format"] for e in events) == ["csv", "xlsx"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--la", "nowhere"), "No council with the slug 'nowhere'"),
        (("--from", "2025-13-01"), "--from must be a date written as YYYY-MM-DD"),
        (("--to", "٢٠٢٦-03-31"), "--to must be a date"),
        (("--to", "2025-01-01"), "--to must be the same day as --from or after it"),
        (("--out", "report.pdf"), "--out must end in .xlsx or .csv"),
        (("--out", "/no/such/folder/report.csv"), "There is no folder"),
    ],
)
def test_bad_arguments_are_explained(world, tmp_path, args, message):
    given = {"--la": "figureshire", "--from": "2025-04-01", "--to": "2026-03-31"}
    given["--out"] = str(tmp_path / "report.csv")
    given.update(dict(zip(args[::2], args[1::2], strict=True)))
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        _run(*[part for pair in given.items() for part in pair])
    assert not AuditEvent.objects.filter(reason="partnership_report").exists()
