"""One page of a long list and the list's length, in one query when that
is cheaper.

Django's paginator counts the list (one query), then fetches the page
(another): each runs the whole filter. When the filter runs a subquery (the
permission policy's union of the ways a user may see a case, the dearest
part of a practitioner's list), the page's rows carry the total as a window
count (`COUNT(*) OVER ()`) instead, so the subquery runs once. A plain filter
(a manager's lists: the council and a stage) keeps the two queries: an
index counts it without reading the table, and the page stops after its 50
rows, where a window would read every row of the list. Only a page past the
end needs the count on its own, to give the last page instead, as
`Paginator.get_page` does.
"""

from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.expressions import RawSQL
from django.db.models.sql.query import Query

_TOTAL = "_page_total"


def _page_number(number: Any) -> int | None:
    """The page asked for, read as `Paginator.get_page` reads it: what is not
    a whole number is page 1; None for a number the window cannot answer
    (below 1, or beyond any list: the paginator gives the last page)."""
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        return 1
    return wanted if 0 < wanted < 10**9 else None


def counted_page(
    queryset: QuerySet,
    number: Any,
    size: int,
    *,
    ids_only: bool = False,
    total: int | None = None,
) -> Page:
    """Page `number` of the ordered `queryset`, `size` rows a page, and its
    paginator's count: from one query when the filter runs a subquery, else
    from two (the module's docstring says why). With `ids_only`, the page
    holds the rows' primary keys (for lists that fetch their rows afterwards).
    `total`: the list's length when the caller has counted it already (the
    worklist's counts by rule), so only the page is read."""
    if total is not None:
        return _two_queries(queryset, number, size, ids_only, total)
    if queryset.query.distinct or queryset.query.combinator:
        # A window counts rows before DISTINCT removes any, and a UNION cannot be annotated.
        return _two_queries(queryset, number, size, ids_only)
    if not _runs_a_subquery(queryset.query.where):
        return _two_queries(queryset, number, size, ids_only)
    wanted = _page_number(number)
    if wanted is None:
        return _two_queries(queryset, number, size, ids_only)
    counted = queryset.annotate(**{_TOTAL: Window(expression=Count("*"))})
    if ids_only:
        counted = counted.values_list("pk", _TOTAL)
    start = (wanted - 1) * size
    rows = list(counted[start : start + size])
    if rows:
        total = rows[0][1] if ids_only else getattr(rows[0], _TOTAL)
        items = [row[0] for row in rows] if ids_only else rows
    elif wanted == 1:
        total, items = 0, []
    else:
        # Past the end (a stale link, a list that shrank): the last page, as
        # the paginator gives it.
        return _two_queries(queryset, number, size, ids_only)
    paginator = Paginator(items, size)
    paginator.count = total  # a cached_property: set from the window
    page = paginator.page(wanted)
    page.object_list = items
    return page


def _runs_a_subquery(node: Any) -> bool:
    """Whether a filter (a WHERE tree) holds a subquery: `__in` a queryset or
    raw SQL (the policy's compiled rule), or an Exists."""
    if isinstance(node, (RawSQL, Query)) or getattr(node, "query", None) is not None:
        return True
    children = list(getattr(node, "children", ())) + [getattr(node, "rhs", None)]
    return any(_runs_a_subquery(child) for child in children if child is not None)


def _two_queries(
    queryset: QuerySet, number: Any, size: int, ids_only: bool, total: int | None = None
) -> Page:
    rows = queryset.values_list("pk", flat=True) if ids_only else queryset
    paginator = Paginator(rows, size)
    if total is not None:
        paginator.count = total  # a cached_property: the caller's count
    page = paginator.get_page(number)
    page.object_list = list(page.object_list)
    return page


def by_id(queryset: QuerySet, ids: Iterable[Any]) -> dict[Any, Any]:
    """The rows of `queryset` with these primary keys, by key (`in_bulk`),
    without the model's ORDER BY: a dict has no order, and ordering made the
    ORM match every selected column to the ORDER BY (a fifth of compiling a
    query that selects related rows) and the database sort them."""
    return queryset.order_by().in_bulk(list(ids))


def rows_in_order(queryset: QuerySet, ids: Iterable[Any]) -> list[Any]:
    """A page's rows fetched by the ids `counted_page(..., ids_only=True)`
    gave, in that order. Only ids a query of the caller let through:
    `queryset` need not filter again."""
    ids = list(ids)
    rows = by_id(queryset, ids)
    return [rows[pk] for pk in ids]
