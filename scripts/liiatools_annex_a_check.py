"""Run liiatools' Annex A cleaning on a workbook and print what it found, as
JSON. Runs in liiatools' own environment (scripts/liiatools_env.py), never in
the service's:

    .venv/liiatools/bin/python scripts/liiatools_annex_a_check.py FILE.xlsx

Two views of the same cleaning, both liiatools 0.2.0's own code:
- "tables": the stream `annex-a cleanfile` builds (configure, clean, degrade,
  log errors), stopped before it writes files, with each sheet's matched
  name, the columns it could not format (made blank), the blank cells that
  must hold data, unexpected and duplicate columns, and the cleaned rows;
- "log": the error log `annex-a cleanfile` itself writes for the file (it
  also lists the Annex A sheets the workbook does not have: we export List 2
  only).
"""

from __future__ import annotations

import datetime
import json
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner
from liiatools.datasets.annex_a.annex_a_cli import annex_a
from liiatools.datasets.annex_a.lds_annexa_clean import cleaner, degrade, logger
from liiatools.datasets.annex_a.lds_annexa_clean import configuration as clean_config
from sfdata_stream_parser import events
from sfdata_stream_parser.filters.column_headers import promote_first_row
from sfdata_stream_parser.parser import openpyxl

LA_CODE = "BAR"  # any code liiatools knows; it only names the output
ERROR_LISTS = (
    "formatting_error_list",
    "blank_error_list",
    "extra_columns_error",
    "duplicate_columns_error",
)


def _value(value: object) -> object:
    if isinstance(value, datetime.datetime | datetime.date):
        return {"date": value.isoformat()[:10], "type": type(value).__name__}
    return value


def tables(path: Path) -> list[dict[str, object]]:
    config = clean_config.Config()
    stream = openpyxl.parse_sheets(str(path))
    stream = [ev.from_event(ev, la_code=LA_CODE, filename=path.stem) for ev in stream]
    stream = promote_first_row(stream)
    stream = clean_config.configure_stream(stream, config)
    stream = cleaner.clean(stream)
    stream = degrade.degrade(stream)
    stream = logger.log_errors(stream)
    found: list[dict[str, object]] = []
    current: dict[str, object] | None = None
    row: dict[str, object] | None = None
    for event in stream:
        if isinstance(event, events.StartTable):
            current = {
                "name": getattr(event, "name", None),
                "sheet_name": getattr(event, "sheet_name", None),
                "match_error": getattr(event, "match_error", None),
                "rows": [],
            }
            found.append(current)
        elif isinstance(event, logger.ErrorTable) and current is not None:
            # The stream repeats each ErrorTable; the one with every list is
            # the one liiatools' own log reads (logger.save_errors_la).
            complete = {name: getattr(event, name, None) for name in ERROR_LISTS}
            if all(value is not None for value in complete.values()):
                current["formatting_errors"] = list(complete["formatting_error_list"])
                current["blank_errors"] = list(complete["blank_error_list"])
                current["extra_columns"] = [c for c in complete["extra_columns_error"] if c]
                current["duplicate_columns"] = complete["duplicate_columns_error"] or []
        elif isinstance(event, events.StartRow):
            row = {}
        elif isinstance(event, events.EndRow):
            if current is not None and row is not None:
                rows = current["rows"]
                assert isinstance(rows, list)
                rows.append(row)
            row = None
        elif isinstance(event, events.Cell) and row is not None:
            row[str(getattr(event, "column_header", event.column_index))] = _value(event.value)
    return found


def cleanfile_log(path: Path) -> str:
    with tempfile.TemporaryDirectory() as logs, tempfile.TemporaryDirectory() as out:
        result = CliRunner().invoke(
            annex_a,
            ["cleanfile", "--i", str(path), "--la_code", LA_CODE, "--la_log_dir", logs, "--o", out],
        )
        if result.exception is not None:
            raise result.exception
        return "".join(p.read_text() for p in sorted(Path(logs).iterdir()))


if __name__ == "__main__":
    workbook = Path(sys.argv[1])
    print(json.dumps({"tables": tables(workbook), "log": cleanfile_log(workbook)}, indent=1))
