"""One page of a long list and the list's length, in one query.

Django's paginator counts the list (one query), then fetches the page
(another): each runs the whole filter, and for a case list the filter is the
permission policy's visibility rule, the dearest part of the page. Here the
page's rows carry the total as a window count (`COUNT(*) OVER ()`), so the
rule runs once. Only a page past the end needs the count on its own, to
give the last page instead, as `Paginator.get_page` does.
"""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

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


def counted_page(queryset: QuerySet, number: Any, size: int, *, ids_only: bool = False) -> Page:
    """Page `number` of the ordered `queryset`, `size` rows a page, and its
    paginator's count, from one query. With `ids_only`, the page holds the
    rows' primary keys (for lists that fetch their rows afterwards)."""
    if queryset.query.distinct or queryset.query.combinator:
        # A window counts rows before DISTINCT removes any, and a UNION cannot be annotated.
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
    paginator.count = total  # type: ignore[misc]  # cached_property, set from the window
    page = paginator.page(wanted)
    page.object_list = items
    return page


def _two_queries(queryset: QuerySet, number: Any, size: int, ids_only: bool) -> Page:
    rows = queryset.values_list("pk", flat=True) if ids_only else queryset
    page = Paginator(rows, size).get_page(number)
    page.object_list = list(page.object_list)
    return page
