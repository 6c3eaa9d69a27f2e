"""The performance indicators as CSV, for the page's download and
`earlyhelp performance_indicators` alike: every indicator, month and group
(the council, each district, each requesting organisation's type) with the
figures the page shows, small bases as [c]. Aggregate figures only; making
the file is audited as an export wherever it is made."""

from __future__ import annotations

import csv
import datetime
import io
from typing import TYPE_CHECKING

from audit.services import record_report
from core.spreadsheets import csv_cell

from .indicators import COUNCIL, Group, Result, Status, compute_all
from .services import targets_for

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import LocalAuthority, User

HEADER = (
    "indicator",
    "label",
    "breakdown",
    "group",
    "month",
    "met",
    "base",
    "percent",
    "status",
    "target",
)


def _groups(la: LocalAuthority, result: Result) -> list[tuple[str, str, Group]]:
    from accounts.models import OrganisationType

    districts = dict(la.districts.values_list("pk", "name"))
    types = dict(OrganisationType.choices)
    return [
        ("council", la.name, COUNCIL),
        *(
            ("district", districts.get(int(group[1]), group[1]), group)
            for group in result.groups("district")
        ),
        *(("type", str(types.get(group[1], group[1])), group) for group in result.groups("type")),
    ]


def to_csv(
    la: LocalAuthority, today: datetime.date | None = None, results: list[Result] | None = None
) -> str:
    """`results` as the page shows them (performance.figures), else worked
    out for `today` (the command's --date)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    if results is None:
        results = compute_all(la, targets_for(la), today)
    for result in results:
        for kind, name, group in _groups(la, result):
            for month, figure in zip(result.months, result.months_of(group), strict=True):
                writer.writerow(
                    [
                        csv_cell(value)
                        for value in (
                            result.indicator.key,
                            result.indicator.label,
                            kind,
                            name,
                            month.strftime("%Y-%m"),
                            figure.met_shown,
                            figure.base_shown,
                            figure.shown,
                            Status.LABELS[result.status(figure)],
                            result.target,
                        )
                    ]
                )
    return out.getvalue()


def audit_export(
    la: LocalAuthority,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    actor_label: str = "",
) -> None:
    record_report(
        "performance_indicators", la, actor=actor, request=request, actor_label=actor_label
    )
