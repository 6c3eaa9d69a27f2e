"""The partnership report as CSV and as an XLSX workbook: the same rows the
page shows (reporting.report.flat_rows), the definitions, and what
disclosure control did. Text that a spreadsheet would run as a formula is
written as text."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import safe_text

from .definitions import NOISE_TEXT
from .disclosure import SUPPRESSED, THRESHOLD
from .report import Report, flat_rows

HEADER = ("figure", "label", "breakdown", "group", "category", "value")


def about(report: Report) -> list[tuple[str, str]]:
    return [
        (_("Council"), report.council.name),
        (_("From"), report.period.start.isoformat()),
        (_("To"), report.period.end.isoformat()),
        (
            _("Disclosure control"),
            _(
                "Counts from 1 to %(threshold)s are shown as %(c)s, and so are other counts "
                "where they would let a hidden count be worked out from totals or from the "
                "other breakdown. Small districts and organisation types are combined."
            )
            % {"threshold": THRESHOLD, "c": SUPPRESSED},
        ),
        (_("Small changes to counts"), str(NOISE_TEXT)),
    ]


def definitions(report: Report) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            section.figure.id,
            str(section.figure.label),
            str(section.figure.counts),
            str(section.figure.dates),
            str(section.figure.excludes),
        )
        for section in report.sections
    ]


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in flat_rows(report):
        writer.writerow([safe_text(row[name]) for name in HEADER])
    writer.writerow([])
    writer.writerow(("figure", "label", "what is counted", "from which date", "what is left out"))
    for line in definitions(report):
        writer.writerow([safe_text(value) for value in line])
    writer.writerow([])
    for name, value in about(report):
        writer.writerow([safe_text(name), safe_text(value)])
    return out.getvalue()


def _value(text: str) -> int | float | str:
    if text.isascii() and text.isdigit():
        return int(text)
    try:
        return float(text) if text and text[0].isdigit() and "%" not in text else safe_text(text)
    except ValueError:
        return safe_text(text)


def to_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append(HEADER)
    for row in flat_rows(report):
        sheet.append([*(safe_text(row[name]) for name in HEADER[:-1]), _value(row["value"])])
    defs = book.create_sheet("Definitions")
    defs.append(("figure", "label", "what is counted", "from which date", "what is left out"))
    for line in definitions(report):
        defs.append([safe_text(value) for value in line])
    info = book.create_sheet("About")
    for name, value in about(report):
        info.append([safe_text(name), safe_text(value)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
