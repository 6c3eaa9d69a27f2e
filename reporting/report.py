"""The partnership report for one council and period: each figure of
reporting/definitions.py broken down by district and by the requesting
organisation's type, small districts (and types) merged, every cell
protected by reporting/disclosure.py, and every shown count given its noise
by reporting/cellkey.py, before anything is shown.

`build` is the one way to make it: the page, the downloads and the
`partnership_report` command all call it, so they show the same figures.
Counts only: no name, identifier or free text of any case is read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import CharField, Q, Value, When
from django.utils.translation import gettext as _

from accounts.models import District, LocalAuthority, OrganisationType

from . import cellkey, definitions
from .definitions import DISTRICT, FIGURES, ORGANISATION_TYPE, Figure, Period, Scope
from .disclosure import Cell, Line, protect

# A district (or organisation type) with fewer requests than this in the
# period is shown merged with the other small ones.
MERGE_BELOW = 10
ALL = "*"
NOT_RECORDED = "-"  # a row with no district, or no organisation type


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    members: tuple[str, ...]  # raw keys (district ids as text, type values, NOT_RECORDED)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    total: Cell | None = None
    rate: str | None = None  # "87%": on time, of the total
    median: float | None = None
    p90: float | None = None
    # Why a duration is not shown: no cases, or too few (their count is hidden).
    durations_note: str = ""
    is_all: bool = False


@dataclass
class Table:
    figure: Figure
    dim: str
    dim_label: str
    columns: list[tuple[str, str]]
    total_column: bool
    rows: list[Row] = field(default_factory=list)


@dataclass
class Section:
    figure: Figure
    tables: list[Table]
    duration_label: str = ""


@dataclass
class Report:
    council: LocalAuthority
    period: Period
    sections: list[Section]
    merged: dict[str, list[Group]]
    # Every cell and line disclosure control worked on (for its tests).
    all_cells: list[Cell] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    def cells(self) -> Iterator[tuple[Section, Table, Row, str, Cell]]:
        for section in self.sections:
            for table in section.tables:
                for row in table.rows:
                    for (_key, label), cell in zip(table.columns, row.cells, strict=True):
                        yield section, table, row, label, cell
                    if row.total is not None:
                        yield section, table, row, _("Total"), row.total


def _raw_key(dim: str, row: dict[str, Any]) -> str:
    value = row["d"] if dim == DISTRICT else row["t"]
    return NOT_RECORDED if value in (None, "") else str(value)


def _bases(dim: str, raw: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Requests in the period of each district (or type) with anything to
    count in any figure (0 for those with only other figures)."""
    base: dict[str, int] = defaultdict(int)
    for figure_id, rows in raw.items():
        for row in rows:
            if row["n"]:
                base[_raw_key(dim, row)] += row["n"] if figure_id == "requests" else 0
    return base


def _groups(council: LocalAuthority, dim: str, base: dict[str, int]) -> list[Group]:
    """The rows of a breakdown: each district (or type) with anything to
    count, and "not recorded" if it has any, the small ones merged into one."""
    if dim == DISTRICT:
        named = [
            (str(pk), name)
            for pk, name in District.objects.filter(local_authority=council)
            .order_by("name")
            .values_list("pk", "name")
        ]
        not_recorded = _("No district recorded")
        merged_label = _("Smaller districts combined")
    else:
        named = [(value, str(label)) for value, label in OrganisationType.choices]
        not_recorded = _("Not recorded")
        merged_label = _("Other organisation types combined")
    named.append((NOT_RECORDED, not_recorded))
    named = [(key, label) for key, label in named if key in base]
    small = [(key, label) for key, label in named if base.get(key, 0) < MERGE_BELOW]
    large = [(key, label) for key, label in named if base.get(key, 0) >= MERGE_BELOW]
    if len(small) == 1 and large:
        # One small row alone would be shown as it is: merge the smallest large one with it.
        smallest = min(large, key=lambda item: base.get(item[0], 0))
        large.remove(smallest)
        small.append(smallest)
    groups = [Group(key, label, (key,)) for key, label in large]
    if small:
        names = ", ".join(label for _key, label in small)
        label = f"{merged_label} ({names})" if len(small) > 1 else small[0][1]
        groups.append(Group("small", label, tuple(key for key, _label in small)))
    return groups


class _Cells:
    def __init__(self) -> None:
        self.cells: dict[Hashable, Cell] = {}
        self.lines: list[Line] = []

    def get(self, key: Hashable) -> Cell:
        if key not in self.cells:
            self.cells[key] = Cell(key, 0)
        return self.cells[key]


def _category_keys(figure: Figure) -> list[str]:
    return [key for key, _label in figure.categories] or [""]


def _fill(
    cells: _Cells, figure: Figure, rows: list[dict[str, Any]], groups: dict[str, list[Group]]
) -> None:
    q = figure.id
    categories = set(_category_keys(figure))
    group_of = {
        dim: {member: group.key for group in dim_groups for member in group.members}
        for dim, dim_groups in groups.items()
    }
    for row in rows:
        category = row["c"] or ""
        if category not in categories:
            continue
        n, k = row["n"], int(row["k"] or 0)
        targets = [cells.get((q, category, ALL, ALL))]
        for dim in figure.dims:
            group = group_of[dim].get(_raw_key(dim, row))
            if group is not None:
                targets.append(cells.get((q, category, dim, group)))
        for cell in targets:
            cell.value += n
            cell.record_keys = (cell.record_keys + k) % cellkey.KEYS
    exclusive = figure.exclusive and len(categories) > 1
    if exclusive:
        for key, cell in list(cells.cells.items()):
            assert isinstance(key, tuple)
            if key[0] == q and key[1] != ALL:
                total = cells.get((q, ALL, key[2], key[3]))
                total.value += cell.value
                total.record_keys = (total.record_keys + cell.record_keys) % cellkey.KEYS
    for dim in figure.dims:
        keys = [group.key for group in groups[dim]]
        for category in [*_category_keys(figure), *([ALL] if exclusive else [])]:
            cells.lines.append(
                Line(
                    cells.get((q, category, ALL, ALL)),
                    [cells.get((q, category, dim, key)) for key in keys],
                )
            )
        if exclusive:
            for key in [*keys, ALL]:
                where = (dim, key) if key != ALL else (ALL, ALL)
                cells.lines.append(
                    Line(
                        cells.get((q, ALL, *where)),
                        [cells.get((q, category, *where)) for category in _category_keys(figure)],
                    )
                )


def _dim_label(dim: str) -> str:
    return _("By district") if dim == DISTRICT else _("By requesting organisation's type")


def _table(cells: _Cells, figure: Figure, dim: str, groups: list[Group]) -> Table:
    q, category = figure.same_as or (figure.id, None)
    if category is not None:
        columns = [(category, _("Count"))]
        total_column = False
    else:
        columns = [(key, str(label)) for key, label in figure.categories] or [("", _("Count"))]
        total_column = figure.exclusive and len(figure.categories) > 1
    table = Table(figure, dim, _dim_label(dim), columns, total_column)
    for group in [*groups, None]:
        where = (dim, group.key) if group else (ALL, ALL)
        row = Row(
            label=group.label if group else _("All of the council"),
            cells=[cells.get((q, key, *where)) for key, _label in columns],
            total=cells.get((q, ALL, *where)) if total_column else None,
            is_all=group is None,
        )
        if figure.rate_of:
            part = cells.get((q, figure.rate_of, *where))
            whole = row.total
            if whole and not whole.suppressed and not part.suppressed and whole.value:
                # Of the published figures, so it matches them; their noise
                # may put the part above the whole.
                row.rate = f"{round(100 * min(part.published / whole.published, 1))}%"
        table.rows.append(row)
    return table


def _group_case(dim: str, groups: list[Group]) -> Any:
    field_name = "district_id" if dim == DISTRICT else "requesting_organisation__type"
    whens = []
    for group in groups:
        raw = [m for m in group.members if m != NOT_RECORDED]
        values: list[Any] = [int(m) for m in raw] if dim == DISTRICT else raw
        condition = Q(**{f"{field_name}__in": values})
        if NOT_RECORDED in group.members:
            condition |= Q(**{f"{field_name}__isnull": True})
        whens.append(When(condition, then=Value(group.key)))
    return SqlCase(*whens, default=Value(""), output_field=CharField())


def _durations(
    section: Section, scope: Scope, cells: _Cells, groups: dict[str, list[Group]]
) -> None:
    figure = section.figure
    assert figure.durations is not None
    section.duration_label = str(definitions.DURATION_LABELS[figure.id])
    by_group: dict[tuple[str, str], dict[str, Any]] = {}
    cases = figure.durations(scope)
    by_group[(ALL, ALL)] = definitions.percentiles(cases)[0]
    for dim in figure.dims:
        for stat in definitions.percentiles(cases.annotate(g=_group_case(dim, groups[dim])), "g"):
            by_group[(dim, stat["g"])] = stat
    for table in section.tables:
        keys = [group.key for group in groups[table.dim]] + [ALL]
        for row, key in zip(table.rows, keys, strict=True):
            where = (table.dim, key) if key != ALL else (ALL, ALL)
            base = cells.get((figure.id, "", *where))
            stats = by_group.get(where) or {}
            if base.suppressed:
                row.durations_note = _("not shown: too few cases")
            elif base.value == 0 or stats.get("median") is None:
                row.durations_note = _("no cases")
            else:
                row.median, row.p90 = stats["median"], stats["p90"]


def build(council: LocalAuthority, period: Period) -> Report:
    scope = Scope(council.pk, period, council.review_interval_weeks, council.report_key_salt)
    raw: dict[str, list[dict[str, Any]]] = {}
    for figure in FIGURES:
        if figure.query is not None:
            raw[figure.id] = list(figure.query(scope))
    groups = {dim: _groups(council, dim, _bases(dim, raw)) for dim in (DISTRICT, ORGANISATION_TYPE)}
    cells = _Cells()
    for figure in FIGURES:
        if figure.query is not None:
            _fill(cells, figure, raw[figure.id], groups)
    protect(cells.cells.values(), cells.lines)
    cellkey.perturb(cells.cells.values())
    sections = []
    for figure in FIGURES:
        if not figure.shown:
            sections.append(Section(figure, []))
            continue
        section = Section(figure, [_table(cells, figure, dim, groups[dim]) for dim in figure.dims])
        if figure.durations is not None:
            _durations(section, scope, cells, groups)
        sections.append(section)
    return Report(council, period, sections, groups, list(cells.cells.values()), cells.lines)


def flat_rows(report: Report) -> list[dict[str, str]]:
    """Every shown figure as one row a cell, for the CSV and the workbook's
    data sheet: what the page shows, in the same words."""
    out = []
    for section, table, row, column, cell in report.cells():
        out.append(
            {
                "figure": section.figure.id,
                "label": str(section.figure.label),
                "breakdown": table.dim_label,
                "group": row.label,
                "category": column,
                "value": str(cell.shown),
            }
        )
    for section in report.sections:
        for table in section.tables:
            for row in table.rows:
                if row.rate is not None:
                    out.append(
                        {
                            "figure": section.figure.id,
                            "label": str(section.figure.label),
                            "breakdown": table.dim_label,
                            "group": row.label,
                            "category": _("Percent on time"),
                            "value": row.rate,
                        }
                    )
                if section.duration_label:
                    for name, value in (
                        (_("Median days"), row.median),
                        (_("90th percentile days"), row.p90),
                    ):
                        out.append(
                            {
                                "figure": section.figure.id,
                                "label": section.duration_label,
                                "breakdown": table.dim_label,
                                "group": row.label,
                                "category": name,
                                "value": format_days(value)
                                if value is not None
                                else row.durations_note,
                            }
                        )
    return out


def format_days(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
