"""A practitioner's ways to a case (the visibility rule and "My cases",
core.policy) are each served by an index that holds what the rule asks: the
user or organisation, the council and the case's id. Read from the table
instead, a busy practitioner's thousand cases were a thousand visits to pages
of cases on every list (bench/README.md). The plan is asked with the
table scans switched off, so the answer does not depend on the handful of
rows a test has: it shows that each index can answer its part as the policy
writes it, and stops being true if the rule changes shape."""

import pytest
from django.db import connection, transaction

from accounts.models import User
from core import policy
from tests.journey_factories import share_with

ROUTE_INDEXES = {
    "case_led_by",
    "case_asked_by",
    "case_asked_by_organisation",
    "team_cases_by_organisation",
    "sharing_consents_in_force",
}


def plan_of(queryset):
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgresql
def test_a_practitioners_ways_to_their_cases_read_indexes(episode, involved, school, clinic):
    episode.organisations.add(school)
    share_with(episode, school, involved)
    user = User.objects.select_related("local_authority").get(pk=involved.pk)
    mine = policy.my_episodes(user).order_by("-requested_at").values("pk")
    plan = plan_of(mine)
    used = {index for index in ROUTE_INDEXES if f" using {index} on " in plan}
    assert used == ROUTE_INDEXES, plan
