"""A practitioner's ways to a case (the visibility rule and "My cases",
core.policy) are each served by an index that holds what the rule asks: the
user or organisation, the council and the case's id. Read from the table
instead, a busy practitioner's thousand cases were a thousand visits to pages
of cases on every list (bench/README.md).

PostgreSQL chooses among indexes by their estimated cost, which on a test's
handful of rows is a tie. So the test gives the council 400 other cases
spread over 20 users and organisations, has their statistics gathered, and
drops (inside the test's transaction, so nothing outlives it) every other
index on those tables that could answer the same parts: what is left to
show is that each route index can answer its part of the rule as the policy
writes it. It fails if the rule changes shape, or an index its columns."""

import re

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from consent.models import Consent, Purpose
from core import policy
from episodes.models import Episode, TeamOrganisation
from tests.factories import OrganisationFactory, UserFactory
from tests.journey_factories import share_with

ROUTE_INDEXES = {
    "case_led_by",
    "case_asked_by",
    "case_asked_by_organisation",
    "team_cases_by_organisation",
    "sharing_consents_in_force",
}
TABLES = ("episodes_episode", "episodes_episode_organisations", "consent_consent")


def other_cases(la, district, family, person, count=400):
    users = UserFactory.create_batch(20, local_authority=la)
    organisations = OrganisationFactory.create_batch(20, local_authority=la)
    cases = Episode.objects.bulk_create(
        Episode(
            local_authority=la,
            district=district,
            family=family,
            requesting_organisation=organisations[n % 20],
            requested_by=users[n % 20],
            lead_professional=users[(n + 1) % 20],
            worries="Synthetic worries for a test.",
        )
        for n in range(count)
    )
    TeamOrganisation.objects.bulk_create(
        TeamOrganisation(local_authority=la, episode=case, organisation=organisations[n % 20])
        for n, case in enumerate(cases)
    )
    Consent.objects.bulk_create(
        Consent(
            local_authority=la,
            episode=case,
            person=person,
            purpose=Purpose.SHARING,
            organisation=organisations[n % 20],
            given=True,
            method="in_person",
            given_on=timezone.localdate(),
            recorded_by=users[0],
        )
        for n, case in enumerate(cases)
    )


def plan_with_only_the_route_indexes(queryset):
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"ANALYZE {table}")
        cursor.execute(
            "SELECT index.relname FROM pg_index"
            " JOIN pg_class index ON index.oid = pg_index.indexrelid"
            " JOIN pg_class tab ON tab.oid = pg_index.indrelid"
            " WHERE tab.relname = ANY(%s) AND NOT index.relname = ANY(%s)"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = index.oid)",
            [list(TABLES), list(ROUTE_INDEXES)],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


@pytest.mark.postgresql
def test_a_practitioners_ways_to_their_cases_read_indexes(la, district, episode, involved, school):
    family = episode.family
    person = family.memberships.order_by("id").first().person
    other_cases(la, district, family, person)
    episode.organisations.add(school)
    share_with(episode, school, involved)
    user = User.objects.select_related("local_authority").get(pk=involved.pk)
    mine = policy.my_episodes(user).order_by("-requested_at").values("pk")
    plan = plan_with_only_the_route_indexes(mine)
    used = {index for index in ROUTE_INDEXES if re.search(rf"\b{index}\b", plan)}
    assert used == ROUTE_INDEXES, plan
