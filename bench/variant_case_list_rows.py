"""For ab.py: the case list's page of 50 cases read as values (`on()`,
episodes.work_owed.ListedCase, as the list reads them) or as model instances,
each case with its family, district and lead professional (`off()`, as it
read them before), switched on episodes.views in this process.

    .venv/bin/python -m bench.ab --variant bench.variant_case_list_rows \\
        --pages "cases: open,cases: closed,cases: plan" --database-url postgres://.../h_pagespeed_300k
"""

from core.paging import counted_page, rows_in_order
from episodes import views
from episodes.models import Episode
from episodes.progress import with_council

_page_of = views._page_of
_case_list_rows = views.case_list_rows


def _page_of_instances(episodes, number, user, districts):
    page = counted_page(episodes.order_by("-requested_at"), number, views.PAGE_SIZE, ids_only=True)
    rows = Episode.objects.select_related("family", "district", "lead_professional")
    page.object_list = with_council(rows_in_order(rows, page.object_list), user)
    return page


def _rows_of_instances(rows):
    for row in rows:
        case = row["episode"]
        case.lead_name = case.lead_professional
    return _case_list_rows(rows)


def on():
    views._page_of = _page_of
    views.case_list_rows = _case_list_rows


def off():
    views._page_of = _page_of_instances
    views.case_list_rows = _rows_of_instances
