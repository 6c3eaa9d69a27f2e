"""The claim as CSV, for the web download and the command line alike, audited
as an export wherever it is made."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from audit.models import Action
from audit.services import record
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
    record(
        Action.EXPORT,
        actor=actor,
        request=request,
        local_authority=report.council,
        actor_label=actor_label,
        reason="supporting_families_claim",
        changes={
            "report": "supporting_families_claim",
            "from": report.start.isoformat(),
            "to": report.end.isoformat(),
            "families": len(report.families),
            "format": "csv",
        },
    )
