"""core.paging.counted_page gives what Django's paginator gives (the same
page, rows and count, the same answer to a bad or stale page number) from
one query instead of two."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import District
from core.paging import counted_page


@pytest.fixture
def districts(la):
    District.objects.bulk_create(
        District(local_authority=la, name=f"Area {n:02}") for n in range(23)
    )
    return District.objects.filter(local_authority=la).order_by("name")


def _same(districts, number, size, ids_only=False):
    # Both ways of counting give the paginator's answer.
    _same_for(districts, number, size, ids_only)
    through = District.objects.filter(pk__in=districts.values("pk")).order_by("name")
    _same_for(through, number, size, ids_only)


def _same_for(districts, number, size, ids_only):
    ours = counted_page(districts, number, size, ids_only=ids_only)
    rows = districts.values_list("pk", flat=True) if ids_only else districts
    theirs = Paginator(rows, size).get_page(number)
    assert ours.number == theirs.number
    assert list(ours.object_list) == list(theirs.object_list)
    assert ours.paginator.count == theirs.paginator.count
    assert ours.paginator.num_pages == theirs.paginator.num_pages
    assert (ours.has_next(), ours.has_previous()) == (theirs.has_next(), theirs.has_previous())
    assert (ours.start_index(), ours.end_index()) == (theirs.start_index(), theirs.end_index())


@pytest.mark.parametrize("number", [None, "", "1", "2", "3", "0", "-1", "x", "2.5", "99", "٢"])
@pytest.mark.parametrize("ids_only", [False, True])
def test_the_same_page_as_the_paginator(districts, number, ids_only):
    _same(districts, number, 10, ids_only)


@settings(max_examples=40, deadline=None)
@given(
    number=st.one_of(
        st.none(),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
        st.integers(-5, 10**12).map(str),
    )
)
def test_any_page_number_gives_the_paginators_page(la, number):
    districts = District.objects.filter(local_authority=la).order_by("name")
    if not districts.exists():
        District.objects.bulk_create(
            District(local_authority=la, name=f"Area {n:02}") for n in range(7)
        )
    _same(districts, number, 3)


def test_an_empty_list_is_one_empty_page(la):
    page = counted_page(District.objects.filter(local_authority=la).order_by("name"), "1", 10)
    assert page.number == 1
    assert list(page.object_list) == []
    assert page.paginator.count == 0


def test_a_list_filtered_through_a_subquery_is_one_query(districts, la):
    through = District.objects.filter(pk__in=districts.values("pk")).order_by("name")
    with CaptureQueriesContext(connection) as queries:
        page = counted_page(through, "2", 10)
        assert page.paginator.count == 23
        assert len(page.object_list) == 10
    assert len(queries) == 1
    assert "OVER" in queries[0]["sql"]


def test_a_plain_list_is_counted_apart_so_its_page_can_stop_early(districts):
    # A window would read every row; the page alone stops after 10.
    with CaptureQueriesContext(connection) as queries:
        page = counted_page(districts, "2", 10)
        assert page.paginator.count == 23
    assert len(queries) == 2
    assert not any("OVER" in query["sql"] for query in queries)


def test_a_distinct_list_is_counted_after_distinct(districts, la):
    # A window would count the rows DISTINCT goes on to remove.
    doubled = District.objects.filter(local_authority__districts__isnull=False, local_authority=la)
    distinct = doubled.distinct().order_by("name")
    page = counted_page(distinct, "1", 10)
    assert page.paginator.count == 23


@pytest.mark.parametrize("number", [None, "1", "3", "0", "99", "x"])
def test_a_list_counted_already_reads_only_its_page(districts, la, number):
    through = District.objects.filter(pk__in=districts.values("pk")).order_by("name")
    theirs = Paginator(through.values_list("pk", flat=True), 10).get_page(number)
    expected = list(theirs.object_list)
    with CaptureQueriesContext(connection) as queries:
        ours = counted_page(through, number, 10, ids_only=True, total=23)
        assert list(ours.object_list) == expected
    assert (ours.number, ours.paginator.num_pages) == (theirs.number, theirs.paginator.num_pages)
    assert len(queries) == 1
    assert "COUNT(" not in queries[0]["sql"].upper()


def test_a_pages_rows_come_in_the_order_of_its_ids_without_an_order_by(districts):
    """rows_in_order fetches a page's rows by the ids counted_page gave, in
    their order, with no ORDER BY (by_id: a dict has none to keep)."""
    from core.paging import by_id, rows_in_order

    ids = list(districts.values_list("pk", flat=True))
    wanted = [ids[5], ids[0], ids[17], ids[2]]
    with CaptureQueriesContext(connection) as queries:
        rows = rows_in_order(districts, wanted)  # ordered by name
    assert [row.pk for row in rows] == wanted
    assert len(queries) == 1 and "ORDER BY" not in queries[0]["sql"]
    assert set(by_id(districts, iter(wanted))) == set(wanted)
