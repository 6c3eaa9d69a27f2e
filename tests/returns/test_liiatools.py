"""Our Annex A List 2 passes liiatools' Annex A cleaning (liiatools 0.2.0, what
councils clean Annex A files with) with no formatting or blank errors.

liiatools pins old pandas, so it runs in its own environment, made once by
scripts/liiatools_env.py (`make test` makes it before the suites; here it is
made if missing, never skipped) and run as a separate process on the
workbook we export."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook

from returns import annex_a
from returns import annex_a_codes as codes
from tests.returns import world as synthetic
from tests.returns.world import AS_OF

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
    "liiatools_env", ROOT / "scripts" / "liiatools_env.py"
)
assert spec is not None and spec.loader is not None
liiatools_env = importlib.util.module_from_spec(spec)
spec.loader.exec_module(liiatools_env)
CHECK = ROOT / "scripts" / "liiatools_annex_a_check.py"


@pytest.fixture(scope="module")
def liiatools_python():
    return liiatools_env.ensure()


def cleaned(python, path):
    result = subprocess.run(
        [str(python), str(CHECK), str(path)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_our_export_passes_list_2_cleaning(
    liiatools_python, la, other_la, manager, involved, school, tmp_path
):
    synthetic.build(la, other_la, manager, involved, school)
    ours = annex_a.rows(la, AS_OF)
    path = tmp_path / "annex-a.xlsx"
    path.write_bytes(annex_a.export(la, AS_OF, actor=manager))

    report = cleaned(liiatools_python, path)

    (table,) = report["tables"]
    assert table["sheet_name"] == "List 2"
    assert table["match_error"] is None
    assert table["formatting_errors"] == []
    assert table["blank_errors"] == []
    assert table["extra_columns"] == []
    assert table["duplicate_columns"] == []
    # liiatools' own log: nothing made blank, no blank that must hold data, no
    # unexpected column (it does list the other Annex A lists as missing).
    assert "could not be formatted" not in report["log"]
    assert "should have contained data" not in report["log"]
    assert "unexpected columns" not in report["log"]
    assert "Failed to find a set of matching columns" not in report["log"]
    # It read every row, every code as the code we wrote, and dates as dates.
    rows = [row for row in table["rows"] if row.get("Child Unique ID")]
    assert len(rows) == len(ours) == 7
    for theirs, row in zip(rows, ours, strict=True):
        assert theirs[codes.CHILD_ID] == row.child_id
        assert theirs[codes.GENDER] == row.gender
        assert theirs[codes.ETHNICITY] == row.ethnicity
        assert theirs[codes.ASSESSMENT_START] == {
            "date": row.assessment_start.isoformat(),
            "type": "date",
        }
        assert theirs[codes.AGE] == ("" if row.age is None else row.age)
        assert theirs[codes.ORGANISATION] == row.organisation


def test_every_code_we_write_is_one_liiatools_accepts(liiatools_python, tmp_path):
    """Each Annex A gender and ethnicity form, in a row of its own."""
    forms = [(g, "a) WBRI") for g in codes.GENDER_CODES.values()] + [
        ("a) Male", e) for e in codes.ETHNICITY_CODES.values()
    ]
    book = Workbook()
    sheet = book.active
    sheet.title = codes.SHEET
    sheet.append(codes.HEADER)
    for n, (gender, ethnicity) in enumerate(forms):
        row = annex_a.Row(f"SYNTH{n:04d}", gender, ethnicity, None, None, AS_OF, None, "Synthetic")
        sheet.append(row.values())
    path = tmp_path / "codes.xlsx"
    book.save(path)

    (table,) = cleaned(liiatools_python, path)["tables"]
    assert table["formatting_errors"] == []
    assert [(r["Gender"], r["Ethnicity"]) for r in table["rows"]] == forms


def test_the_check_does_find_errors(liiatools_python, tmp_path):
    """The check can fail: a later template's "t) NOBT", a blank gender and a
    start date that is text are each reported."""
    book = Workbook()
    sheet = book.active
    sheet.title = codes.SHEET
    sheet.append(codes.HEADER)
    sheet.append(["SYNTH0001", "a) Male", "t) NOBT", None, None, AS_OF, None, "Synthetic"])
    sheet.append(["SYNTH0002", None, "a) WBRI", None, None, "not a date", None, "Synthetic"])
    path = tmp_path / "wrong.xlsx"
    book.save(path)

    (table,) = cleaned(liiatools_python, path)["tables"]
    assert sorted(table["formatting_errors"]) == ["Assessment start date", "Ethnicity"]
    assert "Gender" in table["blank_errors"]


def test_the_environment_is_made_once_and_make_knows_it(liiatools_python):
    """A second call finds the environment ready (the stamp matches the pinned
    file and the Python) and changes nothing; the Makefile makes it before the
    suites, so CI never lacks it."""
    stamp = liiatools_python.parent.parent / liiatools_env.STAMP_NAME
    made = stamp.read_text()
    assert liiatools_env.ensure() == liiatools_python
    assert stamp.read_text() == made
    makefile = (ROOT / "Makefile").read_text()
    assert "test-sqlite: install-dev assets liiatools-env" in makefile
    assert "test-postgres: install-dev assets liiatools-env" in makefile
