"""For ab.py: the home page's "My cases" read as rows (`on()`,
episodes.work_owed.MyCase) or as model instances, each case with its family,
district and officer, lead professional and whoever asked (`off()`, as
before), switched on core.views in this process.

    .venv/bin/python -m bench.ab --variant bench.variant_home_my_cases \\
        --pages home --personas "busy practitioner" --database-url postgres://.../h_pagespeed_300k
"""

from types import MethodType

from core import views
from core.paging import rows_in_order
from episodes.models import Episode
from episodes.progress import with_council

_listed_cases = views.listed_cases


def _owner_name(case, step):
    owner = step.owner
    return str(owner) if owner is not None else None


def _instances(ids, user, districts, kind):
    cases = rows_in_order(
        Episode.objects.select_related(
            "family", "district__early_help_officer", "lead_professional", "requested_by"
        ),
        ids,
    )
    for case in with_council(cases, user):
        case.owner_name = MethodType(_owner_name, case)
    return cases


def on():
    views.listed_cases = _listed_cases


def off():
    views.listed_cases = _instances
