"""The managers' performance page and the targets form."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import District, OrganisationType
from core import policy
from core.forms import posted, run_form_action
from core.govuk import render_component
from core.validators import parse_whole_number
from episodes.progress import timescales_of

from . import charts, export, figures, services
from .forms import TargetsForm
from .indicators import COUNCIL, Group, Result, Status


def _choices(districts: list[District]) -> list[tuple[str, str, Group]]:
    """What the page can be shown for: (value, label, group)."""
    return [
        ("", _("Whole council"), COUNCIL),
        *(
            (f"d{d.pk}", _("District: %(name)s") % {"name": d.name}, ("district", str(d.pk)))
            for d in districts
        ),
        *(
            (f"t{code}", _("Asked for by: %(type)s") % {"type": label}, ("type", code))
            for code, label in OrganisationType.choices
        ),
    ]


def _chosen(value: str, choices: list[tuple[str, str, Group]]) -> tuple[str, str, Group]:
    value = value if isinstance(value, str) else ""
    if value.startswith("d") and parse_whole_number(value[1:]) is None:
        value = ""
    return next((choice for choice in choices if choice[0] == value), choices[0])


def _tag(status: str) -> dict[str, Any]:
    return {"text": Status.LABELS[status], "classes": Status.TAG_CLASSES[status]}


class _Tags(dict[str, str]):
    """Each status's tag, written once a page: the tables' 400 cells have
    four statuses between them (the tables are built here, not cell by cell
    in the template, for the same reason)."""

    def __missing__(self, status: str) -> str:
        self[status] = render_component("tag", _tag(status))
        return self[status]


def _numeric(value: object) -> dict[str, Any]:
    return {"text": value, "format": "numeric"}


def _target_text(result: Result) -> str:
    if result.indicator.higher_is_better:
        return _("at least %(target)s%%") % {"target": result.target}
    return _("at most %(target)s%%") % {"target": result.target}


def _section(result: Result, group: Group, where: str, tags: _Tags) -> dict[str, Any]:
    monthly = result.months_of(group)
    total = result.total(group)
    months = [
        {
            "label": date_format(month, "F Y"),
            "short": date_format(month, "M y"),
            "figure": figure,
        }
        for month, figure in zip(result.months, monthly, strict=True)
    ]
    points = [charts.Point(m["short"], m["figure"].percent, m["figure"].shown) for m in months]
    title = f"{result.indicator.label}: {where}"
    return {
        "key": result.indicator.key,
        "label": result.indicator.label,
        "definition": result.indicator.definition,
        "target": _target_text(result),
        "total": total,
        "tag": _tag(result.status(total)),
        "months": months,
        "rows": [
            [
                {"text": month["label"]},
                _numeric(month["figure"].met_shown),
                _numeric(month["figure"].base_shown),
                _numeric(month["figure"].shown),
                {"html": tags[result.status(month["figure"])]},
            ]
            for month in months
        ],
        "chart": charts.column_chart(
            chart_id=f"chart-{result.indicator.key}",
            title=title,
            description=charts.describe(title, points, result.target),
            points=points,
            target=result.target,
        ),
    }


def _breakdown(
    results: list[Result], rows: list[tuple[str, Group]], tags: _Tags
) -> list[list[dict[str, Any]]]:
    """A table's rows: each group's figure and status over the 12 months."""
    table = []
    for label, group in rows:
        cells: list[dict[str, Any]] = [{"text": label}]
        for result in results:
            total = result.total(group)
            cells.append({"html": format_html("{} {}", total.shown, tags[result.status(total)])})
        table.append(cells)
    return table


@require_GET
def download(request):
    if not policy.can_see_performance(request.user):
        raise PermissionDenied
    la = request.user.local_authority
    content = export.to_csv(la, results=figures.shown(la).results)
    export.audit_export(la, actor=request.user, request=request)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="performance-indicators.csv"'
    return response


@require_GET
def indicators(request):
    if not policy.can_see_performance(request.user):
        raise PermissionDenied
    la = request.user.local_authority
    shown = figures.shown(la)
    results = shown.results
    districts = list(District.objects.filter(local_authority=la).order_by("name"))
    choices = _choices(districts)
    value, where, group = _chosen(request.GET.get("show", ""), choices)
    types = dict(OrganisationType.choices)
    tags = _Tags()
    return render(
        request,
        "performance/indicators.html",
        {
            "la": la,
            "worked_out_at": shown.worked_out_at,
            "choices": choices,
            "chosen": value,
            "where": where,
            "sections": [_section(result, group, where, tags) for result in results],
            "results": results,
            "first_month": results[0].months[0],
            "last_month": results[0].months[-1],
            "by_district": _breakdown(
                results, [(d.name, ("district", str(d.pk))) for d in districts], tags
            ),
            "by_type": _breakdown(
                results,
                [
                    (types.get(code, _("Not known")), ("type", code))
                    for code in sorted(
                        {g[1] for r in results for g in r.groups("type")},
                        key=lambda code: str(types.get(code, code)),
                    )
                ],
                tags,
            ),
            "assessment_days": timescales_of(la).assessment_complete_days,
            "may_set_targets": policy.can_set_performance_targets(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def targets(request):
    if not policy.can_set_performance_targets(request.user):
        raise PermissionDenied
    la = request.user.local_authority
    form = TargetsForm(posted(request), instance=services.targets_for(la))
    done = run_form_action(
        request,
        form,
        lambda data: services.update_targets(request.user, data, request=request),
        success=_("Performance targets saved"),
        then=reverse("performance:targets"),
    )
    if done:
        return done
    return render(
        request,
        "performance/targets.html",
        {
            "form": form,
            "la": la,
            "assessment_days": timescales_of(la).assessment_complete_days,
            "may_see_indicators": policy.can_see_performance(request.user),
        },
    )
