"""The claim as CSV, for the web download and the command line alike, audited
as an export wherever it is made."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from audit.services import record_report
from core.spreadsheets import csv_cell

from .claim import HEADER, ClaimReport, rows

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User


def to_csv(report: ClaimReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows(report):
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def audit_export(
    report: ClaimReport,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> None:
    record_report(
        "supporting_families_claim",
        report.council,
        actor=actor,
        request=request,
        actor_label=actor_label,
        **{"from": report.start.isoformat(), "to": report.end.isoformat()},
        families=len(report.families),
        format="csv",
    )
