"""The partnership report page and its downloads, for the council's
managers. Thin: the period form, then reporting.report.build; producing the
figures (on the page or as a file) is audited as an export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit.services import record_report
from core import policy
from core.govuk import render_component, summary_row

from . import charts, exports
from .definitions import DURATION_TEXT, NOISE_TEXT, Period
from .forms import PeriodForm
from .index import reports_for
from .report import Report, Section, Table, build, format_days

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATE_FIELDS = ("start-day", "start-month", "start-year", "end-day", "end-month", "end-year")


@require_GET
def index(request):
    links = reports_for(request.user)
    if not links:
        raise PermissionDenied
    return render(request, "reporting/index.html", {"reports": links})


def default_period(today: date | None = None) -> Period:
    """The twelve whole months before this one."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - timedelta(days=1)
    return Period(end.replace(year=end.year - 1) + timedelta(days=1), end)


def produced(request: Any, report: Report, fmt: str) -> None:
    record_report(
        "partnership_report",
        report.council,
        actor=request.user,
        request=request,
        **{"from": report.period.start.isoformat(), "to": report.period.end.isoformat()},
        format=fmt,
    )


def _table_html(section: Section, table: Table) -> str:
    head = [{"text": table.dim_label.removeprefix(_("By ")).capitalize()}]
    head += [{"text": label, "format": "numeric"} for _key, label in table.columns]
    if table.total_column:
        head.append({"text": _("Total"), "format": "numeric"})
    if section.figure.rate_of:
        head.append({"text": _("On time"), "format": "numeric"})
    if section.duration_label:
        head += [
            {"text": _("Median days"), "format": "numeric"},
            {"text": _("90th percentile days"), "format": "numeric"},
        ]
    rows = []
    for row in table.rows:
        cells: list[dict[str, Any]] = [{"text": row.label}]
        cells += [{"text": str(cell.shown), "format": "numeric"} for cell in row.cells]
        if table.total_column and row.total is not None:
            cells.append({"text": str(row.total.shown), "format": "numeric"})
        if section.figure.rate_of:
            cells.append({"text": row.rate or _("not shown"), "format": "numeric"})
        if section.duration_label:
            for value in (row.median, row.p90):
                text = format_days(value) if value is not None else row.durations_note
                cells.append({"text": text, "format": "numeric"})
        rows.append(cells)
    return render_component(
        "table",
        {
            "caption": f"{section.figure.label}: {table.dim_label.lower()}",
            "captionClasses": "govuk-table__caption--s",
            "firstCellIsHeader": True,
            "head": head,
            "rows": rows,
        },
    )


def _chart(section: Section, table: Table) -> str:
    """The council's figure by category, or, for a single count, by the
    table's rows; drawn beside its table."""
    all_row = table.rows[-1]
    if len(table.columns) > 1:
        bars = [
            (label, None if cell.suppressed else cell.published)
            for (_key, label), cell in zip(table.columns, all_row.cells, strict=True)
        ]
        what = _("all of the council, by category")
    else:
        bars = [
            (row.label, None if row.cells[0].suppressed else row.cells[0].published)
            for row in table.rows[:-1]
        ]
        what = table.dim_label.lower()
    return charts.bar_chart(
        f"chart-{section.figure.id}-{table.dim}",
        f"{section.figure.label}: {what}",
        _("A bar chart of the table that follows it; %(c)s marks a hidden count.") % {"c": "[c]"},
        bars,
    )


def _sections(report: Report) -> list[dict[str, Any]]:
    out = []
    for section in report.sections:
        figure = section.figure
        definition = [
            summary_row(_("What is counted"), str(figure.counts)),
            summary_row(_("From which date"), str(figure.dates)),
            summary_row(_("What is left out"), str(figure.excludes)),
        ]
        if section.duration_label:
            definition.append(summary_row(section.duration_label, str(DURATION_TEXT)))
        out.append(
            {
                "figure": figure,
                "definition": render_component("summary-list", {"rows": definition}),
                "tables": [
                    {
                        "chart": _chart(section, table) if i == 0 else "",
                        "table": _table_html(section, table),
                    }
                    for i, table in enumerate(section.tables)
                ],
            }
        )
    return out


@require_GET
def partnership(request):
    council = request.user.local_authority
    if not policy.can_see_council_reports(request.user, council):
        raise PermissionDenied
    asked = any(name in request.GET for name in DATE_FIELDS)
    default = default_period()
    form = PeriodForm(
        request.GET if asked else None, initial={"start": default.start, "end": default.end}
    )
    report = None
    if asked and form.is_valid():
        period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
        report = build(council, period)
        fmt = request.GET.get("format")
        if fmt in FORMATS:
            produced(request, report, fmt)
            body = exports.to_csv(report) if fmt == "csv" else exports.to_xlsx(report)
            response = HttpResponse(body, content_type=FORMATS[fmt])
            name = f"partnership-report-{council.slug}-{period.start}-{period.end}.{fmt}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        produced(request, report, "page")
    query = request.GET.urlencode() if report else ""
    return render(
        request,
        "reporting/partnership.html",
        {
            "form": form,
            "report": report,
            "sections": _sections(report) if report else [],
            "council": council,
            "noise_text": NOISE_TEXT,
            "csv_query": f"?{query}&format=csv" if report else "",
            "xlsx_query": f"?{query}&format=xlsx" if report else "",
        },
    )
