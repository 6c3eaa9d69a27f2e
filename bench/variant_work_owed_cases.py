"""For ab.py: the cases of the home page's "Waiting for you" read as rows
(`on()`, episodes.work_owed.ListedCase) or as model instances with their
families (`off()`, as before), switched on episodes.work_owed in this process.

    .venv/bin/python -m bench.ab --variant bench.variant_work_owed_cases \\
        --pages home --database-url postgres://.../h_pagespeed_300k
"""

from core.paging import rows_in_order
from episodes import work_owed
from episodes.models import Episode
from episodes.progress import with_council

_listed_cases = work_owed.listed_cases


def _instances(ids, user, districts, kind):
    cases = rows_in_order(Episode.objects.select_related("family"), ids)
    return with_council(cases, user)


def on():
    work_owed.listed_cases = _listed_cases


def off():
    work_owed.listed_cases = _instances
