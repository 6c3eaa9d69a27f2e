"""earlyhelp partnership_report --la SLUG --from DATE --to DATE --out FILE.xlsx|FILE.csv"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from accounts.models import LocalAuthority
from audit.services import record_report
from core.councils import CouncilCommand
from reporting import exports
from reporting.definitions import Period
from reporting.forms import PeriodForm
from reporting.report import build


def _date(name: str, text: str) -> datetime.date:
    try:
        if not text.isascii():
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{name} must be a date written as YYYY-MM-DD, like 2026-03-31 (not {text!r})."
        ) from None


class Command(CouncilCommand):
    help = (
        "Write the partnership report (the figures the managers' page shows, with "
        "their definitions, after disclosure control) for one council and period, "
        "as an XLSX workbook or a CSV file. Audited as an export."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--la", metavar="SLUG", required=True, help="The council")
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", required=True)
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", required=True)
        parser.add_argument("--out", metavar="FILE.xlsx|FILE.csv", required=True)

    def handle(self, *args: Any, la: str, start: str, end: str, out: str, **options: Any) -> None:
        council = LocalAuthority.objects.filter(slug=la).first()
        if council is None:
            known = ", ".join(
                LocalAuthority.objects.order_by("slug").values_list("slug", flat=True)
            )
            raise CommandError(f"No council with the slug {la!r}. Councils: {known or 'none'}.")
        period = Period(_date("--from", start), _date("--to", end))
        if period.end < period.start:
            raise CommandError("--to must be the same day as --from or after it.")
        if (period.end - period.start).days >= PeriodForm.max_days:
            raise CommandError("A report covers at most two years: choose a shorter period.")
        path = Path(out)
        fmt = path.suffix.lower().removeprefix(".")
        if fmt not in ("xlsx", "csv"):
            raise CommandError(f"--out must end in .xlsx or .csv (not {path.name!r}).")
        if not path.parent.is_dir():
            raise CommandError(
                f"There is no folder {str(path.parent)!r} to write {path.name!r} in."
            )
        report = build(council, period)
        if fmt == "csv":
            path.write_text(exports.to_csv(report), encoding="utf-8")
        else:
            path.write_bytes(exports.to_xlsx(report))
        record_report(
            "partnership_report",
            council,
            actor_label="command line: partnership_report",
            **{"from": period.start.isoformat(), "to": period.end.isoformat()},
            format=fmt,
            out=str(path),
        )
        self.stdout.write(f"Wrote the partnership report for {council.name} to {path}.")
